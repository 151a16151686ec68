// Three nodes on one PostgreSQL and one Redis behind HAProxy (deploy/haproxy.cfg),
// one of them killed with SIGKILL in the middle of a burst (`npm run test:scale`):
// - 3,000 signed missed-call deliveries at 32 in flight, 30 % duplicates (some
//   sent at the same moment as the original, some later, so through another node),
//   retried as Twilio retries when a node drops them;
// - a graphql-ws subscriber connected through HAProxy hears each of its
//   organization's missed calls at most once and nothing of the other one,
//   reconnecting (and resyncing, as the dashboard does) when its node dies;
// - a credential limited to RATE_LIMIT_API_PER_MIN=60 is limited at ~60 across
//   the three nodes (Redis counters), not 180.
// Afterwards every accepted call has one CALL_MISSED event, one callback and one
// text-back the provider received once, no claim is stuck, and the audit chain
// verifies. Prints deliveries/s through the cluster next to one node alone.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { createClient as createLiveClient, type Client as LiveClient } from 'graphql-ws';
import type { Database } from '../../src/db/client';
import { SANDBOX_SMS_RECORD_FILE } from '../../src/messaging/sms-transports';
import { postTwilioForm } from '../../src/webhooks/twilio-simulator';
import { TWILIO_WEBHOOK_BASE } from '../../src/common/twilio-paths';
import { TEST_AUDIT_SIGNING_KEY_HEX } from '../support/audit-signing-key';
import { openTestDatabase } from '../support/database';
import { createTestCredential, createTestOrg } from '../support/fixtures';
import { daytimeTimeZone, newCall, newUnlistedCallerNumber, TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, type TestCall } from '../support/twilio';
import { builtServerState, freePort, startServerProcess, type ServerProcess } from '../crash/server-process';

const NODES = 3;
const UNIQUE_CALLS = 2_100;
const CONCURRENT_TWINS = 450; // sent twice at the same moment
const LATER_REPLAYS = 450; // sent again later, most likely to another node
const IN_FLIGHT = 32;
const SINGLE_NODE_CALLS = 400;
const API_LIMIT_PER_MIN = 60;
/** The whole test, three node starts, the burst, the drain and the checks, on a loaded 2-core box. */
const BUDGET_MS = 240_000;
const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const HAPROXY = ['/usr/sbin/haproxy', '/usr/bin/haproxy'].find((candidate) => fs.existsSync(candidate));
const redisUrl = process.env.REDIS_URL_TEST;
const postgresUrl = process.env.TEST_DATABASE_URL;

const missing = [!postgresUrl && 'TEST_DATABASE_URL', !redisUrl && 'REDIS_URL_TEST', !HAPROXY && 'haproxy (apt-get install -y haproxy)'].filter(Boolean);
if (missing.length > 0) console.warn(`scale test skipped: it needs ${missing.join(', ')}`);
const describeCluster = missing.length === 0 ? describe : describe.skip;

jest.setTimeout(BUDGET_MS + 30_000);

/** CPU time (user + system) a process used so far, in ms (Linux /proc; 0 where there is none). */
function cpuMs(pid: number | undefined): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the command name, in clock ticks (100 a second).
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

interface Delivery {
  call: TestCall;
  /** Sent twice at once. */
  twin: boolean;
}

describeCluster('three nodes behind HAProxy on PostgreSQL and Redis', () => {
  let db: Database;
  let dataDir: string;
  const nodes: (ServerProcess | null)[] = [];
  const nodePorts: number[] = [];
  let haproxy: ChildProcess | null = null;
  let proxyUrl = '';
  let live: LiveClient | null = null;
  // The key the test process signs its own entries with (organizations, credentials): one key for the whole cluster.
  const auditKey = TEST_AUDIT_SIGNING_KEY_HEX;

  beforeAll(async () => {
    const build = builtServerState();
    if (build.missing) throw new Error(`the scale test runs the built server: ${build.missing}`);
    if (build.stale) console.warn(`scale test: ${build.stale}`);
    db = await openTestDatabase('postgres'); // a fresh, migrated database of its own
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'callsnare-scale-'));
  });
  afterAll(async () => {
    await live?.dispose();
    for (const node of nodes) node?.child.kill('SIGKILL');
    await Promise.all(nodes.flatMap((node) => (node ? [node.exited] : [])));
    haproxy?.kill('SIGKILL');
    await (db as Database | undefined)?.close(); // undefined when beforeAll failed early
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  function nodeEnv(): Record<string, string> {
    if (db.target.kind !== 'postgres') throw new Error('the scale test runs on PostgreSQL');
    return {
      DATABASE_URL: db.target.url,
      REDIS_URL: redisUrl!,
      // One DATA_DIR for all nodes: the sandbox's record of sent texts is the provider's log, shared like Twilio's.
      DATA_DIR: dataDir,
      INTEGRATION_MODE: 'sandbox',
      TWILIO_AUTH_TOKEN: TEST_AUTH_TOKEN,
      PUBLIC_BASE_URL: proxyUrl,
      TRUST_PROXY: '1',
      AUDIT_SIGNING_KEY: auditKey,
      RATE_LIMIT_API_PER_MIN: String(API_LIMIT_PER_MIN),
      RATE_LIMIT_WEBHOOK_PER_MIN: '1000000',
    };
  }

  /** deploy/haproxy.cfg with this run's ports: the shipped file is what is tested. */
  async function startHaproxy(proxyPort: number): Promise<void> {
    let config = fs.readFileSync(path.join(REPO_ROOT, 'deploy', 'haproxy.cfg'), 'utf8');
    config = config.replace('bind 127.0.0.1:8080', `bind 127.0.0.1:${proxyPort}`);
    nodePorts.forEach((port, index) => {
      config = config.replace(`127.0.0.1:${4001 + index} check`, `127.0.0.1:${port} check`);
    });
    const file = path.join(dataDir, 'haproxy.cfg');
    fs.writeFileSync(file, config);
    const check = spawnSync(HAPROXY!, ['-c', '-q', '-f', file]);
    if (check.status !== 0) throw new Error(`haproxy refused the config: ${check.stderr.toString()}`);
    haproxy = spawn(HAPROXY!, ['-db', '-f', file], { stdio: ['ignore', 'ignore', 'pipe'] });
    let haproxyErrors = '';
    haproxy.stderr?.on('data', (chunk: Buffer) => (haproxyErrors += chunk.toString()));
    const deadline = Date.now() + 20_000;
    // Ready when every node is in rotation: NODES answers in a row from the proxy.
    for (let inRow = 0; inRow < NODES * 2;) {
      if (Date.now() > deadline) throw new Error(`HAProxy did not bring the nodes into rotation:\n${haproxyErrors}`);
      const ok = await fetch(`${proxyUrl}/readyz`)
        .then((response) => response.status === 200)
        .catch(() => false);
      inRow = ok ? inRow + 1 : 0;
      if (!ok) await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** One missed call's dial-status delivery, signed for the public URL; retried as Twilio retries a failure. */
  async function deliver(baseUrl: string, call: TestCall): Promise<{ status: number; attempts: number }> {
    const params = {
      CallSid: call.callSid,
      AccountSid: TEST_ACCOUNT_SID,
      From: call.from,
      To: call.to,
      Direction: 'inbound',
      CallStatus: 'in-progress',
      DialCallStatus: 'no-answer',
      DialCallDuration: '0',
    };
    for (let attempt = 1; ; attempt++) {
      const status = await postTwilioForm({ baseUrl, publicBaseUrl: proxyUrl, authToken: TEST_AUTH_TOKEN }, `${TWILIO_WEBHOOK_BASE}/voice/dial-status`, params)
        .then((response) => response.status)
        .catch(() => 0);
      if (status === 200 || attempt === 8 || (status >= 400 && status < 500)) return { status, attempts: attempt };
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
    }
  }

  async function run(baseUrl: string, deliveries: Delivery[], onProgress: (done: number) => void = () => undefined) {
    const queue = [...deliveries];
    const statuses = new Map<string, number[]>();
    let done = 0;
    let retried = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        for (let next = queue.shift(); next; next = queue.shift()) {
          const copies = next.twin ? [next.call, next.call] : [next.call];
          const results = await Promise.all(copies.map((call) => deliver(baseUrl, call)));
          for (const result of results) {
            statuses.set(next.call.callSid, [...(statuses.get(next.call.callSid) ?? []), result.status]);
            retried += result.attempts - 1;
            done += 1;
            onProgress(done);
          }
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    return { statuses, seconds, perSecond: done / seconds, retried, done };
  }

  const providerSends = (): { to: string }[] => {
    const file = path.join(dataDir, SANDBOX_SMS_RECORD_FILE);
    if (!fs.existsSync(file)) return [];
    return fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { to: string });
  };

  it('survives a node killed mid-burst: one lead event, callback and text per call; live notices across nodes; one rate limit', async () => {
    const deadline = Date.now() + BUDGET_MS;
    for (let index = 0; index < NODES; index++) nodePorts.push(await freePort());
    const proxyPort = await freePort();
    proxyUrl = `http://127.0.0.1:${proxyPort}`;

    const shop = await createTestOrg(db);
    const otherShop = await createTestOrg(db);
    for (const org of [shop, otherShop]) {
      // Text-backs leave at once whatever the hour.
      await db.prisma.orgSettings.updateMany({ where: { orgId: org.orgId }, data: { quietHoursEnabled: false, timezone: daytimeTimeZone() } });
    }
    const listener = await createTestCredential(db, shop.orgId, ['leads:read']);
    const limited = await createTestCredential(db, shop.orgId, ['leads:read']);

    // Nodes one after the other (each applies migrations at start; the database is already migrated).
    for (const port of nodePorts) nodes.push(await startServerProcess(nodeEnv(), port, deadline));
    await startHaproxy(proxyPort);

    // --- one node alone, same run: the reference figure ------------------------------------
    const alone = Array.from({ length: SINGLE_NODE_CALLS }, () => ({ call: newCall(newUnlistedCallerNumber(), otherShop.trackingNumber!), twin: false }));
    const singleCpuBefore = cpuMs(nodes[0]!.child.pid);
    const single = await run(nodes[0]!.url, alone);
    const singleCpuMs = cpuMs(nodes[0]!.child.pid) - singleCpuBefore;
    expect([...single.statuses.values()].flat().every((status) => status === 200)).toBe(true);

    // --- the subscriber, through HAProxy ----------------------------------------------------
    const heard = new Map<string, number>();
    const foreign: string[] = [];
    let reconnects = 0;
    let resynced = 0;
    const resync = async () => {
      // What the dashboard does after a reconnect: read the inbox again (here: every lead id).
      let after: string | null = null;
      for (;;) {
        const response = await fetch(`${proxyUrl}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${listener.secret}` },
          body: JSON.stringify({
            query: 'query($after: String) { leads(first: 100, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } } }',
            variables: { after },
          }),
        }).catch(() => null);
        if (!response || response.status !== 200) return; // the next reconnect resyncs again
        const body = (await response.json()) as { data?: { leads: { nodes: { id: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } };
        if (!body.data) return;
        for (const lead of body.data.leads.nodes) {
          if (!heard.has(lead.id)) resynced += 1;
          if (!heard.has(lead.id)) heard.set(lead.id, 0);
        }
        if (!body.data.leads.pageInfo.hasNextPage) return;
        after = body.data.leads.pageInfo.endCursor;
      }
    };
    live = createLiveClient({
      url: `${proxyUrl.replace(/^http/, 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${listener.secret}` },
      retryAttempts: 1_000,
      shouldRetry: () => true,
      retryWait: async () => new Promise((resolve) => setTimeout(resolve, 200)),
      lazy: false,
      on: {
        connected: (_socket, _payload, wasRetry) => {
          if (!wasRetry) return;
          reconnects += 1;
          void resync();
        },
      },
    });
    const subscribed = new Promise<void>((resolve) => setTimeout(resolve, 1_000));
    live.subscribe<{ inboxUpdates: { kind: string; leadId: string } }>(
      // leadId only: no database read per notice, so the subscriber keeps up with the burst.
      { query: 'subscription { inboxUpdates { kind leadId } }' },
      {
        next: (result) => {
          const update = result.data?.inboxUpdates;
          if (!update || update.kind !== 'MISSED_CALL') return;
          heard.set(update.leadId, (heard.get(update.leadId) ?? 0) + 1);
        },
        error: () => undefined, // reconnects
        complete: () => undefined,
      },
    );
    await subscribed;

    // --- the burst through HAProxy, one node killed in the middle ------------------------------
    const calls = Array.from({ length: UNIQUE_CALLS }, (_, index) => newCall(newUnlistedCallerNumber(), (index % 10 === 9 ? otherShop : shop).trackingNumber!));
    const deliveries: Delivery[] = calls.map((call, index) => ({ call, twin: index < CONCURRENT_TWINS }));
    // Later replays land after their original (round robin sends them to another node as a rule).
    for (let index = 0; index < LATER_REPLAYS; index++) {
      const original = CONCURRENT_TWINS + index;
      const at = Math.min(deliveries.length, original + IN_FLIGHT * 2 + Math.floor(Math.random() * 200));
      deliveries.splice(at, 0, { call: calls[original]!, twin: false });
    }
    const total = UNIQUE_CALLS + CONCURRENT_TWINS + LATER_REPLAYS;
    const victim = 1 + Math.floor(Math.random() * (NODES - 1)); // never node 1, which served the single-node run
    let killedAt = 0;
    const clusterPids = [...nodes.map((node) => node!.child.pid), haproxy!.pid];
    const cpuBefore = clusterPids.map(cpuMs);
    const cpuAtKill = [...cpuBefore];
    const cluster = await run(proxyUrl, deliveries, (done) => {
      if (killedAt === 0 && done >= total / 2) {
        killedAt = done;
        cpuAtKill[victim] = cpuMs(nodes[victim]!.child.pid);
        nodes[victim]!.child.kill('SIGKILL');
      }
    });
    const cpuSpent = clusterPids.map((pid, index) => (index === victim ? cpuAtKill[index]! : cpuMs(pid)) - cpuBefore[index]!);
    const nodesCpuMs = cpuSpent.slice(0, NODES).reduce((sum, ms) => sum + ms, 0);
    const haproxyCpuMs = cpuSpent[NODES]!;
    expect(killedAt).toBeGreaterThan(0);
    expect(cluster.done).toBe(total);
    const refused = [...cluster.statuses.entries()].filter(([, statuses]) => !statuses.includes(200));
    expect(refused).toEqual([]);

    // --- one rate limit across the nodes --------------------------------------------------------
    const limitStatuses = await Promise.all(
      Array.from({ length: API_LIMIT_PER_MIN * 2 }, () =>
        fetch(`${proxyUrl}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${limited.secret}` },
          body: JSON.stringify({ query: '{ leads(first: 1) { nodes { id } } }' }),
        }).then((response) => response.status),
      ),
    );
    const allowed = limitStatuses.filter((status) => status === 200).length;
    expect(allowed).toBeLessThanOrEqual(API_LIMIT_PER_MIN);
    expect(allowed).toBeGreaterThanOrEqual(API_LIMIT_PER_MIN - 2);
    const tally = limitStatuses.reduce<Record<number, number>>((counts, status) => ({ ...counts, [status]: (counts[status] ?? 0) + 1 }), {});
    expect(tally).toEqual({ 200: allowed, 429: API_LIMIT_PER_MIN * 2 - allowed });

    // --- the outbox drains on the surviving nodes (the dead node's claims expire and are taken over) ---
    const everyOrg = [shop.orgId, otherShop.orgId];
    const expectedTexts = UNIQUE_CALLS + SINGLE_NODE_CALLS;
    for (;;) {
      const pending = await db.prisma.message.count({ where: { orgId: { in: everyOrg }, direction: 'OUTBOUND', sentAt: null } });
      if (pending === 0) break;
      if (Date.now() > deadline) throw new Error(`${pending} text-backs were still unsent at the deadline`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    await resync();

    // --- what the cluster left behind ----------------------------------------------------------------
    const calledSids = [...calls.map((call) => call.callSid), ...alone.map((delivery) => delivery.call.callSid)];
    const missedEvents = await db.prisma.leadEvent.findMany({ where: { orgId: { in: everyOrg }, type: 'CALL_MISSED' }, select: { providerRef: true } });
    expect(missedEvents).toHaveLength(calledSids.length);
    expect(new Set(missedEvents.map((event) => event.providerRef))).toEqual(new Set(calledSids.map((sid) => `call_missed:${sid}`)));
    expect(await db.prisma.callback.count({ where: { orgId: { in: everyOrg } } })).toBe(calledSids.length);
    const texts = await db.prisma.message.findMany({ where: { orgId: { in: everyOrg }, direction: 'OUTBOUND' }, select: { toPhone: true, status: true } });
    expect(texts).toHaveLength(expectedTexts);
    const sends = providerSends();
    const sendsPerPhone = new Map<string, number>();
    for (const send of sends) sendsPerPhone.set(send.to, (sendsPerPhone.get(send.to) ?? 0) + 1);
    const callers = [...calls.map((call) => call.from), ...alone.map((delivery) => delivery.call.from)];
    expect(callers.filter((phone) => sendsPerPhone.get(phone) !== 1)).toEqual([]);
    expect(sends).toHaveLength(expectedTexts);
    // No claim stuck: nothing is still SENDING under a claim once the outbox drained.
    expect(texts.filter((text) => text.status === 'SENDING')).toEqual([]);

    // Each missed call of the shop heard at most once; nothing of the other shop; every one known after resync.
    const shopLeadIds = new Set((await db.prisma.lead.findMany({ where: { orgId: shop.orgId }, select: { id: true } })).map((lead) => lead.id));
    for (const [leadId, times] of heard) if (!shopLeadIds.has(leadId)) foreign.push(`${leadId}×${times}`);
    expect(foreign).toEqual([]);
    expect([...heard.values()].filter((times) => times > 1)).toEqual([]);
    expect(new Set(heard.keys())).toEqual(shopLeadIds);
    const heardLive = [...heard.values()].filter((times) => times === 1).length;
    // Live notices are fire-and-forget: those published while the subscriber reconnected, or by the
    // killed node between its commit and its publish, are found by the resync. Most arrive live.
    expect(heardLive).toBeGreaterThanOrEqual(Math.floor(shopLeadIds.size * 0.75));

    // The audit chain of each organization verifies (the CLI, as an operator would run it).
    for (const orgId of everyOrg) {
      const verify = spawnSync(process.execPath, [path.join(REPO_ROOT, 'server', 'bin', 'callsnare.js'), 'audit', 'verify', '--org', orgId], {
        env: { PATH: process.env.PATH ?? '', DATABASE_URL: nodeEnv().DATABASE_URL!, AUDIT_SIGNING_KEY: auditKey, DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
        encoding: 'utf8',
      });
      expect({ orgId, status: verify.status, stderr: verify.stderr }).toEqual({ orgId, status: 0, stderr: '' });
    }

    const report = [
      'scale test (3 nodes behind HAProxy, PostgreSQL + Redis, one node killed mid-burst):',
      `  one node alone:    ${single.perSecond.toFixed(0)} deliveries/s (${SINGLE_NODE_CALLS} missed calls, c=${IN_FLIGHT}, direct)`,
      `  cluster (HAProxy): ${cluster.perSecond.toFixed(0)} deliveries/s (${total} deliveries, ${LATER_REPLAYS + CONCURRENT_TWINS} duplicates, c=${IN_FLIGHT}; node ${victim + 1} killed after ${killedAt}; ${cluster.retried} retries)`,
      `  node CPU per delivery: ${(singleCpuMs / single.done).toFixed(2)} ms alone, ${(nodesCpuMs / cluster.done).toFixed(2)} ms in the cluster (all nodes, outbox included; PostgreSQL and Redis not counted); HAProxy ${(haproxyCpuMs / cluster.done).toFixed(3)} ms`,
      `  live notices: ${heardLive} of ${shopLeadIds.size} heard live, ${resynced} recovered by resync after ${reconnects} reconnect(s), 0 twice, 0 foreign`,
      `  rate limit: ${allowed} of ${API_LIMIT_PER_MIN * 2} allowed across ${NODES} nodes (limit ${API_LIMIT_PER_MIN}/min)`,
      `  provider sends: ${sends.length} for ${expectedTexts} text-backs`,
    ].join('\n');
    console.log(report);
    fs.mkdirSync(path.join(REPO_ROOT, 'test-artifacts'), { recursive: true });
    fs.writeFileSync(path.join(REPO_ROOT, 'test-artifacts', 'scale-report.txt'), `${report}\n`);
  });
});
