// Trace view: frame list and frame detail.
import type { Page } from 'playwright-core';
import { AppPage } from './AppPage';

export interface FrameRow { seq: number; type: string; dir: string; side: string; topic: string }

export class TracePage {
  constructor(readonly page: Page, readonly app = new AppPage(page)) {}
  async open(): Promise<void> { await this.app.go('trace'); }
  async filterType(type: string): Promise<void> { await this.filter(type ? `type == ${type}` : ''); }
  /** Type a display filter and apply it with Enter. */
  async filter(text: string): Promise<void> {
    const box = this.page.getByTestId('trace-filter');
    await box.fill(text);
    await box.press('Enter');
  }
  async clear(): Promise<void> {
    await this.page.getByTestId('trace-clear').click();
    await this.page.getByTestId('trace-clear-confirm').getByTestId('confirm-ok').click();
  }
  async search(text: string): Promise<void> { await this.page.getByTestId('trace-search').fill(text); }
  /** Rows currently rendered (the list is virtualized, so filter first to keep the set small). */
  async visibleRows(): Promise<FrameRow[]> {
    return this.page.$$eval('[data-testid="trace-row"]', (els) => els.map((e) => ({
      seq: Number(e.getAttribute('data-seq')),
      type: e.getAttribute('data-type') ?? '',
      dir: e.getAttribute('data-dir') ?? '',
      side: e.getAttribute('data-side') ?? '',
      topic: e.querySelector('.t-topic')?.textContent ?? '',
    })));
  }
  async clickFrame(seq: number): Promise<void> {
    await this.page.locator(`[data-testid="trace-row"][data-seq="${seq}"]`).click();
    await this.page.getByTestId('frame-inspector').waitFor();
  }
}
