// A core with its embedded broker on free ports, in a temp data dir; dispose() removes everything.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrokerConfig } from '../../shared/contract/types';
import { createCore, type Core } from '../../electron/core/core';

export interface TestCore {
  core: Core;
  port: number;
  wsPort: number;
  wsUrl: string;
  dataDir: string;
  dispose(): Promise<void>;
}

export async function startTestCore(config: Partial<BrokerConfig> = {}, budgetBytes?: number): Promise<TestCore> {
  const dataDir = await mkdtemp(join(tmpdir(), 'mqscope-test-'));
  const core = createCore({ dataDir, budgetBytes });
  const status = await core.brokerStart({
    config: { host: '127.0.0.1', tcpPort: 0, wsPort: 0, wsPath: '/mqtt', tls: null, auth: null, ...config },
  });
  if (status.state !== 'running') throw new Error(`broker did not start: ${status.error}`);
  const tcp = status.listeners.find((l) => l.kind === 'tcp')!;
  const ws = status.listeners.find((l) => l.kind === 'ws');
  return {
    core,
    port: tcp.port,
    wsPort: ws?.port ?? 0,
    wsUrl: ws?.url ?? '',
    dataDir,
    async dispose() {
      await core.dispose();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
