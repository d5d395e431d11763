// Flows view: the flows table and the sequence diagram.
import type { Page } from 'playwright-core';
import { AppPage } from './AppPage';

export interface ArrowInfo { seq: number; tapSeq: number | null; type: string; dir: string; from: string; to: string; marks: string }

export class FlowsPage {
  constructor(readonly page: Page, readonly app = new AppPage(page)) {}
  async open(): Promise<void> { await this.app.go('flows'); }
  /** Waits until the diagram is drawn with at least `min` arrows. */
  async waitDiagram(min = 1): Promise<void> {
    await this.page.locator('[data-testid="flow-diagram"][data-status="ready"]').waitFor();
    await this.page.waitForFunction((n) => document.querySelectorAll('[data-testid="seq-arrow"]').length >= n, min);
  }
  /** Arrows in drawing order (top to bottom = time order). */
  async arrows(): Promise<ArrowInfo[]> {
    return this.page.$$eval('[data-testid="seq-arrow"]', (els) => els.map((e) => ({
      seq: Number(e.getAttribute('data-seq')),
      tapSeq: e.hasAttribute('data-tap-seq') ? Number(e.getAttribute('data-tap-seq')) : null,
      type: e.getAttribute('data-type') ?? '',
      dir: e.getAttribute('data-dir') ?? '',
      from: e.getAttribute('data-from') ?? '',
      to: e.getAttribute('data-to') ?? '',
      marks: e.getAttribute('data-marks') ?? '',
    })));
  }
  async lanes(): Promise<{ role: string; title: string; text: string }[]> {
    return this.page.$$eval('[data-testid="seq-lane"]', (els) => els.map((e) => ({
      role: e.getAttribute('data-role') ?? '', title: e.getAttribute('data-title') ?? '', text: e.textContent ?? '',
    })));
  }
  arrow(seq: number) { return this.page.locator(`[data-testid="seq-arrow"][data-seq="${seq}"]`); }
  rows() { return this.page.getByTestId('flow-row'); }
  async clearFilters(): Promise<void> {
    await this.page.getByTestId('flows-state').selectOption('');
    await this.page.getByTestId('flows-kind').selectOption('');
    await this.page.getByTestId('flows-client').fill('');
    await this.page.getByTestId('flows-topic').fill('');
  }
  /** Filters the table to one kind and topic, then selects the row of this client (draws its journey). */
  async showJourney(kind: string, topic: string, clientId: string): Promise<void> {
    await this.page.getByTestId('flows-kind').selectOption(kind);
    await this.page.getByTestId('flows-topic').fill(topic);
    const row = this.page.locator(`[data-testid="flow-row"][data-client="${clientId}"]`).first();
    await row.waitFor();
    await row.click();
  }
  async count(state: string): Promise<number> {
    return Number(await this.page.getByTestId(`flow-count-${state}`).getAttribute('data-count'));
  }
}
