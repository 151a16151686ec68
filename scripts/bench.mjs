// `npm run bench`: read and write benchmarks against the real server, in-process,
// over a seeded PostgreSQL (a fresh database, dropped afterwards) and an in-memory
// PGlite. Prints a results table; `--write` also records it in BENCHMARKS.md.
// Not a test: nothing here asserts timings in `npm test`.
import { spawnSync, execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const benchDir = path.join(root, 'bench');
const bench = (file) => import(pathToFileURL(path.join(benchDir, file)).href);

const USAGE = `Usage: npm run bench -- [options]

  --quick              a quick run (~1–2 min): --leads 2000 --requests 50 --warmup 10
                       --seconds 2 unless given (also BENCH_QUICK=1)
  --only pg|pglite     one database only (default: both)
  --leads N            leads to seed (default 100000; events 10 N, messages N,
                       audit entries N, callbacks 0.3 N). Quick smoke: --leads 2000
  --requests N         timed requests per read benchmark (default 300)
  --warmup N           warm-up requests before each (default 30)
  --seconds S          duration of each webhook throughput run (default 5)
  --concurrency C      requests in flight in the webhook runs (default 32)
  --skip-webhooks      read benchmarks only
  --skip-build         use server/dist as it is (default: npx tsc -p server first)
  --write              also write the results to BENCHMARKS.md
  BENCH_CPU_PROFILE=dir  CPU profiles of the main thread during the timed reads and the
                       missed-call and duplicate runs: dir/reads-leads-<pg|pglite>.cpuprofile,
                       dir/missed-calls-<pg|pglite>.cpuprofile, …
  --help
`;

const { values: args } = parseArgs({
  options: {
    only: { type: 'string' },
    quick: { type: 'boolean', default: process.env.BENCH_QUICK === '1' },
    leads: { type: 'string' },
    requests: { type: 'string' },
    warmup: { type: 'string' },
    seconds: { type: 'string' },
    concurrency: { type: 'string', default: '32' },
    'skip-webhooks': { type: 'boolean', default: false },
    'skip-build': { type: 'boolean', default: false },
    write: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
const defaults = args.quick ? { leads: '2000', requests: '50', warmup: '10', seconds: '2' } : { leads: '100000', requests: '300', warmup: '30', seconds: '5' };
for (const [name, value] of Object.entries(defaults)) args[name] ??= value;
const positive = (name, max) => {
  const value = Number(args[name]);
  if (!Number.isInteger(value) || value < 1 || value > max) {
    process.stderr.write(`--${name} must be an integer from 1 to ${max}\n\n${USAGE}`);
    process.exit(2);
  }
  return value;
};
const options = {
  leads: positive('leads', 2_000_000),
  requests: positive('requests', 10_000),
  warmup: positive('warmup', 1_000),
  seconds: positive('seconds', 60),
  concurrency: positive('concurrency', 256),
};
if (options.leads < 100) {
  process.stderr.write('--leads must be at least 100\n');
  process.exit(2);
}
const kinds = args.only ? [args.only] : ['pg', 'pglite'];
if (!kinds.every((kind) => kind === 'pg' || kind === 'pglite')) {
  process.stderr.write(`--only takes pg or pglite (got "${args.only}")\n`);
  process.exit(2);
}

const log = (line) => process.stderr.write(`${line}\n`);
const commandLine = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
const runStarted = performance.now();
const loadAtStart = os.loadavg();

// ── build ──────────────────────────────────────────────────────────────────
let buildNote = null;
if (!args['skip-build']) {
  log('building the server (npx tsc -p server)…');
  const tsc = createRequire(path.join(root, 'package.json')).resolve('typescript/bin/tsc');
  const build = spawnSync(process.execPath, [tsc, '-p', 'server'], { cwd: root, encoding: 'utf8' });
  if (build.status !== 0) {
    const errors = (build.stdout + build.stderr).split('\n').filter((line) => /error TS/.test(line));
    buildNote = `tsc reported ${errors.length} type error(s); the emitted JavaScript was benchmarked anyway`;
    log(
      `  warning: ${buildNote}:\n${errors
        .slice(0, 10)
        .map((line) => `    ${line}`)
        .join('\n')}`,
    );
  }
}

// ── server modules ─────────────────────────────────────────────────────────
// As deploy/callsnare@.service runs it (graphql-js reads NODE_ENV once, when it loads: development mode adds checks).
process.env.NODE_ENV = 'production';
const dist = (file) => import(pathToFileURL(path.join(root, 'server', 'dist', file)).href);
// As the server's entry points do: type-graphql's decorators need it loaded first.
createRequire(path.join(root, 'server', 'package.json'))('reflect-metadata');
const server = {
  ...(await dist('db/client.js')),
  ...(await dist('db/migration-runner.js')),
  ...(await dist('db/types.js')),
  ...(await dist('organizations/organizations.service.js')),
  ...(await dist('access/credentials.service.js')),
  ...(await dist('access/scopes.js')),
  ...(await dist('common/actor.js')),
  ...(await dist('common/time-zones.js')),
  ...(await dist('server.js')),
  ...(await dist('config.js')),
  ...(await dist('logger.js')),
  ...(await dist('audit/audit-signing.js')),
};
// The bench org's set-up writes audit entries before any server starts (which would load a key):
// sign them with a throwaway key, as the tests do.
server.useAuditSigningKey(server.AuditSigningKey.fromBytes(crypto.randomBytes(32)));
// StartOptions.workers (background loops on/off), when the server has it.
const serverSource = fs.readFileSync(path.join(root, 'server', 'dist', 'server.js'), 'utf8');
const hasWorkersOption = /options\.workers\b/.test(serverSource);

const { prepareDatabase, TRACKING_NUMBER } = await bench('databases.mjs');
const { LEADS_QUERY, AUDIT_QUERY, INTROSPECT_QUERY, leadsDirect, auditDirect, schemaHasField } = await bench('queries.mjs');
const { webhookBenchmarks, BENCH_AUTH_TOKEN, BENCH_ACCOUNT_SID, BENCH_PUBLIC_BASE_URL } = await bench('webhooks.mjs');
const { ceilingBenchmarks } = await bench('ceiling.mjs');
const { serverProcessMemory } = await bench('own-process.mjs');
const { summarize, ms } = await bench('stats.mjs');
const { rowsFor, markdownTable, textTable, writeBenchmarksFile } = await bench('report.mjs');
const { profiled } = await bench('profile.mjs');

/**
 * CPU accounting on a shared box (Linux /proc; NaN elsewhere). measure(mark()) gives,
 * since the mark: bg, the cores other processes used; mainCpuMs, the CPU of this
 * process's main thread (the server, and the direct Prisma loops); pgCpuMs, the CPU
 * of the benchmark database's PostgreSQL backends.
 */
function startNoiseMonitor() {
  const mainStat = `/proc/self/task/${process.pid}/stat`;
  const mainSchedstat = `/proc/self/task/${process.pid}/schedstat`;
  if (!fs.existsSync(mainStat)) {
    const none = { bg: NaN, mainCpuMs: NaN, pgCpuMs: NaN, pgDirectCpuMs: NaN };
    return { mark: async () => null, measure: async () => none, mainCpuMs: () => NaN, watch: () => {}, stop: () => {} };
  }
  const counter = new BigInt64Array(new SharedArrayBuffer(24));
  const worker = new Worker(new URL('noise-worker.mjs', pathToFileURL(benchDir + path.sep)), { workerData: { counter, ownPid: process.pid } });
  worker.unref();
  // schedstat: nanoseconds on CPU (precise); stat: 10 ms ticks (fallback).
  const mainCpuMs = fs.existsSync(mainSchedstat)
    ? () => Number(fs.readFileSync(mainSchedstat, 'utf8').split(' ')[0]) / 1e6
    : () => {
        const stat = fs.readFileSync(mainStat, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return (Number(fields[11]) + Number(fields[12])) * 10;
      };
  const read = (i) => Atomics.load(counter, i);
  const sampled = () =>
    new Promise((resolve) => {
      worker.once('message', resolve);
      worker.postMessage('sample');
    });
  return {
    async mark() {
      await sampled();
      return { at: performance.now(), other: read(0), pg: read(1), direct: read(2), main: mainCpuMs() };
    },
    async measure(mark) {
      const main = mainCpuMs();
      await sampled();
      return {
        bg: Number(read(0) - mark.other) / 1000 / (performance.now() - mark.at),
        pgCpuMs: Number(read(1) - mark.pg) / 1000,
        pgDirectCpuMs: Number(read(2) - mark.direct) / 1000,
        mainCpuMs: main - mark.main,
      };
    },
    mainCpuMs,
    /** The PostgreSQL database whose backends count as the benchmark's (null: none), and the direct pool's pids. */
    watch: (database, directPids = []) => worker.postMessage({ benchDatabase: database, directPids }),
    stop: () => worker.terminate(),
  };
}
const noise = startNoiseMonitor();

/** Waits (up to maxMs) for other processes to use under a quarter of a core, so runs start on a quiet box. */
async function settle(what, maxMs = 15_000) {
  const until = performance.now() + maxMs;
  for (;;) {
    const mark = await noise.mark();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const busy = (await noise.measure(mark)).bg;
    if (!(busy >= 0.25)) return;
    if (performance.now() > until) {
      log(`  (other processes still use ${busy.toFixed(2)} cores; measuring ${what} anyway)`);
      return;
    }
  }
}

/** Runs one client-worker job on its own thread. */
function runJob(job) {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('client-worker.mjs', pathToFileURL(benchDir + path.sep)), { workerData: job });
    let result;
    worker.once('message', (message) => (result = message));
    worker.once('error', reject);
    worker.once('exit', (code) => (result ? resolve(result) : reject(new Error(`client worker exited with code ${code} and no result`))));
  });
}

function startBenchServer(db, { workers }) {
  const config = server.loadConfig({
    PORT: '0',
    LOG_LEVEL: 'silent',
    INTEGRATION_MODE: 'sandbox',
    RATE_LIMIT_API_PER_MIN: '1000000',
    RATE_LIMIT_WEBHOOK_PER_MIN: '1000000',
    TWILIO_ACCOUNT_SID: BENCH_ACCOUNT_SID,
    TWILIO_AUTH_TOKEN: BENCH_AUTH_TOKEN,
    PUBLIC_BASE_URL: BENCH_PUBLIC_BASE_URL,
  });
  return server.startServer(config, {
    db,
    seedDemoOnFirstStart: false,
    logger: server.createLogger('silent'),
    ...(hasWorkersOption ? { workers } : {}),
  });
}

async function graphql(url, secret, query) {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
    body: JSON.stringify({ query }),
  });
  return response.json();
}

// ── cleanup on interrupt: drop the PostgreSQL database, close PGlite ───────
const cleanups = new Set();
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, async () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    log(`\n${signal}: cleaning up…`);
    for (const cleanup of cleanups) await cleanup().catch(() => {});
    process.exit(130);
  });
}

const DIRECT_POOL = 'callsnare-bench-direct';
const { PrismaClient } = await dist('generated/prisma/client.js');
const { PrismaPg } = createRequire(path.join(root, 'server', 'package.json'))('@prisma/adapter-pg');

/**
 * The server's generated Prisma client over a PostgreSQL pool of its own, whose
 * connections are never closed when idle (so their backends can be watched).
 */
function directPool(url) {
  const adapter = new PrismaPg({ connectionString: url, application_name: DIRECT_POOL, max: 4, idleTimeoutMillis: 0 });
  return { prisma: new PrismaClient({ adapter }) };
}

/**
 * The process's memory as the OS sees it (RSS) and its parts: V8's heap, memory outside
 * it (buffers), and PGlite's WASM memory when the database is embedded (it is the
 * server's memory too: PGlite runs inside the server process).
 */
function memoryNow(db) {
  const usage = process.memoryUsage();
  const wasm = db.pglite?.Module?.HEAPU8 ?? db.pglite?.mod?.HEAPU8;
  const MB = 2 ** 20;
  return {
    rssMb: usage.rss / MB,
    heapUsedMb: usage.heapUsed / MB,
    externalMb: usage.external / MB,
    pgliteHeapMb: wasm?.byteLength ? wasm.byteLength / MB : null,
  };
}

/** CPU per request from a noise measurement over `requests` requests. */
function perRequest(measured, requests) {
  return { bg: measured.bg, mainCpuMs: measured.mainCpuMs / requests, pgCpuMs: measured.pgCpuMs / requests };
}

/**
 * One read benchmark: GraphQL over HTTP (requests made on a client thread) and the
 * direct Prisma query (on this thread, over its own pool), alternating request by
 * request so both see the same conditions on a shared box.
 */
async function readBenchmark(name, { kind, url, secret, query, field, direct, available }) {
  const out = {};
  let client = null;
  if (available) {
    // Same data both ways, checked once before timing.
    const viaGraphql = await graphql(url, secret, query);
    if (viaGraphql.errors) throw new Error(`${name}: GraphQL answered errors: ${JSON.stringify(viaGraphql.errors).slice(0, 500)}`);
    const viaPrisma = await direct.run();
    const connection = viaGraphql.data[field];
    if (connection.totalCount !== viaPrisma.totalCount || connection.nodes.map((n) => n.id).join() !== viaPrisma.nodes.map((n) => n.id).join()) {
      out.note = `${name}: GraphQL and direct Prisma disagree (totalCount ${connection.totalCount} vs ${viaPrisma.totalCount}, or node order)`;
      log(`  warning: ${out.note}`);
    }
    client = lockstepClient({
      url,
      path: '/graphql',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
      body: JSON.stringify({ query }),
    });
  }
  log(
    `  ${name}: ${options.warmup} warm-ups + ${options.requests} timed, ${client ? 'GraphQL and direct Prisma alternating' : 'direct Prisma only (not in the GraphQL schema)'}`,
  );
  try {
    const timed = async (fn) => {
      const cpu = noise.mainCpuMs();
      const started = performance.now();
      await fn();
      return { latency: performance.now() - started, cpu: noise.mainCpuMs() - cpu };
    };
    const viaGraphql = async () => {
      const cpu = noise.mainCpuMs();
      const response = await client.request();
      if (response.failed) throw new Error(`${name}: GraphQL answered ${response.status}: ${response.body}`);
      return { latency: response.latency, cpu: noise.mainCpuMs() - cpu };
    };
    for (let i = 0; i < options.warmup; i++) {
      if (client) await viaGraphql();
      await timed(direct.run);
    }
    await settle(name);
    await direct.watch?.();
    const samples = { graphql: [], direct: [] };
    const mark = await noise.mark();
    const deadline = performance.now() + 120_000;
    await profiled(`reads-${field}-${kind}`, async () => {
      while (samples.direct.length < options.requests && performance.now() < deadline) {
        if (client) samples.graphql.push(await viaGraphql());
        samples.direct.push(await timed(direct.run));
      }
    });
    const measured = await noise.measure(mark);
    const n = samples.direct.length;
    const summary = (list, pgCpuMs) => ({
      ...summarize(list.map((sample) => sample.latency)),
      bg: measured.bg,
      mainCpuMs: list.reduce((sum, sample) => sum + sample.cpu, 0) / list.length,
      pgCpuMs: pgCpuMs / n,
    });
    // The server's pool serves GraphQL; the direct loop has a pool of its own.
    if (client) out.graphql = summary(samples.graphql, measured.pgCpuMs);
    out.direct = summary(samples.direct, measured.pgDirectCpuMs);
    if (client) log(`    GraphQL p50 ${ms(out.graphql.p50)}, p95 ${ms(out.graphql.p95)}`);
    log(`    direct  p50 ${ms(out.direct.p50)}, p95 ${ms(out.direct.p95)}`);
  } finally {
    client?.close();
  }
  return out;
}

/** A client thread that makes one GraphQL request each time it is asked. */
function lockstepClient(job) {
  const worker = new Worker(new URL('client-worker.mjs', pathToFileURL(benchDir + path.sep)), { workerData: { type: 'lockstep', ...job } });
  let pending = null;
  worker.on('message', (message) => pending?.resolve(message));
  worker.on('error', (error) => pending?.reject(error));
  return {
    request: () =>
      new Promise((resolve, reject) => {
        pending = { resolve, reject };
        worker.postMessage('go');
      }),
    close: () => worker.postMessage('done'),
  };
}

async function benchmarkDatabase(kind) {
  const label = kind === 'pg' ? 'PostgreSQL' : 'PGlite (in memory)';
  log(`\n== ${label}: seeding ${options.leads.toLocaleString('en-US')} leads ==`);
  const seedStarted = performance.now();
  const prepared = await prepareDatabase(kind, { leads: options.leads, server, log });
  cleanups.add(prepared.close);
  noise.watch(prepared.databaseName);
  const measurements = { seedSeconds: (performance.now() - seedStarted) / 1000, seedTimings: prepared.seedTimings, notes: [] };
  try {
    const { db, orgId, secret } = prepared;
    if (kind === 'pg') measurements.serverVersion = (await db.prisma.$queryRawUnsafe('SHOW server_version'))[0].server_version;

    // Reads first: the webhook runs add leads, which would change the first page.
    // The direct queries get a pool of their own on PostgreSQL, so the CPU of its
    // backends can be told apart from the server's.
    const directDb = kind === 'pg' ? directPool(db.target.url) : null;
    const directPrisma = directDb?.prisma ?? db.prisma;
    const watchDirectPool = async () => {
      if (!directDb) return;
      const rows = await directPrisma.$queryRawUnsafe(
        'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1',
        DIRECT_POOL,
      );
      noise.watch(
        prepared.databaseName,
        rows.map((row) => row.pid),
      );
    };
    const running = await startBenchServer(db, { workers: false });
    try {
      const schema = await graphql(running.url, secret, INTROSPECT_QUERY);
      const hasLeads = schemaHasField(schema, 'leads');
      const hasAudit = schemaHasField(schema, 'auditEntries');
      const leads = await readBenchmark('leads(first:50)', {
        kind,
        url: running.url,
        secret,
        query: LEADS_QUERY,
        field: 'leads',
        direct: { run: () => leadsDirect(directPrisma, orgId), watch: watchDirectPool },
        available: hasLeads,
      });
      const audit = await readBenchmark('auditEntries(first:100)', {
        kind,
        url: running.url,
        secret,
        query: AUDIT_QUERY,
        field: 'auditEntries',
        direct: { run: () => auditDirect(directPrisma, orgId), watch: watchDirectPool },
        available: hasAudit,
      });
      Object.assign(measurements, {
        leadsGraphql: leads.graphql,
        leadsDirect: leads.direct,
        leadsMissing: hasLeads ? undefined : '`leads` not in the schema',
        auditGraphql: audit.graphql,
        auditDirect: audit.direct,
        auditMissing: hasAudit ? undefined : '`auditEntries` not in the schema',
      });
      for (const note of [leads.note, audit.note]) if (note) measurements.notes.push(note);
    } finally {
      await running.close();
      await directDb?.prisma.$disconnect();
    }

    if (!args['skip-webhooks']) {
      // The ceiling first, while no CallSnare server runs: the same form and client, no product code.
      await settle('the ceiling runs');
      const ceilingJob = {
        kind,
        db,
        to: TRACKING_NUMBER,
        runJob,
        seconds: options.seconds,
        concurrency: options.concurrency,
        noise,
        perRequest,
        twilio: { to: TRACKING_NUMBER, authToken: BENCH_AUTH_TOKEN, accountSid: BENCH_ACCOUNT_SID, publicBaseUrl: BENCH_PUBLIC_BASE_URL },
        log,
      };
      const ceiling = await ceilingBenchmarks(ceilingJob);
      const rate = (run) => Math.round(run.completed / (run.elapsedMs / 1000));
      log(
        `    form only ${rate(ceiling.formOnly)}/s, one INSERT ${rate(ceiling.oneInsert)}/s, floor ${rate(ceiling.missedCallRows)}/s, through an outbox ${rate(ceiling.missedCallOutbox)}/s`,
      );
      log(`  webhooks (${hasWorkersOption ? 'background workers on' : 'server default workers'})`);
      const writing = await startBenchServer(db, { workers: true });
      try {
        await settle('the webhook runs');
        measurements.webhooks = await webhookBenchmarks({
          kind,
          url: writing.url,
          db,
          to: TRACKING_NUMBER,
          runJob,
          seconds: options.seconds,
          concurrency: options.concurrency,
          noise,
          perRequest,
          log,
        });
        measurements.webhooks.ceiling = ceiling;
        measurements.webhooks.memory = memoryNow(db);
        log(`    RSS after the webhook runs: ${measurements.webhooks.memory.rssMb.toFixed(0)} MB`);
        if (!measurements.webhooks.available) log(`  webhooks: ${measurements.webhooks.reason}`);
        measurements.notes.push(...(measurements.webhooks.notes ?? []));
      } finally {
        await writing.close();
      }
      // The baseline again, once the server is gone: a slow spell during one of the two runs
      // (this box's speed drifts by a third within a minute) would otherwise move the ratio;
      // the report reads the product against the faster of the two.
      if (measurements.webhooks.available) {
        await settle('the second baseline run');
        ceiling.oneInsertAgain = (await ceilingBenchmarks({ ...ceilingJob, baselineOnly: true })).oneInsert;
        log(`    one INSERT again ${rate(ceiling.oneInsertAgain)}/s`);
      }
      if (kind === 'pglite' && measurements.webhooks.available) {
        await settle('the own-process memory run');
        measurements.webhooks.ownProcess = await serverProcessMemory({
          db,
          server,
          to: TRACKING_NUMBER,
          runJob,
          seconds: options.seconds,
          concurrency: options.concurrency,
          fromOffset: 7_000_000,
          log,
        });
        const own = measurements.webhooks.ownProcess;
        log(own.unavailable ? `    own process: ${own.unavailable}` : `    own process: RSS ${own.rssMb.toFixed(0)} MB after ${own.deliveries} deliveries`);
      }
    }
  } finally {
    cleanups.delete(prepared.close);
    await prepared.close();
  }
  return measurements;
}

const results = {};
for (const kind of kinds) results[kind] = await benchmarkDatabase(kind);

// ── report ─────────────────────────────────────────────────────────────────
const rows = kinds.flatMap((kind) => rowsFor(kind, results[kind]));
process.stdout.write(`\n${textTable(rows)}\n`);
const notes = [buildNote, ...kinds.flatMap((kind) => results[kind].notes)].filter(Boolean);
if (notes.length) process.stdout.write(`\nNotes:\n${notes.map((note) => `- ${note}`).join('\n')}\n`);
const totalSeconds = (performance.now() - runStarted) / 1000;
log(`\ntotal ${totalSeconds.toFixed(0)} s`);

if (args.write) {
  const pkg = (name) => {
    for (const dir of [path.join(root, 'server', 'node_modules'), path.join(root, 'node_modules')]) {
      const file = path.join(dir, name, 'package.json');
      if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf8')).version;
    }
    return '?';
  };
  const git = (...gitArgs) => {
    try {
      return execFileSync('git', gitArgs, { cwd: root, encoding: 'utf8' }).trim();
    } catch {
      return '';
    }
  };
  const commit = git('rev-parse', '--short', 'HEAD');
  const dirty = git('status', '--porcelain', '--', 'server', 'prisma') ? ' plus uncommitted changes in server/ and prisma/' : '';
  const N = options.leads;
  const seedLines = kinds.map((kind) => {
    const r = results[kind];
    const parts = r.seedTimings.map((t) => `${t.table} ${(t.ms / 1000).toFixed(1)} s`).join(', ');
    return `- ${kind === 'pg' ? 'PostgreSQL' : 'PGlite'}: set-up and seeding ${r.seedSeconds.toFixed(0)} s (${parts})`;
  });
  const generated = `
## Latest run

Command: \`${commandLine}\`

- Date: ${new Date().toISOString()}
- Machine: ${os.availableParallelism?.() ?? os.cpus().length} CPUs (\`nproc\`), ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ${os.type()} ${os.release()}
- Node ${process.version}; ${kinds.includes('pg') ? `PostgreSQL ${results.pg.serverVersion ?? '?'} on 127.0.0.1 (same machine); ` : ''}PGlite ${pkg('@electric-sql/pglite')}; Prisma ${pkg('@prisma/client')}
- Code: commit ${commit || '?'}${dirty}; server/dist built by \`npx tsc -p server\`${args['skip-build'] ? ' (before the run: --skip-build)' : ''}${buildNote ? ` (${buildNote})` : ''}
- Data, one organization: ${N.toLocaleString('en-US')} leads, ${(10 * N).toLocaleString('en-US')} lead events, ${results[kinds[0]].seedTimings.find((t) => t.table === 'Callback')?.rows.toLocaleString('en-US')} callbacks, ${N.toLocaleString('en-US')} messages, ${N.toLocaleString('en-US')} audit entries (shape in bench/seed.mjs: 60 % of leads open, 10 events per lead, past-due open callbacks already escalated), then \`VACUUM (ANALYZE)\` and \`CHECKPOINT\`
${seedLines.join('\n')}
- Total run time: ${totalSeconds.toFixed(0)} s; load average at the start ${loadAtStart.map((l) => l.toFixed(2)).join(' / ')}, at the end ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(
      ' / ',
    )} (1/5/15 min). The box is shared: "Other load" is the CPU other processes (everything but the benchmark process and its database's PostgreSQL backends) used during each measurement; each measurement first waits up to 15 s for it to fall under 0.25 cores.

${markdownTable(rows)}
${notes.length ? `\nNotes:\n${notes.map((note) => `- ${note}`).join('\n')}\n` : ''}
### How it is measured

- The real server (\`startServer\` from server/dist) runs in the benchmark process on port 0, \`NODE_ENV=production\`, \`INTEGRATION_MODE=sandbox\`,
  \`LOG_LEVEL=silent\`, rate limits raised out of the way. Requests are made and timed on a worker thread (bench/client-worker.mjs,
  Node \`http\` with keep-alive) so the client does not share the server's event loop; only 127.0.0.1 is called.
- Reads: ${options.warmup} warm-ups, then ${options.requests} sequential requests (bounded to 120 s) with an API credential holding every
  scope, alternating with "direct Prisma": the same data fetched in the same run by the generated Prisma client on the
  main thread (\`findMany\` take 51 + nested \`events\` take 5 + \`callbacks\`, beside the kept lead counts / the audit chain's
  highest \`seq\` for the total, as the server does; bench/queries.mjs), over a
  pool of its own on PostgreSQL. Alternating request by request exposes both to the same conditions. Overhead ratio =
  GraphQL p50 / direct p50 (the p95 ratio is shown in brackets). The GraphQL server runs${hasWorkersOption ? ' with background workers off' : ''} during reads.
- Ceiling (bench/ceiling.mjs), measured in the same run before the webhook runs, with the same client and form: an
  Express 5 route that parses the signed dial-status form and answers (no database), and the same route plus one
  \`INSERT … ON CONFLICT DO NOTHING\` of the CallSid (a \`pg\` pool of 10 on PostgreSQL, the same in-memory PGlite on
  PGlite). The one-INSERT route runs again after the webhook runs, once the server is gone, and the "baseline" is the
  faster of its two runs: this box's speed drifts by up to a third within a minute, and a slow spell during the first
  run alone once read as a pass. The webhook targets are ratios of that baseline: missed calls ≥ 0.30×, duplicates ≥ 0.60×.
  Two floors follow, on the same route: a missed call's rows (its lead, events, text, open callback and webhook-log row)
  written by one plain statement with the text as already sent, which no implementation can undercut; and the same rows
  written through an outbox, as a text that is never lost nor sent twice must be: the text claimed before the provider
  is called, the response sent, then the send recorded (the text SENT with its sid, TEXT_BACK_SENT, the lead's
  \`lastActivityAt\`) for the texts of each event-loop turn in one statement, the provider call itself left out.
- Webhooks: signed Twilio \`dial-status\` deliveries (\`DialCallStatus=no-answer\`, signature VALID) to
  \`POST /webhooks/twilio/voice/dial-status\`, ${options.concurrency} in flight for ${options.seconds} s (closed loop), after 400 untimed
  missed calls that warm the server up as the reads' warm-ups do (each pool connection prepares the hot statements, and
  PostgreSQL plans the first executions of each before it keeps a generic plan). Missed calls use a new CallSid and
  caller each time (+1 300 2xx-xxxx and up: area code 300 has no region, so the shop's calling window applies, and the
  numbers have the usual North American shape, as real callers' do); duplicates replay one already-processed CallSid. Text-back latency = the outbound text-back's
  \`sentAt\` minus the moment its delivery was sent, for the whole burst of the missed-call run (backlog included: the
  target row, p95 ≤ 1 s) and at a steady 20 missed calls/s for 5 s (info).
- Memory: on PGlite, the target (≤ 250 MB) is read off a server as an operator runs it: the in-memory database is
  copied to a data directory on disk, \`callsnare serve\` runs on it in a process of its own, takes the same c=32
  missed-call burst, and its RSS (\`VmRSS\`, and the peak \`VmHWM\`) is read from /proc 5 s later (bench/own-process.mjs).
  The benchmark process's own RSS right after the webhook runs is shown too (info): it holds the server, its client
  threads and, on PGlite, the in-memory database's files as JavaScript buffers. Quiet hours are switched off for the bench org, and
  its time zone is one where it is 9 am–7 pm at the start of the run (the callers' area code is unassigned, so their
  calling window is 8 am–9 pm in the shop's zone), so no text-back is held until morning.
- "CPU per request": CPU time of the Node main thread (the server, Prisma and the in-process outbox worker all run
  there; for "direct Prisma", the direct query) and of the benchmark database's PostgreSQL backends (the server's pool,
  or the direct pool), per timed request or per delivery, read from /proc. It moves less than latency when the box is
  busy (though it still grows), and 1000 ms divided by the Node figure is the most one Node process can serve.
- Percentiles are nearest-rank over the raw samples. Targets: docs/architecture.md "Budgets".
`;
  const file = path.join(root, 'BENCHMARKS.md');
  writeBenchmarksFile(file, generated);
  log(`wrote ${path.relative(root, file)}`);
}
process.exit(0);
