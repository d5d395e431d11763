// The Messages view of an opened trace file: the messages it holds — what its sessions received, or, for
// a broker-only capture, what the broker delivered and to whom — in the live list's columns, read-only
// (a file is a record: nothing is published from here). The live sessions' lists are not touched.
import { useState } from 'react';
import type { Side } from '../../../shared/contract/types';
import { formatSize } from '../../app/bytes';
import { useApp } from '../../app/store';
import { SplitPane } from '../../ui/SplitPane';
import { VirtualList } from '../../ui/VirtualList';
import { showFlow } from '../flows/show-flow';
import { DocTabs } from '../trace/DocTabs';
import { FrameInspector } from '../trace/FrameInspector';
import { COLUMNS, useColumns } from './columns';
import { clockUs } from './format-time';
import { useDocMessages } from './use-doc-messages';
import { useFrameDetail } from './use-frame-detail';

export function DocMessagesView({ doc }: { doc: string }) {
  const info = useApp((s) => s.traceDocs.find((d) => d.id === doc));
  const [side, setSide] = useState<Side | undefined>(undefined);
  const list = useDocMessages(doc, side);
  // The row picked (its list index) and its frame number: the list is a fixed file, so an index stays put.
  const [picked, setPicked] = useState<{ index: number; seq: number } | null>(null);
  const selected = picked?.seq ?? null;
  const detail = useFrameDetail(selected, true, doc);
  const { shown } = useColumns();
  const selectedIndex = picked?.index ?? -1;
  const shownSide = list.side;
  const both = list.counts.client > 0 && list.counts.broker > 0;

  const renderRow = (i: number) => {
    const m = list.get(i);
    if (!m) return <div className="msg-row muted small" data-testid="doc-msg-loading">…</div>;
    const f = m.frame;
    return (
      <div className="msg-row" data-testid="doc-msg-row" data-seq={f.seq} data-topic={f.topic} data-client={m.clientId ?? ''}>
        <span className="colour-bar" />
        {shown.has('time') ? <span className="c-time mono" data-testid="msg-time" title="When it crossed the wire (the file's own clock)">{clockUs(f.wallMs)}</span> : null}
        {shown.has('qos') ? <span className="c-qos" data-testid="msg-qos">Q{f.qos ?? 0}</span> : null}
        {shown.has('flags') ? <span className="c-flag">{f.retain ? <span className="badge" data-testid="msg-retain" title="Retained">R</span> : null}{f.dup ? <span className="badge" data-testid="msg-dup" title="Duplicate (DUP flag: a resend)">D</span> : null}</span> : null}
        <span className="c-topic mono">{f.topic}</span>
        <span className="c-sub mono" data-testid="doc-msg-client" title="The client that received it">{m.clientId ?? `conn ${f.conn}`}</span>
        {shown.has('size') ? <span className="c-size mono">{formatSize(f.payloadSize ?? 0)}</span> : null}
        {shown.has('preview') ? (
          <span className={m.preview.error ? 'c-preview mono ferror-soft' : 'c-preview mono'} data-testid="msg-preview" data-codec={m.preview.codec}
            title={m.preview.error ? `${m.preview.error} — shown as hex` : m.preview.codec}>{m.preview.text}</span>
        ) : null}
        <button className="link small c-journey" onClick={() => showFlow({ kind: 'frame', seq: f.seq }, doc)} data-testid="msg-row-journey"
          title="Show journey: publisher, broker, every subscriber, each QoS handshake">journey</button>
      </div>
    );
  };

  const list$ = (
    <div className="panel message-list" data-testid="doc-message-list">
      <div className="toolbar">
        {both ? (
          <select value={shownSide ?? 'client'} onChange={(e) => { setSide(e.target.value as Side); setPicked(null); }} data-testid="doc-msg-side"
            title="Whose messages this list shows">
            <option value="client">Received by sessions ({list.counts.client.toLocaleString('en')})</option>
            <option value="broker">Delivered by the broker ({list.counts.broker.toLocaleString('en')})</option>
          </select>
        ) : null}
        <span className="grow" />
        <span className="muted small" data-testid="doc-msg-readonly" title="An opened file is a record: nothing is published from it">read-only file · publish from the live capture</span>
      </div>
      <div className="list-status small" data-testid="doc-msg-status">
        <span data-testid="doc-msg-count" data-count={list.total}>
          {list.total.toLocaleString('en')} {shownSide === 'broker' ? 'delivered by the broker' : 'received by sessions'} in {info?.name ?? 'this file'}
        </span>
        {list.error ? <span className="ferror"> · {list.error}</span> : null}
      </div>
      <div className="msg-row header">
        <span className="colour-bar" />
        {shown.has('time') ? <span className="c-time">Time</span> : null}
        {shown.has('qos') ? <span className="c-qos">QoS</span> : null}
        {shown.has('flags') ? <span className="c-flag" /> : null}
        <span className="c-topic">Topic</span>
        <span className="c-sub">Client</span>
        {shown.has('size') ? <span className="c-size">Size</span> : null}
        {shown.has('preview') ? <span className="c-preview">{COLUMNS.find((c) => c.id === 'preview')!.label}</span> : null}
        <span className="c-journey" />
      </div>
      <VirtualList count={list.total} rowHeight={22} version={list.version} renderRow={renderRow} onRange={list.onRange}
        selectedIndex={selectedIndex} onSelect={(i) => { const m = list.get(i); setPicked(m ? { index: i, seq: m.frame.seq } : null); }} testId="doc-msg-vlist"
        empty={shownSide === null ? 'Loading…' : 'This file holds no delivered PUBLISH.'} />
    </div>
  );

  return (
    <div className="view column" data-testid="view-messages" data-doc={doc}>
      <DocTabs />
      <div className="grow-box">
        <SplitPane id="messages.docDetail" direction="column" initial={260} sizeSecond>
          {list$}
          <div className="panel" data-testid="doc-msg-detail">
            {selected === null ? <p className="pad muted">Click a message to see its fields and bytes.</p>
              : detail.status === 'ready' ? <FrameInspector key={`${doc}:${selected}`} detail={detail.detail} />
              : detail.status === 'error' ? <p className="pad ferror">{detail.error}</p>
              : <p className="pad muted">Loading frame #{selected}…</p>}
          </div>
        </SplitPane>
      </div>
    </div>
  );
}
