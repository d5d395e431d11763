// Topics: the tree of every topic on the trace (left) and live charts of numeric fields (right).
// Picking a node scopes the Messages list to that subtree.
import { useState } from 'react';
import { useApp } from '../../app/store';
import { SplitPane } from '../../ui/SplitPane';
import { ChartPanel } from './ChartPanel';
import { CodecRules } from './CodecRules';
import { TopicTree } from './TopicTree';
import { useTopics } from './topics-store';
import './topics.css';

export function TopicsView() {
  const [pending, setPending] = useState<string | null>(null);
  const [side, setSide] = useState<'chart' | 'codecs'>('chart');
  const scope = useTopics((s) => s.scope);
  const setView = useApp((s) => s.setView);
  return (
    <div className="view column" data-testid="view-topics">
      {scope ? (
        <div className="notice small" data-testid="topic-scope-bar">
          Messages are filtered to <span className="mono">{scope}</span>.{' '}
          <button className="link" onClick={() => setView('messages')} data-testid="topic-goto-messages">Show them in Messages</button>{' · '}
          <button className="link" onClick={() => useTopics.getState().clearScope()}>Clear</button>
        </div>
      ) : null}
      <div className="grow-box">
        <SplitPane id="topics.chart" direction="row" initial={520} sizeSecond>
          <TopicTree onChart={(t) => { setPending(t); setSide('chart'); }} />
          <div className="panel">
            <div className="tabs">
              <button className={side === 'chart' ? 'tab active' : 'tab'} onClick={() => setSide('chart')} data-testid="topics-tab-chart">Chart</button>
              <button className={side === 'codecs' ? 'tab active' : 'tab'} onClick={() => setSide('codecs')} data-testid="topics-tab-codecs">Codecs</button>
            </div>
            {side === 'chart' ? <ChartPanel pending={pending} onPendingDone={() => setPending(null)} /> : <CodecRules />}
          </div>
        </SplitPane>
      </div>
    </div>
  );
}
