// Messages view: session tabs, subscribe, the message list and detail, publish.
import type { Page } from 'playwright-core';
import { AppPage } from './AppPage';

export class MessagesPage {
  constructor(readonly page: Page, readonly app = new AppPage(page)) {}
  async open(): Promise<void> { await this.app.go('messages'); }
  async waitConnected(): Promise<void> {
    await this.page.getByTestId('active-session-state').filter({ hasText: 'Connected' }).waitFor({ timeout: 15000 });
  }
  async tab(name: string): Promise<void> {
    await this.page.getByTestId('session-tab').and(this.page.locator(`[data-name="${name}"]`)).click();
  }
  async subscribe(topic: string, qos: 0 | 1 | 2, opts: { retainAsPublished?: boolean } = {}): Promise<void> {
    await this.page.getByTestId('sub-topic').fill(topic);
    await this.page.getByTestId('sub-qos').selectOption(String(qos));
    if (opts.retainAsPublished) {
      await this.page.getByTestId('sub-more').click();
      await this.page.getByTestId('sub-rap').check();
    }
    await this.page.getByTestId('sub-submit').click();
    await this.page.getByTestId('sub-item').and(this.page.locator(`[data-topic="${topic}"]`)).waitFor();
  }
  async publish(p: { topic: string; qos: 0 | 1 | 2; retain?: boolean; mode?: 'text' | 'json' | 'hex' | 'base64' | 'codec'; payload: string; userProperties?: [string, string][] }): Promise<string> {
    await this.page.getByTestId('pub-topic').fill(p.topic);
    await this.page.getByTestId('pub-qos').selectOption(String(p.qos));
    await this.page.getByTestId('pub-retain').setChecked(!!p.retain);
    await this.page.getByTestId(`pub-mode-${p.mode ?? 'text'}`).click();
    await this.app.fillEditor('pub-editor', p.payload);
    if (p.userProperties?.length) {
      await this.page.getByTestId('pub-props-toggle').click();
      for (let i = 0; i < p.userProperties.length; i++) {
        await this.page.getByTestId('pub-user-props-add').click();
        await this.page.getByTestId(`pub-user-props-key-${i}`).fill(p.userProperties[i][0]);
        await this.page.getByTestId(`pub-user-props-value-${i}`).fill(p.userProperties[i][1]);
      }
    }
    const result = this.page.getByTestId('pub-result');
    const before = await result.innerText();
    await this.page.getByTestId('pub-send').click();
    await this.page.waitForFunction((b) => document.querySelector('[data-testid="pub-result"]')?.textContent !== b, before);
    return result.innerText();
  }
  rows() { return this.page.getByTestId('msg-row'); }
  row(topic: string) { return this.page.locator(`[data-testid="msg-row"][data-topic="${topic}"]`); }
  async count(): Promise<number> {
    return Number(await this.page.getByTestId('msg-count').getAttribute('data-count'));
  }
  async select(topic: string): Promise<void> {
    await this.row(topic).last().click();
    await this.page.getByTestId('msg-detail-topic').filter({ hasText: topic }).waitFor();
  }
  async payloadText(): Promise<string> {
    return this.page.getByTestId('msg-payload-raw').textContent().then((t) => t ?? '');
  }
  async detailTab(t: 'payload' | 'properties' | 'diff' | 'frame'): Promise<void> { await this.page.getByTestId(`msg-tab-${t}`).click(); }
}
