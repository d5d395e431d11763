// Dev helper: open the UI against a fresh host and save a screenshot of each view to screenshots-tmp/.
import { startE2E } from './harness';
const e = await startE2E({ colorScheme: (process.argv[2] as 'light' | 'dark') ?? 'light' });
const { page } = e;
await page.screenshot({ path: 'screenshots-tmp/smoke-connections.png' });
for (const v of ['messages', 'broker', 'trace']) {
  await page.getByTestId(`nav-${v}`).click();
  await page.screenshot({ path: `screenshots-tmp/smoke-${v}.png` });
}
console.log('errors:', e.errors);
await e.close();
