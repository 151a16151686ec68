// Per-call cost of the shop-time functions on the missed-call path (openingState ->
// nextOpening, quietHoursEndAfter), for decision 0016. Pure CPU, no database:
//   npm run -s build -w server && node bench/shop-time.mjs [path/to/shop-time.js]
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const target = path.resolve(process.argv[2] ?? path.join(here, '../server/dist/common/shop-time.js'));
const shopTime = createRequire(import.meta.url)(target);

const weekdays = { start: '08:00', end: '17:00' };
const WEEKDAY_HOURS = { mon: [weekdays], tue: [weekdays], wed: [weekdays], thu: [weekdays], fri: [weekdays], sat: [], sun: [] };
const ONE_MORNING = { mon: [], tue: [], wed: [{ start: '08:00', end: '12:00' }], thu: [], fri: [], sat: [], sun: [] };
const QUIET = { enabled: true, start: '21:00', end: '08:00' };

const cases = [
  ['openingState, open (Tue 10:00)', () => shopTime.openingState(new Date('2026-03-10T15:00:00Z'), 'America/Chicago', WEEKDAY_HOURS)],
  ['nextOpening, Fri 18:30 -> Mon 08:00', () => shopTime.nextOpening(new Date('2026-03-07T00:30:00Z'), 'America/Chicago', WEEKDAY_HOURS)],
  ['nextOpening, across spring forward (Sat -> Mon)', () => shopTime.nextOpening(new Date('2026-03-07T18:00:00Z'), 'America/New_York', WEEKDAY_HOURS)],
  ['nextOpening, one morning a week (Wed 12:05 -> next Wed)', () => shopTime.nextOpening(new Date('2026-03-11T17:05:00Z'), 'America/Chicago', ONE_MORNING)],
  ['quietHoursEndAfter, 23:00 -> 08:00', () => shopTime.quietHoursEndAfter(new Date('2026-03-11T04:00:00Z'), 'America/Chicago', QUIET)],
];

function measure(fn) {
  for (let i = 0; i < 200; i++) fn(); // warm-up (JIT, formatter caches)
  let iterations = 0;
  const started = process.hrtime.bigint();
  let elapsed = 0n;
  while (elapsed < 1_000_000_000n) {
    for (let i = 0; i < 20; i++) fn();
    iterations += 20;
    elapsed = process.hrtime.bigint() - started;
  }
  return Number(elapsed) / 1000 / iterations; // µs per call
}

console.log(`shop-time per call (${path.relative(process.cwd(), target)}, node ${process.version})`);
for (const [name, fn] of cases) {
  const result = fn();
  console.log(`${name.padEnd(58)} ${measure(fn).toFixed(1).padStart(9)} µs  -> ${result instanceof Date ? result.toISOString() : JSON.stringify(result)}`);
}
