// Resolves what the diagram should show (a flow, its journey, or whatever a frame belongs to), loads the
// flows and connection infos, and lays them out. Reloads when core reports flow changes, but only hands
// out a new layout when something drawn actually changed (so zoom and pan survive live updates).
import { useEffect, useRef, useState } from 'react';
import type { ConnectionInfo } from '../../../shared/contract/types';
import type { Flow, Journey, JourneyResult } from '../../../shared/flows/types';
import { core, errorText } from '../../app/core';
import { useApp } from '../../app/store';
import { layoutDiagram, type DiagramLayout } from './diagram-layout';
import type { FlowTarget } from './flows-slice';
import { useFlowsVersion } from './use-flows-version';

export type DiagramData =
  | { status: 'idle' }
  | { status: 'loading' }
  | { status: 'gone'; why: string }
  | { status: 'error'; error: string }
  | { status: 'ready'; journey: Journey | null; flows: Flow[]; layout: DiagramLayout; conns: Map<number, ConnectionInfo> };

async function flowAlone(id: number, doc: string): Promise<JourneyResult | { journey: null; flows: Flow[] } | null> {
  const api = core();
  const f = await api.flowGet({ id, doc });
  if (!f) return null;
  const peer = f.peer ? await api.flowGet({ id: f.peer.flowId, doc }) : null;
  return { journey: null, flows: peer ? [f, peer] : [f] };
}

export async function resolveTarget(t: FlowTarget, doc: string): Promise<{ journey: Journey | null; flows: Flow[] } | null> {
  const api = core();
  if (t.kind === 'journey') return api.journeyGet({ id: t.id, doc });
  if (t.kind === 'flow') return (await api.journeyGet({ flowId: t.id, doc })) ?? flowAlone(t.id, doc);
  const j = await api.journeyGet({ seq: t.seq, doc });
  if (j) return j;
  const marks = await api.flowsOfFrames({ fromSeq: t.seq, toSeq: t.seq, doc });
  return marks.length ? flowAlone(marks[0].flowId, doc) : null;
}

const signature = (flows: Flow[]) => flows.map((f) => `${f.id}:${f.state}:${f.steps.length}`).join('|');

export function useFlowDiagram(target: FlowTarget | null): DiagramData {
  const version = useFlowsVersion();
  const doc = useApp((s) => s.traceDoc);
  const [data, setData] = useState<DiagramData>({ status: 'idle' });
  const shown = useRef('');
  const targetKey = target ? `${doc}:${JSON.stringify(target)}` : '';
  useEffect(() => { shown.current = ''; setData(target ? { status: 'loading' } : { status: 'idle' }); }, [targetKey]);
  useEffect(() => {
    if (!target) return;
    let live = true;
    void (async () => {
      try {
        const r = await resolveTarget(target, doc);
        if (!live) return;
        if (!r) {
          const what = target.kind === 'frame' ? `Frame #${target.seq} belongs to no flow` : `${target.kind === 'flow' ? 'Flow' : 'Journey'} #${target.id} is not held`;
          setData({ status: 'gone', why: `${what} (pings, events and frames evicted from the trace have none).` });
          return;
        }
        const sig = `${r.journey?.id ?? ''}/${signature(r.flows)}`;
        if (sig === shown.current) return;
        const list = await core().connectionList({ doc });
        if (!live) return;
        const conns = new Map(list.map((c) => [c.id, c]));
        shown.current = sig;
        setData({ status: 'ready', journey: r.journey, flows: r.flows, conns, layout: layoutDiagram({ flows: r.flows, journey: r.journey, conns }) });
      } catch (e) {
        if (live) setData({ status: 'error', error: errorText(e) });
      }
    })();
    return () => { live = false; };
  }, [targetKey, version]);
  return data;
}
