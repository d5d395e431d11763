// One e2e session: the real web host (core + broker) in-process on free ports with a temp data dir, and
// Debian's chromium driven by playwright-core. Console errors and page errors are collected so tests can
// assert the UI stayed clean.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { OutboxOptions } from '../../electron/core/contract-outbox';
import { startWebHost, type WebHost } from '../../electron/web/host';

export const CHROMIUM = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface E2E {
  host: WebHost;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  dataDir: string;
  errors: string[];
  close(): Promise<void>;
}

export interface E2EOptions {
  colorScheme?: 'light' | 'dark';
  viewport?: { width: number; height: number };
  /** The web host's outbox limits (a test can make every trace batch a notice). */
  outbox?: OutboxOptions;
}

export async function startE2E(opts: E2EOptions = {}): Promise<E2E> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'mqscope-e2e-'));
  const host = await startWebHost({ port: 0, dataDir, brokerDefaults: { tcpPort: 0, wsPort: 0 }, outbox: opts.outbox });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const context = await browser.newContext({ viewport: opts.viewport ?? { width: 1440, height: 900 }, colorScheme: opts.colorScheme ?? 'light', acceptDownloads: true });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  await page.goto(host.url);
  await page.getByTestId('app').waitFor({ timeout: 15000 });
  return {
    host, browser, context, page, dataDir, errors,
    async close() {
      await browser.close().catch(() => {});
      await host.close().catch(() => {});
      await fs.rm(dataDir, { recursive: true, force: true }).catch(() => {});
    },
  };
}
