// `npm run fuzz [-- --inputs N --seed S]`: the long run; prints the table the README reports.
import { parseArgs } from 'node:util';
import { runFuzz, table } from './fuzzer';

const { values } = parseArgs({ options: { inputs: { type: 'string', default: '1000000' }, seed: { type: 'string', default: '1' } } });
const started = performance.now();
const { rows, problems } = await runFuzz({ seed: Number(values.seed), inputs: Number(values.inputs), log: (s) => console.error(s) });
console.log(table(rows));
console.log(`seed ${values.seed}, ${((performance.now() - started) / 1000).toFixed(0)} s`);
for (const p of problems.slice(0, 20)) console.log(`problem: ${p}`);
const bad = rows.some((r) => r.crashes || r.hung || r.framesLost || r.overshootBytes > 0);
process.exit(bad ? 1 : 0);
