// The start of most message tests and benches: the embedded broker started from its view, the "Local
// broker" profile connected to it, and one subscription in the Messages view.
import type { Page } from 'playwright-core';
import { BrokerPage } from './BrokerPage';
import { ConnectionsPage } from './ConnectionsPage';
import { MessagesPage } from './MessagesPage';

/** Returns the embedded broker's TCP port. */
export async function subscribedOnLocalBroker(page: Page, topic: string, qos: 0 | 1 | 2): Promise<number> {
  const broker = new BrokerPage(page);
  await broker.start();
  const port = await broker.tcpPort();
  const c = new ConnectionsPage(page);
  await c.select('Local broker');
  await c.connect();
  const m = new MessagesPage(page);
  await m.waitConnected();
  await m.subscribe(topic, qos);
  return port;
}
