// CPU monitor (Linux /proc), every 500 ms, summed into shared counters (µs):
//   [0] other processes: everything but this process and the benchmark's own
//       PostgreSQL backends (the box is shared; a busy box makes numbers worse);
//   [1] the benchmark database's PostgreSQL backends (their title names it),
//       except those of [2];
//   [2] the backends of the direct-Prisma pool (pids sent by the main thread).
// PostgreSQL's auxiliary processes (checkpointer, WAL writer…) serve everyone
// and are counted in none.
import fs from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';

const { counter, ownPid } = workerData;
const TICK_US = 10_000; // USER_HZ is 100 on Linux
const previous = new Map();
const kinds = new Map(); // pid -> 'other' | 'bench' | 'ignore'
let benchDatabase = null;
let directPids = new Set();

parentPort.on('message', (message) => {
  // A measurement starts or ends: bring the counters up to date first.
  if (message === 'sample') {
    sample();
    parentPort.postMessage('sampled');
    return;
  }
  if ('benchDatabase' in message) {
    benchDatabase = message.benchDatabase;
    directPids = new Set((message.directPids ?? []).map(String));
    kinds.clear();
  }
});

function kindOf(pid, comm) {
  if (comm !== 'postgres') return 'other';
  let kind = kinds.get(pid);
  if (kind) return kind;
  let title = '';
  try {
    title = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
  } catch {
    return 'ignore';
  }
  // Backends: "postgres: [<cluster>: ]<user> <database> <host>(<port>) <state>"; auxiliary
  // processes ("postgres: 15/main: checkpointer") have no client address.
  const backend = /^postgres: (?:\S+: )?\S+ (\S+) (?:\S+\(\d+\)|\[local\])/.exec(title);
  if (!backend) kind = 'ignore';
  else if (!benchDatabase || backend[1] !== benchDatabase) kind = 'other';
  else kind = directPids.has(pid) ? 'direct' : 'bench';
  kinds.set(pid, kind);
  return kind;
}

function sample() {
  let other = 0;
  let bench = 0;
  let direct = 0;
  const seen = new Set();
  let pids;
  try {
    pids = fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return;
  }
  for (const pid of pids) {
    if (Number(pid) === ownPid) continue;
    let stat;
    try {
      stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue;
    }
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(stat.indexOf('(') + 1, close);
    const fields = stat.slice(close + 2).split(' ');
    // utime, stime: fields 14 and 15 of stat (1-based), i.e. 11 and 12 after "pid (comm) ".
    const ticks = Number(fields[11]) + Number(fields[12]);
    seen.add(pid);
    const before = previous.get(pid);
    previous.set(pid, ticks);
    if (before === undefined || ticks < before) continue;
    const kind = kindOf(pid, comm);
    if (kind === 'other') other += ticks - before;
    else if (kind === 'bench') bench += ticks - before;
    else if (kind === 'direct') direct += ticks - before;
  }
  for (const pid of previous.keys()) {
    if (!seen.has(pid)) {
      previous.delete(pid);
      kinds.delete(pid);
    }
  }
  Atomics.add(counter, 0, BigInt(other * TICK_US));
  Atomics.add(counter, 1, BigInt(bench * TICK_US));
  Atomics.add(counter, 2, BigInt(direct * TICK_US));
}

sample();
setInterval(sample, 500);
