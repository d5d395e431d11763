// Connection metadata (client id, transport, peer) for labelling trace rows; refetched when a frame
// mentions a connection we do not know yet.
import { useEffect, useRef, useState } from 'react';
import type { ConnectionInfo } from '../../../shared/contract/types';
import { core } from '../../app/core';
import { traceModel } from './trace-model';
import { useTraceVersion } from './use-trace-version';

export function useConnections(): Map<number, ConnectionInfo> {
  const version = useTraceVersion();
  const [map, setMap] = useState(new Map<number, ConnectionInfo>());
  const inFlight = useRef(false);
  useEffect(() => {
    const last = traceModel.frames.last();
    if (inFlight.current || (last && map.has(last.conn) && map.get(last.conn)?.clientId)) return;
    inFlight.current = true;
    core().connectionList().then(
      (list) => { inFlight.current = false; setMap(new Map(list.map((c) => [c.id, c]))); },
      () => { inFlight.current = false; },
    );
  }, [version]);
  return map;
}

export function connLabel(c: ConnectionInfo | undefined, id: number): string {
  if (!c) return `#${id}`;
  return `#${id} ${c.clientId ?? c.remote}`;
}
