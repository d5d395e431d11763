// Topics view: the topic tree, charts and codec rules.
import type { Page } from 'playwright-core';
import { AppPage } from './AppPage';

export class TopicsPage {
  constructor(readonly page: Page, readonly app = new AppPage(page)) {}
  async open(): Promise<void> { await this.app.go('topics'); }
  row(path: string) {
    return this.page.getByTestId('topic-row').and(this.page.locator(`[data-path="${path}"]`));
  }
  async count(path: string): Promise<number> {
    return Number(await this.row(path).getAttribute('data-count'));
  }
  async expand(path: string): Promise<void> {
    await this.row(path).getByTestId('topic-toggle').click();
  }
  async waitTotals(topics: number, messages: number): Promise<void> {
    await this.page.locator(`[data-testid="topic-total"][data-topics="${topics}"][data-messages="${messages}"]`).waitFor({ timeout: 15000 });
  }
  async search(text: string): Promise<void> { await this.page.getByTestId('topic-search').fill(text); }
  async chart(path: string, field: string): Promise<void> {
    const row = this.row(path);
    await row.hover();
    await row.getByTestId('topic-chart').click();
    await this.page.getByTestId('chart-field').selectOption(field);
    await this.page.getByTestId('chart-add-series').click();
  }
  async addCodecRule(pattern: string, codec: string): Promise<void> {
    await this.page.getByTestId('topics-tab-codecs').click();
    const n = await this.page.getByTestId('codec-rule').count();
    await this.page.getByTestId('codec-add').click();
    await this.page.getByTestId(`codec-pattern-${n}`).fill(pattern);
    await this.page.getByTestId(`codec-codec-${n}`).selectOption(codec);
    await this.page.getByTestId('codec-save').click();
    await this.page.getByTestId('codec-save').and(this.page.locator(':disabled')).waitFor();
  }
}
