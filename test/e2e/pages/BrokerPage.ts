// Broker view: start/stop, tables.
import type { Page } from 'playwright-core';
import { AppPage } from './AppPage';

export class BrokerPage {
  constructor(readonly page: Page, readonly app = new AppPage(page)) {}
  async open(): Promise<void> { await this.app.go('broker'); }
  async start(): Promise<void> {
    await this.open();
    const start = this.page.getByTestId('broker-start');
    if (await start.isVisible()) await start.click();
    await this.page.getByTestId('broker-state').filter({ hasText: 'Running' }).waitFor();
  }
  async tcpPort(): Promise<number> {
    const text = await this.page.getByTestId('broker-listeners').innerText();
    const m = /mqtt:\/\/[^:]+:(\d+)/.exec(text);
    if (!m) throw new Error(`no TCP listener in "${text}"`);
    return Number(m[1]);
  }
  async tab(name: 'clients' | 'subscriptions' | 'retained' | 'offline'): Promise<void> {
    await this.page.getByTestId(`broker-tab-${name}`).click();
  }
  retainedRow(topic: string) {
    return this.page.getByTestId('broker-retained-row').and(this.page.locator(`[data-key="${topic}"]`));
  }
  clientRows() { return this.page.getByTestId('broker-clients-row'); }
}
