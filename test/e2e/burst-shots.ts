// Screenshots of the Messages and Trace views while a burst arrives (and once it is in):
// `npx tsx test/e2e/burst-shots.ts [outDir]`. For looking at what a burst does to the page, not a test.
import fs from 'node:fs/promises';
import mqtt from 'mqtt';
import { startE2E } from './harness';
import { AppPage } from './pages/AppPage';
import { subscribedOnLocalBroker } from './pages/local-session';

const outDir = process.argv[2] ?? 'screenshots-tmp';
await fs.mkdir(outDir, { recursive: true });
const e = await startE2E({ viewport: { width: 1440, height: 900 } });
try {
  const { page } = e;
  const app = new AppPage(page);
  const port = await subscribedOnLocalBroker(page, 'burst/#', 0);
  const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { clientId: 'burst-shots', protocolVersion: 4 });
  const send = (from: number, n: number) => { for (let i = from; i < from + n; i++) client.publish(`burst/dev${i % 100}`, `{"v":12.5,"unit":"C","seq":${i}}`, { qos: 0 }); };
  const count = () => page.evaluate(() => Number(document.querySelector('[data-testid="msg-count"]')?.getAttribute('data-count')));
  send(0, 20_000);
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="msg-count"]')?.getAttribute('data-count')) > 3000);
  await page.screenshot({ path: `${outDir}/messages-during.png` });
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="msg-count"]')?.getAttribute('data-count')) >= 20_000, undefined, { timeout: 90_000 });
  await page.screenshot({ path: `${outDir}/messages-after.png` });
  await app.go('trace');
  send(20_000, 20_000);
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="trace-count"]')?.getAttribute('data-count')) > 100_000, undefined, { timeout: 90_000 });
  await page.screenshot({ path: `${outDir}/trace-during.png` });
  await client.endAsync();
  await app.go('messages');
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="msg-count"]')?.getAttribute('data-count')) >= 40_000, undefined, { timeout: 90_000 });
  await page.screenshot({ path: `${outDir}/messages-end.png` });
  const contain = await page.evaluate(() => getComputedStyle(document.querySelector('[data-testid="msg-vlist"] .vrow')!).contain);
  console.log(`message rows: contain ${contain}`);
  const previews = await page.evaluate(() => [...document.querySelectorAll('[data-testid="msg-preview"]')].slice(-3).map((x) => x.textContent));
  console.log(`count ${await count()}; last previews ${JSON.stringify(previews)}; errors: ${JSON.stringify(e.errors)}`);
} finally {
  await e.close();
}
