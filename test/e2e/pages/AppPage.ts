// The window shell: navigation, status bar, theme.
import type { Page } from 'playwright-core';

export type View = 'connections' | 'messages' | 'broker' | 'trace' | 'flows' | 'topics';

export class AppPage {
  constructor(readonly page: Page) {}
  async go(view: View): Promise<void> {
    await this.page.getByTestId(`nav-${view}`).click();
    await this.page.getByTestId(`view-${view}`).waitFor();
  }
  async setTheme(theme: 'light' | 'dark'): Promise<void> {
    const toggle = this.page.getByTestId('theme-toggle');
    for (let i = 0; i < 3; i++) {
      if ((await this.page.evaluate(() => document.documentElement.dataset.theme)) === theme) return;
      await toggle.click();
    }
  }
  /** Puts text into the monaco editor inside the element with this test id (replacing its content). */
  async fillEditor(testId: string, text: string): Promise<void> {
    const editor = this.page.getByTestId(testId);
    await editor.locator('.monaco-editor').waitFor();
    await editor.locator('.view-lines').click();
    await this.page.keyboard.press('ControlOrMeta+A');
    await this.page.keyboard.press('Delete');
    await this.page.keyboard.insertText(text);
  }
}
