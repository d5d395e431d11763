// The burst's publisher, in a process of its own: publishing 50,000 messages in one synchronous loop takes
// a few hundred ms, and in the bench's own process it held up Playwright, whose clicks (and the input
// delays measured from them) then waited for the loop, not for the page. Driven over the fork channel.
import { LoadClient } from './load-client';

const [port, n] = process.argv.slice(2).map(Number);
const pub = new LoadClient(port, `burst-pub-${process.pid}`);
await pub.connect();
const payload = Buffer.from('{"v":12.5,"unit":"C","seq":0000000}');
process.on('message', (m: { cmd: string }) => {
  if (m.cmd === 'probe') pub.publish('burst-ready', Buffer.from('1'), 0);
  if (m.cmd === 'go') {
    for (let i = 0; i < n; i++) pub.publish(`burst/dev${i % 100}`, payload, 0);
    process.send!({ sent: n });
  }
  if (m.cmd === 'exit') { pub.close(); process.exit(0); }
});
process.send!({ ready: true });
