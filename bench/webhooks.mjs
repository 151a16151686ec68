// Write-path benchmarks on POST /webhooks/twilio/voice/dial-status: missed calls
// (a new CallSid each), duplicates (one CallSid replayed: a retry storm) and the
// text-back latency (delivery -> outbound text-back SENT by the outbox worker).
import crypto from 'node:crypto';
import { summarize } from './stats.mjs';
import { profiled } from './profile.mjs';
import { benchCallerNumber } from './callers.mjs';

export const DIAL_STATUS_PATH = '/webhooks/twilio/voice/dial-status';
export const BENCH_AUTH_TOKEN = 'bench0000000000000000000000000000';
export const BENCH_ACCOUNT_SID = `AC${'0'.repeat(32)}`;
// Signatures are computed against this base (the server checks PUBLIC_BASE_URL, not Host).
export const BENCH_PUBLIC_BASE_URL = 'http://127.0.0.1:9';

/**
 * runJob(job) runs a client-worker job and resolves with its result.
 * Returns { available, rows: [...], notes: [...] }.
 */
/** Missed calls before the timed runs: enough for every pool connection to run the hot statements past their first plans. */
const WARM_UP_DELIVERIES = 400;

export async function webhookBenchmarks({ kind, url, db, to, runJob, seconds, concurrency, noise, perRequest, log }) {
  const runId = crypto.randomBytes(4).toString('hex');
  let fromOffset = 0;
  const twilio = (mode, extra = {}) => ({
    mode,
    runId,
    fromOffset,
    to,
    authToken: BENCH_AUTH_TOKEN,
    accountSid: BENCH_ACCOUNT_SID,
    publicBaseUrl: BENCH_PUBLIC_BASE_URL,
    ...extra,
  });
  const job = async (mode, options, extra) => {
    const mark = await noise.mark();
    const result = await runJob({
      type: 'throughput',
      url,
      path: DIAL_STATUS_PATH,
      concurrency,
      seconds,
      maxRequests: 100_000,
      twilio: twilio(mode, extra),
      ...options,
    });
    return { ...result, ...perRequest(await noise.measure(mark), Math.max(1, result.completed + result.failures)) };
  };
  const notes = [];

  // Probe: one missed call. Its CallSid is the one replayed in the duplicate run.
  const probe = await job('unique', { maxRequests: 1, concurrency: 1 });
  fromOffset += 1;
  if (probe.statuses[404] || probe.completed === 0) {
    return { available: false, reason: probe.statuses[404] ? `${DIAL_STATUS_PATH} answers 404` : `probe failed: ${probe.sample}`, rows: [], notes };
  }
  if (!probe.statuses[200]) {
    return { available: false, reason: `probe delivery answered ${probe.sample}`, rows: [], notes };
  }
  const [probeCallSid] = probe.sent[0];

  // Warm-up, like the reads': the server's pool connections prepare the hot statements on first
  // use, and PostgreSQL plans a prepared statement for its first executions on each connection
  // before it keeps a generic plan (the missed-call statement: ~17 ms per plan here, six plans per
  // connection). A server that has been taking calls has done that; the timed run measures after it.
  const warmUp = await job('unique', { maxRequests: WARM_UP_DELIVERIES, runLabel: 'warm-up' });
  fromOffset += warmUp.sent.length + warmUp.failures + 100;
  await textBackLatencies(db, warmUp.sent, 60_000);

  // 1. Missed calls, closed loop at `concurrency`.
  log(`  missed-call deliveries: ${concurrency} in flight for ${seconds} s`);
  const missed = await profiled(`missed-calls-${kind}`, () => job('unique', { runLabel: 'missed' }));
  fromOffset += missed.sent.length + missed.failures + 100;
  const missedCheck = await effectsOf(
    db,
    missed.sent.map(([callSid]) => callSid),
  );
  if (missedCheck.events !== missed.sent.length) {
    notes.push(`missed-call run: ${missed.sent.length} deliveries answered 200 but ${missedCheck.events} CALL_MISSED events exist for their CallSids`);
  }

  // 2. Duplicates of the probe's CallSid.
  log(`  duplicate deliveries: ${concurrency} in flight for ${seconds} s`);
  const duplicates = await profiled(`duplicates-${kind}`, () => job('duplicate', {}, { callSid: probeCallSid, from: benchCallerNumber(0) }));
  const duplicateCheck = await effectsOf(db, [probeCallSid]);
  if (duplicateCheck.events !== 1 || duplicateCheck.textBacks !== 1) {
    notes.push(
      `duplicate run: CallSid ${probeCallSid} has ${duplicateCheck.events} CALL_MISSED events and ${duplicateCheck.textBacks} text-backs (expected 1 and 1)`,
    );
  }

  // 3. Text-back latency of the burst (backlog included), once the outbox drained it.
  log("  waiting for the outbox to send the burst's text-backs");
  const burstTextBacks = { ...(await textBackLatencies(db, missed.sent, 60_000)), bg: missed.bg };

  // 4. Text-back latency at a steady 20 deliveries/s (open loop), the everyday case.
  log('  text-back latency: 20 missed calls/s for 5 s');
  const paced = await job('unique', { pace: 20, seconds: 5, concurrency: 8 });
  fromOffset += paced.sent.length + 100;
  const pacedTextBacks = { ...(await textBackLatencies(db, paced.sent, 30_000)), bg: paced.bg };

  // Evidence that the deliveries were what they claim: signature checked, outcomes as intended.
  const logged = await db.prisma.webhookLog.groupBy({ by: ['outcome', 'signature'], where: { route: DIAL_STATUS_PATH }, _count: { _all: true } });
  const breakdown = logged.map((row) => `${row.outcome}/${row.signature} ${row._count._all}`).join(', ');
  if (logged.some((row) => row.signature !== 'VALID' || !['PROCESSED', 'DUPLICATE'].includes(row.outcome))) {
    notes.push(`webhook log of the dial-status runs: ${breakdown}`);
  }

  return {
    available: true,
    logBreakdown: breakdown,
    missed: { ...throughputOf(missed), check: missedCheck },
    duplicates: { ...throughputOf(duplicates), check: duplicateCheck },
    textBackPaced: pacedTextBacks,
    textBackBurst: burstTextBacks,
    notes,
  };
}

function throughputOf(result) {
  const non200 = Object.entries(result.statuses)
    .filter(([status]) => status !== '200')
    .reduce((sum, [, count]) => sum + count, 0);
  return {
    perSecond: (result.completed / result.elapsedMs) * 1000,
    completed: result.completed,
    elapsedMs: result.elapsedMs,
    non200: non200 + result.failures,
    statuses: result.statuses,
    latency: summarize(result.latencies),
    sample: result.sample,
    bg: result.bg,
    mainCpuMs: result.mainCpuMs,
    pgCpuMs: result.pgCpuMs,
  };
}

/** How many CALL_MISSED events and text-back messages exist for these CallSids. */
async function effectsOf(db, callSids) {
  if (callSids.length === 0) return { events: 0, textBacks: 0 };
  const events = await db.prisma.leadEvent.count({ where: { type: 'CALL_MISSED', providerRef: { in: callSids.map((sid) => `call_missed:${sid}`) } } });
  const textBacks = await db.prisma.message.count({ where: { idempotencyKey: { in: callSids.map((sid) => `textback:${sid}`) } } });
  return { events, textBacks };
}

/**
 * Waits (bounded) until every delivery's text-back left (SENT or later), then returns
 * the latency from the delivery's request to the message's sentAt.
 */
async function textBackLatencies(db, sent, timeoutMs) {
  if (sent.length === 0) return { latency: summarize([]), sent: 0, expected: 0, waitedMs: 0 };
  const keys = sent.map(([callSid]) => `textback:${callSid}`);
  const requestedAt = new Map(sent.map(([callSid, at]) => [`textback:${callSid}`, at]));
  const started = Date.now();
  let rows = [];
  for (;;) {
    rows = [];
    for (let i = 0; i < keys.length; i += 5000) {
      rows.push(
        ...(await db.prisma.message.findMany({
          where: { idempotencyKey: { in: keys.slice(i, i + 5000) }, sentAt: { not: null } },
          select: { idempotencyKey: true, sentAt: true, status: true },
        })),
      );
    }
    if (rows.length >= keys.length || Date.now() - started > timeoutMs) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const latencies = rows.map((row) => row.sentAt.getTime() - requestedAt.get(row.idempotencyKey));
  return { latency: summarize(latencies), sent: rows.length, expected: keys.length, waitedMs: Date.now() - started };
}
