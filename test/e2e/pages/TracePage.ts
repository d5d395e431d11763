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
  /** Type a frame number ("#12") or a time of day into "Go to" and press Enter. */
  async goTo(target: string): Promise<void> {
    const box = this.page.getByTestId('trace-goto');
    await box.fill(target);
    await box.press('Enter');
  }
  /** A wall clock time as "Go to" reads it: hh:mm:ss.µµµµµµ, formatted in the page's time zone. */
  timeOfDay(wallMs: number): Promise<string> {
    return this.page.evaluate((ms) => {
      const d = new Date(Math.floor(ms));
      return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':')
        + '.' + String(Math.round(ms * 1000) % 1_000_000).padStart(6, '0');
    }, wallMs);
  }
  /** Waits until frame `seq` is the selected row. */
  async selected(seq: number): Promise<void> {
    await this.page.locator(`.vrow.selected [data-testid="trace-row"][data-seq="${seq}"]`).waitFor();
  }
  async clickFrame(seq: number): Promise<void> {
    await this.page.locator(`[data-testid="trace-row"][data-seq="${seq}"]`).click();
    await this.page.getByTestId('frame-inspector').waitFor();
  }
}
