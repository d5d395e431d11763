// The workbench for one connection at a time (tabs switch): subscriptions on the left, messages and the
// selected message in the middle, publish at the bottom.
import { useApp } from '../../app/store';
import { SplitPane } from '../../ui/SplitPane';
import { StepPanel } from '../provoke/StepPanel';
import { PublishPanel } from '../publish/PublishPanel';
import { SubscribeForm } from '../subscriptions/SubscribeForm';
import { SubscriptionList } from '../subscriptions/SubscriptionList';
import { MessageDetail } from './MessageDetail';
import { MessageList } from './MessageList';
import { SessionTabs } from './SessionTabs';
import { DocMessagesView } from './DocMessagesView';
import { DocTabs } from '../trace/DocTabs';
import { LIVE_DOC } from '../trace/trace-slice';

export function MessagesView() {
  const activeId = useApp((s) => s.activeSessionId);
  const exists = useApp((s) => (activeId ? !!s.sessions[activeId] : false));
  const setView = useApp((s) => s.setView);
  // The view follows the shown trace document: an opened file lists its own messages, read-only.
  const doc = useApp((s) => s.traceDoc);
  if (doc !== LIVE_DOC) return <DocMessagesView key={doc} doc={doc} />;
  if (!activeId || !exists) {
    return (
      <div className="view column" data-testid="view-messages">
        <DocTabs />
        <div className="grow-box" style={{ alignItems: 'center', justifyContent: 'center' }}>
          <div className="empty-state">
            <h2>No open connection</h2>
            <p>Open one from <button className="link" onClick={() => setView('connections')} data-testid="goto-connections">Connections</button> — the “Local broker” profile connects to the built-in broker in one click.</p>
          </div>
        </div>
      </div>
    );
  }
  return (
    <div className="view column" data-testid="view-messages">
      <DocTabs />
      <SessionTabs />
      <div className="grow-box">
        <SplitPane id="messages.publish" direction="column" initial={250} sizeSecond>
          <SplitPane id="messages.subs" direction="row" initial={280}>
            <div className="panel" data-testid="subscriptions-panel">
              <div className="panel-head">Subscriptions</div>
              <SubscribeForm key={activeId} sessionId={activeId} />
              <SubscriptionList sessionId={activeId} />
              <StepPanel key={`step-${activeId}`} sessionId={activeId} />
            </div>
            <SplitPane id="messages.detail" direction="row" initial={440} sizeSecond>
              <MessageList key={activeId} sessionId={activeId} />
              <MessageDetail key={activeId} sessionId={activeId} />
            </SplitPane>
          </SplitPane>
          <PublishPanel sessionId={activeId} />
        </SplitPane>
      </div>
    </div>
  );
}
