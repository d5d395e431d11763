// Connection metadata (client id, transport, peer) of the shown trace document, for labelling rows;
// for the live capture refetched when a frame mentions a connection we do not know yet.
import { useEffect, useRef, useState } from 'react';
import type { ConnectionInfo } from '../../../shared/contract/types';
import { core } from '../../app/core';
import { isGap, traceModel } from './trace-model';
import { LIVE_DOC } from './trace-slice';
import { useTraceVersion } from './use-trace-version';

export function useConnections(doc: string = LIVE_DOC): Map<number, ConnectionInfo> {
  const version = useTraceVersion();
  const [state, setState] = useState({ doc: '', map: new Map<number, ConnectionInfo>() });
  const inFlight = useRef(false);
  useEffect(() => {
    const fresh = state.doc !== doc;
    if (!fresh && doc !== LIVE_DOC) return;
    const lastRow = traceModel.frames.last();
    const last = isGap(lastRow) ? undefined : lastRow;
    if (!fresh && (inFlight.current || (last && state.map.has(last.conn) && state.map.get(last.conn)?.clientId))) return;
    inFlight.current = true;
    core().connectionList(doc === LIVE_DOC ? undefined : { doc }).then(
      (list) => { inFlight.current = false; setState({ doc, map: new Map(list.map((c) => [c.id, c])) }); },
      () => { inFlight.current = false; },
    );
  }, [version, doc]);
  return state.doc === doc ? state.map : new Map();
}

export function connLabel(c: ConnectionInfo | undefined, id: number): string {
  if (!c) return `#${id}`;
  return `#${id} ${c.clientId ?? c.remote}`;
}
