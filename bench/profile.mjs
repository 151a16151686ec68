// BENCH_CPU_PROFILE=<dir>: a CPU profile of the benchmark's main thread (the
// server, Prisma, the outbox and, on PGlite, the database) for each named run,
// written as <dir>/<name>.cpuprofile (open it in Chrome DevTools or speedscope).
import fs from 'node:fs';
import path from 'node:path';
import { Session } from 'node:inspector/promises';

/** Runs fn; when BENCH_CPU_PROFILE is set, profiles the main thread while it runs. */
export async function profiled(name, fn) {
  const dir = process.env.BENCH_CPU_PROFILE;
  if (!dir) return fn();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  try {
    return await fn();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, `${name}.cpuprofile`), JSON.stringify(profile));
    session.disconnect();
  }
}
