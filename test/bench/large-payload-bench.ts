// "Load payload" of a 5 MB one-line JSON message in the Messages view: the longest main-thread task the
// page reports (Long Tasks API) while it loads and shows, and the time until it is shown. Not asserted;
// the e2e test (test/e2e/large-payload.test.ts) checks the worker and the virtualized view.
//   npx tsx test/bench/large-payload-bench.ts [--runs N]
import mqtt from 'mqtt';
import { bigJsonPayload } from '../support/big-json';
import { startE2E } from '../e2e/harness';
import { MessagesPage } from '../e2e/pages/MessagesPage';
import { subscribedOnLocalBroker } from '../e2e/pages/local-session';

const runsAt = process.argv.indexOf('--runs');
const RUNS = runsAt > 0 ? Number(process.argv[runsAt + 1]) : 3;

const payload = bigJsonPayload();

const e = await startE2E();
try {
  const { page } = e;
  const port = await subscribedOnLocalBroker(page, 'big/#', 1);
  const m = new MessagesPage(page);
  console.log('| run | longest main-thread task (ms) | tasks ≥ 50 ms | shown after (ms) |');
  console.log('|--:|--:|--:|--:|');
  for (let run = 1; run <= RUNS; run++) {
    const topic = `big/json${run}`;
    const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { clientId: `big-json-${run}` });
    await client.publishAsync(topic, payload, { qos: 1 });
    await client.endAsync();
    await m.row(topic).waitFor();
    await m.select(topic);
    await page.getByTestId('msg-lazy').waitFor();
    await page.evaluate(() => {
      const w = window as unknown as { __long: number[] };
      w.__long = [];
      new PerformanceObserver((l) => { for (const t of l.getEntries()) w.__long.push(Math.round(t.duration)); }).observe({ type: 'longtask' });
    });
    const t0 = Date.now();
    await page.getByTestId('msg-load-payload').click();
    await page.locator('[data-testid="msg-payload"][data-ready="true"]').waitFor({ timeout: 120_000 });
    const shown = Date.now() - t0;
    const tasks = await page.evaluate(() => (window as unknown as { __long: number[] }).__long);
    console.log(`| ${run} | ${Math.max(0, ...tasks)} | ${tasks.length} | ${shown} |`);
  }
} finally {
  await e.close();
}
