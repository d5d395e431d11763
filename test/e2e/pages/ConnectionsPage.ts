// Connections view: profiles, the profile form, open connections.
import type { Page } from 'playwright-core';
import { AppPage } from './AppPage';

export class ConnectionsPage {
  constructor(readonly page: Page, readonly app = new AppPage(page)) {}
  async open(): Promise<void> { await this.app.go('connections'); }
  profile(name: string) { return this.page.getByTestId('profile-item').and(this.page.locator(`[data-name="${name}"]`)); }
  async select(name: string): Promise<void> {
    await this.open();
    await this.profile(name).click();
    await this.page.getByTestId('profile-name').and(this.page.locator(`[value="${name}"]`)).waitFor();
  }
  field(testId: string) { return this.page.getByTestId(testId); }
  error(testId: string) { return this.page.getByTestId(`${testId}-error`); }
  async connect(): Promise<void> { await this.page.getByTestId('profile-connect').click(); }
  async save(): Promise<void> { await this.page.getByTestId('profile-save').click(); }
  async newProfile(): Promise<void> {
    await this.open();
    const before = await this.page.getByTestId('profile-item').count();
    await this.page.getByTestId('profile-new').click();
    await this.page.getByTestId('profile-item').nth(before).waitFor();
  }
  async openSection(name: 'basic' | 'tls' | 'mqtt5' | 'will' | 'reconnect'): Promise<void> {
    const section = this.page.getByTestId(`section-${name}`);
    if (!(await section.getAttribute('open') !== null)) await section.locator('summary').click();
  }
  session(name: string) { return this.page.getByTestId('session-item').and(this.page.locator(`[data-name="${name}"]`)); }
}
