// The server's memory as an operator runs it: `callsnare serve` in a process of its own, on an
// on-disk PGlite data directory holding the benchmark's data, after the same c=32 missed-call
// burst. The main benchmark runs the server inside the benchmark process on an in-memory PGlite
// (whose files are JavaScript buffers in that process), so its RSS says little about a server.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DIAL_STATUS_PATH, BENCH_ACCOUNT_SID, BENCH_AUTH_TOKEN, BENCH_PUBLIC_BASE_URL } from './webhooks.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MB = 2 ** 20;

/**
 * Copies the in-memory PGlite `db` to a data directory, serves it from a child process,
 * sends it a burst of missed calls and reads the child's memory from /proc.
 * Returns { rssMb, peakRssMb, deliveries, perSecond, dataDirMb, idleRssMb } or { unavailable }.
 */
export async function serverProcessMemory({ db, server, to, runJob, seconds, concurrency, fromOffset, log }) {
  if (process.platform !== 'linux') return { unavailable: 'reads /proc (Linux only)' };
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'callsnare-bench-'));
  let child = null;
  try {
    log('  server in its own process on an on-disk copy of the PGlite data');
    const dump = await db.pglite.dumpDataDir('none');
    // Where `serve` looks with DATA_DIR=dataDir (its pgdata/ subdirectory): a copy anywhere else
    // would leave the server to create and migrate an empty database of its own.
    const served = server.databaseTargetFrom(undefined, dataDir);
    const copy = await server.openDatabase(served, { loadDataDir: dump, holder: 'the benchmark' });
    await copy.close();
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    child = spawn(process.execPath, [path.join(root, 'server', 'bin', 'callsnare.js'), 'serve'], {
      cwd: root,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NODE_ENV: 'production',
        // As npm start and deploy/callsnare@.service run it.
        MALLOC_ARENA_MAX: '2',
        PORT: String(port),
        DATA_DIR: dataDir,
        LOG_LEVEL: 'warn',
        INTEGRATION_MODE: 'sandbox',
        RATE_LIMIT_API_PER_MIN: '1000000',
        RATE_LIMIT_WEBHOOK_PER_MIN: '1000000',
        TWILIO_ACCOUNT_SID: BENCH_ACCOUNT_SID,
        TWILIO_AUTH_TOKEN: BENCH_AUTH_TOKEN,
        PUBLIC_BASE_URL: BENCH_PUBLIC_BASE_URL,
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr = (stderr + chunk).slice(-4000)));
    await waitReady(url, child, () => stderr);
    const idle = memoryOf(child.pid);
    const run = await runJob({
      type: 'throughput',
      url,
      path: DIAL_STATUS_PATH,
      concurrency,
      seconds,
      maxRequests: 100_000,
      twilio: {
        mode: 'unique',
        runId: `mem${process.pid}`,
        fromOffset,
        to,
        authToken: BENCH_AUTH_TOKEN,
        accountSid: BENCH_ACCOUNT_SID,
        publicBaseUrl: BENCH_PUBLIC_BASE_URL,
      },
    });
    // Let the outbox send the burst's text-backs: the memory is read with the server back at rest.
    await new Promise((resolve) => setTimeout(resolve, 5000));
    const after = memoryOf(child.pid);
    return {
      rssMb: after.rssMb,
      peakRssMb: after.peakRssMb,
      idleRssMb: idle.rssMb,
      deliveries: run.completed,
      perSecond: (run.completed / run.elapsedMs) * 1000,
      non200: Object.entries(run.statuses).reduce((sum, [status, count]) => (status === '200' ? sum : sum + count), 0) + run.failures,
      dataDirMb: directorySize(dataDir) / MB,
    };
  } finally {
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

function memoryOf(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMb: kb('VmRSS') / 1024, peakRssMb: kb('VmHWM') / 1024 };
}

async function waitReady(url, child, stderr) {
  const until = Date.now() + 60_000;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`the server exited with code ${child.exitCode}: ${stderr()}`);
    const ready = await fetch(`${url}/readyz`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the server did not answer /readyz within 60 s: ${stderr()}`);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

function directorySize(dir) {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += fs.statSync(path.join(entry.parentPath ?? entry.path, entry.name)).size;
  }
  return total;
}
