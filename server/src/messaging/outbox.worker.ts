// The outbox worker: claims due texts (SELECT … FOR UPDATE SKIP LOCKED, so any
// number of processes can run it without two of them sending one row), sends
// them through the SMS transport outside any transaction, then records the
// batch's sends in one statement. A statement may also write a text already
// claimed for this process's worker and hand it over after its commit
// (OutboxWorker.handOff): it is sent without a claim pass. A claim is a short
// lease the worker renews while it holds it (heartbeat): a row whose claim
// stopped being renewed belongs to a dead worker and is claimed again within
// seconds, and a text that was tried before is first looked for in the
// provider's own log, so a crash between the provider accepting it and our
// record never sends it twice.
// Transient failures retry with exponential backoff and jitter; after
// maxAttempts, or on a permanent error, the message is FAILED and the lead's
// timeline says so. (docs/decisions/0005-outbox-and-idempotency.md)
// Staff alerts (texts to staff phones about a lead) wait in their own table
// and go through the same claims, transport and retry policy
// (docs/decisions/0014-staff-alerts-and-on-call.md).
import crypto from 'node:crypto';
import os from 'node:os';
import type { Database } from '../db/client';
import { inTransaction, type Tx } from '../db/types';
import { Prisma } from '../generated/prisma/client';
import type { MessageKind } from '../generated/prisma/enums';
import type { Logger } from '../logger';
import { recipientWindow } from '../compliance/recipient-window';
import type { Clock } from '../common/clock';
import { BackgroundLoop } from '../common/background-loop';
import { callsnareActor, twilioActor } from '../common/actor';
import { appendLeadEvents, leadEventRow } from '../leads/lead-events';
import { CONSENT_REQUIRED_KINDS, optOutCaller } from './consent.service';
import { RECIPIENT_OPTED_OUT, SmsSendError, type OutboundSms, type SmsAccepted, type SmsTransport } from './sms-transport';
import { crossTenant } from '../db/tenant-guard';
import { queryPrepared } from '../db/prepared';
import { newRowId } from '../common/ids';
import type { ClaimedMessage } from './outbox.service';
import {
  claimDueStaffAlerts,
  recordStaffAlertFailure,
  recordStaffAlertsSent,
  renewStaffAlertClaims,
  type ClaimedStaffAlert,
} from '../staff-alerts/staff-alert-delivery';

export interface OutboxOptions {
  /** Rows claimed per tick, for texts and for staff alerts each; their sends are recorded in one statement. */
  batchSize: number;
  /** Sends in flight at once within a pass (texts and alerts together): stays under the provider's concurrency limit. */
  maxConcurrentSends: number;
  /** Sends tried before the message is FAILED. */
  maxAttempts: number;
  /** First retry waits about this long; each later one twice as long, up to backoffMaxMs. */
  backoffBaseMs: number;
  backoffMaxMs: number;
  /**
   * A SENDING row whose claim was not renewed for this long belongs to a worker
   * that died: it is claimed again (and reconciled with the provider before any send).
   */
  leaseMs: number;
  /** While a pass holds claims it renews them this often; well under leaseMs, so a live worker never loses one. */
  heartbeatMs: number;
  pollIntervalMs: number;
  /** Jitter source (tests pin it). */
  random: () => number;
  /** Written to claimedBy; results are recorded only while the claim is still this worker's. */
  workerId: string;
}

/** A fresh worker identity: host, process, and a random part (two workers in one process differ). */
export function newWorkerId(): string {
  return `${os.hostname()}:${process.pid}:${crypto.randomBytes(3).toString('hex')}`;
}

export const DEFAULT_OUTBOX_OPTIONS: OutboxOptions = {
  // A pass costs a claim transaction and one record statement whatever its size: measured
  // on PostgreSQL, 0.6–0.9 ms of Node CPU per text at 10 per pass, 0.2 ms at 50.
  batchSize: 50,
  // Twilio refuses more than about 100 concurrent API requests per account (HTTP 429).
  maxConcurrentSends: 20,
  maxAttempts: 6,
  backoffBaseMs: 10_000,
  backoffMaxMs: 10 * 60_000,
  // A dead worker's texts leave again within leaseMs + pollIntervalMs of its last heartbeat (< 10 s).
  leaseMs: 6_000,
  heartbeatMs: 1_500,
  // The text-back should leave within a second of the missed call; a nudge after
  // each commit makes it immediate, polling covers other processes' commits and deferrals.
  pollIntervalMs: 250,
  random: Math.random,
  workerId: newWorkerId(),
};

export interface OutboxDeps {
  db: Database;
  clock: Clock;
  logger: Logger;
  sms: SmsTransport;
}

export interface OutboxTally {
  claimed: number;
  sent: number;
  retried: number;
  failed: number;
  canceled: number;
}

/** Texts to callers at the top level; staff alerts counted apart. */
export interface OutboxRun extends OutboxTally {
  alerts: OutboxTally;
}

/** Delay before attempt n+1 after n failed attempts: exponential, capped, with "equal jitter". */
export function retryDelayMs(failedAttempts: number, options: Pick<OutboxOptions, 'backoffBaseMs' | 'backoffMaxMs' | 'random'>): number {
  const exponential = Math.min(options.backoffMaxMs, options.backoffBaseMs * 2 ** Math.max(0, failedAttempts - 1));
  return Math.round(exponential / 2 + options.random() * (exponential / 2));
}

/** One pass: claim what is due, send it, record the results. The outbox serves every organization. */
export function runOutboxOnce(deps: OutboxDeps, overrides: Partial<OutboxOptions> = {}, slot?: SendSlot): Promise<OutboxRun> {
  return crossTenant('the outbox sends due texts of every organization', () => runOutboxPass(deps, overrides, slot));
}

async function runOutboxPass(deps: OutboxDeps, overrides: Partial<OutboxOptions>, slot?: SendSlot): Promise<OutboxRun> {
  const options = { ...DEFAULT_OUTBOX_OPTIONS, ...overrides };
  const now = deps.clock.now();
  const { messages, alerts } = await inTransaction(deps.db.prisma, async (tx) => ({
    messages: await claimDueMessages(tx, now, options),
    alerts: await claimDueStaffAlerts(tx, now, options),
  }));
  const run: OutboxRun = {
    claimed: messages.claimed.length,
    sent: 0,
    retried: 0,
    failed: 0,
    canceled: messages.canceled,
    alerts: { claimed: alerts.claimed.length, sent: 0, retried: 0, failed: 0, canceled: alerts.canceled },
  };
  await sendClaimed(deps, options, { texts: messages.claimed, alerts: alerts.claimed }, run, slot ?? concurrencyLimit(options.maxConcurrentSends));
  if (run.claimed > 0 || run.alerts.claimed > 0) deps.logger.debug({ ...run }, 'outbox: tick');
  return run;
}

/** Sends texts and staff alerts this worker holds claims on, renewing the claims meanwhile, and records the results into `run`. */
async function sendClaimed(
  deps: OutboxDeps,
  options: OutboxOptions,
  claimed: { texts: ClaimedMessage[]; alerts: ClaimedStaffAlert[] },
  run: OutboxRun,
  slot: SendSlot,
): Promise<void> {
  if (claimed.texts.length === 0 && claimed.alerts.length === 0) return;
  const stopHeartbeat = startHeartbeat(deps, options, { texts: claimed.texts.map((text) => text.id), alerts: claimed.alerts.map((alert) => alert.id) });
  try {
    const taken = new Set<string>();
    const [texts, staffAlerts] = await Promise.all([
      Promise.all(
        claimed.texts.map(async (message) => ({
          message,
          outcome: await slot(() => deliver(deps, message, { messageId: message.id, from: message.fromPhone, to: message.toPhone, body: message.body }, taken)),
        })),
      ),
      Promise.all(
        claimed.alerts.map(async (alert) => ({
          alert,
          outcome: await slot(() => deliver(deps, alert, { messageId: alert.id, from: alert.fromPhone, to: alert.toPhone, body: alert.body }, taken)),
        })),
      ),
    ]);
    const sentTexts = texts.flatMap(({ message, outcome }) => acceptedResult(message, outcome));
    const sentAlerts = staffAlerts.flatMap(({ alert, outcome }) => acceptedResult(alert, outcome));
    await Promise.all([
      record(deps, { sent: sentTexts.length }, () => recordSentTexts(deps, sentTexts, options)).then((count) => (run.sent += count ?? 0)),
      record(deps, { staffAlertsSent: sentAlerts.length }, () => recordStaffAlertsSent(deps.db.prisma, sentAlerts, options.workerId)).then(
        (count) => (run.alerts.sent += count ?? 0),
      ),
      ...texts.map(async ({ message, outcome: { failure } }) => {
        if (!failure) return;
        const result = await record(deps, { messageId: message.id }, () =>
          inTransaction(deps.db.prisma, (tx) => recordFailure(tx, message, failure, deps.clock, options)),
        );
        if (result) run[result] += 1;
      }),
      ...staffAlerts.map(async ({ alert, outcome: { failure } }) => {
        if (!failure) return;
        const result = await record(deps, { staffAlertId: alert.id }, () =>
          inTransaction(deps.db.prisma, (tx) => recordAlertFailure(tx, alert, failure, deps.clock, options)),
        );
        if (result) run.alerts[result] += 1;
      }),
    ]);
  } finally {
    stopHeartbeat();
  }
}

/** `at`: when the provider accepted it (or we found it), the text's sentAt. */
type SendOutcome = { accepted: SmsAccepted & { reconciled: boolean; at: Date }; failure?: never } | { accepted: null; failure: SmsSendError };

interface Deliverable {
  id: string;
  attempts: number;
  createdAt: Date;
  providerSid?: string | null;
}

/**
 * A first attempt is sent. A later one (the previous attempt's worker died
 * after claiming it, or the attempt failed in a way that may still have
 * reached the provider, such as a timeout) first asks the provider whether the
 * text already went out and takes that message's sid instead of sending again.
 * Sids recorded on other rows, or taken by another row of this pass, are not
 * this text. If the provider cannot be asked, nothing is sent: the attempt is
 * a transient failure, retried with backoff.
 */
async function deliver(deps: OutboxDeps, row: Deliverable, sms: OutboundSms, taken: Set<string>): Promise<SendOutcome> {
  if (row.providerSid) return { accepted: { providerSid: row.providerSid, providerStatus: 'sent', reconciled: true, at: deps.clock.now() } };
  if (row.attempts > 1 && deps.sms.findSent) {
    try {
      const onRecord = await deps.sms.findSent({ from: sms.from, to: sms.to, body: sms.body, since: row.createdAt });
      const recordedElsewhere = await sidsRecordedElsewhere(
        deps,
        row.id,
        onRecord.map((found) => found.providerSid),
      );
      const match = onRecord.find((found) => !recordedElsewhere.has(found.providerSid) && !taken.has(found.providerSid));
      if (match) {
        taken.add(match.providerSid);
        deps.logger.info(
          { messageId: row.id, providerSid: match.providerSid },
          'outbox: an earlier attempt was accepted by the provider; recorded, not sent again',
        );
        return { accepted: { providerSid: match.providerSid, providerStatus: match.providerStatus, reconciled: true, at: deps.clock.now() } };
      }
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return {
        accepted: null,
        failure: new SmsSendError(
          `could not ask the provider whether an earlier attempt went out: ${reason}`,
          false,
          error instanceof SmsSendError ? error.code : null,
        ),
      };
    }
  }
  try {
    return { accepted: { ...(await deps.sms.send(sms)), reconciled: false, at: deps.clock.now() } };
  } catch (error) {
    return { accepted: null, failure: error instanceof SmsSendError ? error : new SmsSendError(error instanceof Error ? error.message : String(error), false) };
  }
}

/** Provider sids among `sids` that already belong to another text or staff alert. */
async function sidsRecordedElsewhere(deps: OutboxDeps, id: string, sids: string[]): Promise<Set<string>> {
  if (sids.length === 0) return new Set();
  const [texts, alerts] = await Promise.all([
    deps.db.prisma.message.findMany({ where: { providerSid: { in: sids }, id: { not: id } }, select: { providerSid: true } }),
    deps.db.prisma.staffAlert.findMany({ where: { providerSid: { in: sids }, id: { not: id } }, select: { providerSid: true } }),
  ]);
  return new Set([...texts, ...alerts].flatMap((row) => (row.providerSid ? [row.providerSid] : [])));
}

export interface AcceptedSend {
  id: string;
  providerSid: string;
  sentAt: Date;
  reconciled: boolean;
}

function acceptedResult(row: { id: string }, outcome: SendOutcome): AcceptedSend[] {
  return outcome.accepted
    ? [{ id: row.id, providerSid: outcome.accepted.providerSid, sentAt: outcome.accepted.at, reconciled: outcome.accepted.reconciled }]
    : [];
}

/** Where a send waits for its turn (concurrencyLimit). */
export type SendSlot = <T>(work: () => Promise<T>) => Promise<T>;

/** Runs at most `limit` of the functions given to it at a time, the others in the order given. */
function concurrencyLimit(limit: number): SendSlot {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (work) => {
    // A finished call hands its slot to the next waiting one.
    if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    else running += 1;
    try {
      return await work();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running -= 1;
    }
  };
}

/** Records results; null when that did not commit. */
async function record<T>(deps: OutboxDeps, what: Record<string, unknown>, write: () => Promise<T>): Promise<T | null> {
  try {
    return await write();
  } catch (error) {
    // The send happened (or failed) but its record did not commit: the claim
    // stops being renewed after this pass, expires, and the row is claimed
    // again and reconciled with the provider.
    deps.logger.error({ err: error, ...what }, 'outbox: could not record send results');
    return null;
  }
}

/**
 * Renews the claims a pass holds (its texts' and alerts' ids) every heartbeatMs until stopped (the
 * pass is over). Only those: a text written claimed for this worker but never handed over (its
 * delivery failed after the commit) is not renewed by other passes, so it expires and is taken again.
 */
function startHeartbeat(deps: OutboxDeps, options: OutboxOptions, held: { texts: string[]; alerts: string[] }): () => void {
  const timer = setInterval(() => {
    const now = deps.clock.now();
    Promise.all([
      held.texts.length > 0
        ? deps.db.prisma.message.updateMany({ where: { id: { in: held.texts }, claimedBy: options.workerId, status: 'SENDING' }, data: { claimedAt: now } })
        : null,
      held.alerts.length > 0 ? renewStaffAlertClaims(deps.db.prisma, options.workerId, held.alerts, now) : null,
    ]).catch((error: unknown) => deps.logger.warn({ err: error }, 'outbox: could not renew claims'));
  }, options.heartbeatMs);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * One statement for a batch of accepted texts: each row becomes SENT with its
 * sid (only while the claim is still this worker's), text-backs get their
 * TEXT_BACK_SENT event and move their lead in the inbox. A status callback that
 * got here first (it carries our message id) keeps its status; the sid and
 * sentAt it could not know are filled in. Returns how many rows it recorded.
 */
async function recordSentTexts(deps: OutboxDeps, sent: AcceptedSend[], options: OutboxOptions): Promise<number> {
  if (sent.length === 0) return 0;
  const actor = callsnareActor('');
  // The batch as one jsonb array: the statement's text is the same for every batch size, so it is prepared once (db/prepared.ts).
  const results = JSON.stringify(
    sent.map((row) => ({ id: row.id, providerSid: row.providerSid, sentAt: row.sentAt, eventId: newRowId(), reconciled: row.reconciled })),
  );
  const recorded = await queryPrepared<{ id: string }>(
    deps.db.prisma,
    Prisma.sql`
    WITH results AS (
      SELECT * FROM jsonb_to_recordset(${results}::jsonb) AS r(id uuid, "providerSid" text, "sentAt" timestamptz, "eventId" uuid, reconciled boolean)
    ),
    sent AS (
      UPDATE "Message" m SET
        status = CASE WHEN m.status = 'SENDING' THEN 'SENT'::"MessageStatus" ELSE m.status END,
        "providerSid" = r."providerSid",
        "sentAt" = COALESCE(m."sentAt", r."sentAt"),
        "lastError" = CASE WHEN m.status = 'SENDING' THEN NULL ELSE m."lastError" END,
        "errorCode" = CASE WHEN m.status = 'SENDING' THEN NULL ELSE m."errorCode" END,
        "updatedAt" = r."sentAt"
      FROM results r
      WHERE m.id = r.id AND m."claimedBy" = ${options.workerId} AND (m.status = 'SENDING' OR m."sentAt" IS NULL)
      RETURNING m.id, m."orgId", m."leadId", m.kind, r."providerSid", r."sentAt", r."eventId", r.reconciled
    ),
    events AS (
      INSERT INTO "LeadEvent" (id, "orgId", "leadId", type, data, "actorType", "actorId", "actorLabel", "createdAt")
      SELECT s."eventId", s."orgId", s."leadId", 'TEXT_BACK_SENT'::"LeadEventType",
        jsonb_build_object('messageId', s.id, 'providerSid', s."providerSid") || CASE WHEN s.reconciled THEN '{"reconciled": true}'::jsonb ELSE '{}'::jsonb END,
        ${actor.type}::"ActorType", ${actor.id}, ${actor.label}, s."sentAt"
      FROM sent s WHERE s.kind = 'TEXT_BACK'
      RETURNING "orgId", "leadId", "createdAt"
    ),
    moved AS (
      UPDATE "Lead" l SET "lastActivityAt" = e.at, "updatedAt" = ${new Date()}::timestamptz
      FROM (SELECT "orgId", "leadId", max("createdAt") AS at FROM events GROUP BY "orgId", "leadId") e
      WHERE l.id = e."leadId" AND l."orgId" = e."orgId" AND l."lastActivityAt" < e.at
    )
    SELECT id FROM sent`,
  );
  return recorded.length;
}

/** A staff alert fails like a text (same backoff and attempts) but touches no lead: the caller's timeline is about the caller. */
async function recordAlertFailure(
  tx: Tx,
  alert: ClaimedStaffAlert,
  failure: SmsSendError,
  clock: Clock,
  options: OutboxOptions,
): Promise<'retried' | 'failed'> {
  const now = clock.now();
  const retry = !failure.permanent && alert.attempts < options.maxAttempts;
  await recordStaffAlertFailure(tx, alert, {
    error: failure.message.slice(0, 500),
    retryAt: retry ? new Date(now.getTime() + retryDelayMs(alert.attempts, options)) : null,
    workerId: options.workerId,
  });
  return retry ? 'retried' : 'failed';
}

async function claimDueMessages(tx: Tx, now: Date, options: OutboxOptions): Promise<{ claimed: ClaimedMessage[]; canceled: number }> {
  const staleBefore = new Date(now.getTime() - options.leaseMs);
  // Row locks held until this transaction commits; other workers skip them and
  // take the next rows, so claims never wait on each other.
  const due = await tx.$queryRaw<{ id: string; kind: MessageKind; optedOut: boolean }[]>`
    SELECT m.id, m.kind, l."optedOut"
    FROM "Message" m JOIN "Lead" l ON l.id = m."leadId"
    WHERE m.direction = 'OUTBOUND'
      AND ((m.status = 'QUEUED' AND (m."nextAttemptAt" IS NULL OR m."nextAttemptAt" <= ${now}))
        OR (m.status = 'SENDING' AND m."claimedAt" < ${staleBefore}))
    ORDER BY m."nextAttemptAt" ASC NULLS FIRST, m.id ASC
    LIMIT ${options.batchSize}
    FOR UPDATE OF m SKIP LOCKED`;
  if (due.length === 0) return { claimed: [], canceled: 0 };

  // Consent is checked again at send time: the caller may have opted out after the text was queued.
  const blocked = due.filter((row) => row.optedOut && CONSENT_REQUIRED_KINDS.includes(row.kind)).map((row) => row.id);
  let canceled = 0;
  if (blocked.length > 0) {
    const withdrawn = await tx.message.updateManyAndReturn({
      where: { id: { in: blocked } },
      data: { status: 'CANCELED', lastError: 'recipient opted out', nextAttemptAt: null, claimedAt: null },
      select: { id: true, orgId: true, leadId: true, kind: true },
    });
    canceled = withdrawn.length;
    await appendLeadEvents(
      tx,
      withdrawn.map((message) =>
        leadEventRow(
          callsnareActor(message.orgId),
          message.leadId,
          message.kind === 'TEXT_BACK' ? 'TEXT_BACK_SKIPPED' : 'MESSAGE_FAILED',
          { messageId: message.id, reason: 'opted_out' },
          now,
        ),
      ),
    );
  }
  const sendable = due.map((row) => row.id).filter((id) => !blocked.includes(id));
  if (sendable.length === 0) return { claimed: [], canceled };
  const claimed = await tx.message.updateManyAndReturn({
    where: { id: { in: sendable } },
    data: { status: 'SENDING', claimedAt: now, claimedBy: options.workerId, attempts: { increment: 1 } },
    select: { id: true, orgId: true, leadId: true, kind: true, body: true, fromPhone: true, toPhone: true, attempts: true, createdAt: true, providerSid: true },
  });
  return { claimed, canceled };
}

/** When an automated text's retry at `retryAt` falls outside the recipient's window (or the shop's quiet hours): when it opens. */
async function automatedRetryDeferral(tx: Tx, message: ClaimedMessage, retryAt: Date): Promise<Date | null> {
  const settings = await tx.orgSettings.findUnique({
    where: { orgId: message.orgId },
    select: { timezone: true, quietHoursEnabled: true, quietHoursStart: true, quietHoursEnd: true },
  });
  if (!settings) return null;
  return recipientWindow(message.toPhone, retryAt, {
    shopTimeZone: settings.timezone,
    shopQuietHours: { enabled: settings.quietHoursEnabled, start: settings.quietHoursStart, end: settings.quietHoursEnd },
  }).nextAllowedAt;
}

async function recordFailure(tx: Tx, message: ClaimedMessage, failure: SmsSendError, clock: Clock, options: OutboxOptions): Promise<'retried' | 'failed'> {
  const now = clock.now();
  const lastError = failure.message.slice(0, 500);
  if (!failure.permanent && message.attempts < options.maxAttempts) {
    const retryAt = new Date(now.getTime() + retryDelayMs(message.attempts, options));
    // An automated text's retry waits for the recipient's window too, like its first attempt.
    const deferredUntil = message.kind === 'TEXT_BACK' || message.kind === 'AUTO_REPLY' ? await automatedRetryDeferral(tx, message, retryAt) : null;
    await tx.message.updateMany({
      where: { id: message.id, claimedBy: options.workerId, status: 'SENDING' },
      data: {
        status: 'QUEUED',
        nextAttemptAt: deferredUntil ?? retryAt,
        ...(deferredUntil ? { deferredUntil } : {}),
        claimedAt: null,
        lastError,
        errorCode: failure.code,
      },
    });
    return 'retried';
  }
  const { count } = await tx.message.updateMany({
    where: { id: message.id, claimedBy: options.workerId, status: 'SENDING' },
    data: { status: 'FAILED', nextAttemptAt: null, claimedAt: null, lastError, errorCode: failure.code },
  });
  if (count === 0) return 'failed';
  const actor = callsnareActor(message.orgId);
  await appendEvents(tx, [
    leadEventRow(
      actor,
      message.leadId,
      message.kind === 'TEXT_BACK' ? 'TEXT_BACK_FAILED' : 'MESSAGE_FAILED',
      { messageId: message.id, attempts: message.attempts, errorCode: failure.code, error: lastError, permanent: failure.permanent },
      now,
    ),
  ]);
  if (failure.code === RECIPIENT_OPTED_OUT) {
    // The carrier holds a STOP from this number that we never saw (texted to
    // another of our numbers, or before CallSnare): honour it everywhere.
    await optOutCaller(
      tx,
      twilioActor(message.orgId),
      { leadId: message.leadId, phone: message.toPhone, cause: `carrier:${RECIPIENT_OPTED_OUT}`, messageId: message.id },
      clock,
    );
  }
  return 'failed';
}

/** Timeline events that also move the lead's lastActivityAt (which orders the inbox). */
async function appendEvents(tx: Tx, rows: Prisma.LeadEventCreateManyInput[]): Promise<void> {
  await appendLeadEvents(tx, rows);
}

/**
 * The in-process worker: polls, and runs at once when nudged after a commit.
 * A statement may also write its text already claimed for this worker
 * (claimant(), QueueMessageInput.claimedBy) and hand it over after the commit
 * (handOff): it is sent without a claim pass. Texts handed over while a send
 * is under way go out together next, so a burst costs one record statement
 * per batch, and an idle worker sends at once.
 */
export class OutboxWorker {
  private readonly loop: BackgroundLoop;
  private readonly options: OutboxOptions;
  /** One limit for the polling passes and the handed-over texts together. */
  private readonly slot: SendSlot;
  private handedOver: ClaimedMessage[] = [];
  private sending: Promise<void> | null = null;
  private stopping = false;

  constructor(
    private readonly deps: OutboxDeps,
    overrides: Partial<OutboxOptions> = {},
  ) {
    const options = { ...DEFAULT_OUTBOX_OPTIONS, workerId: newWorkerId(), ...overrides };
    this.options = options;
    this.slot = concurrencyLimit(options.maxConcurrentSends);
    this.loop = new BackgroundLoop(
      'outbox',
      options.pollIntervalMs,
      async () => {
        const run = await runOutboxOnce(deps, options, this.slot);
        return { moreWork: run.claimed >= options.batchSize || run.alerts.claimed >= options.batchSize };
      },
      deps.logger,
    );
  }

  start(): void {
    this.loop.start();
  }

  nudge(): void {
    this.loop.nudge();
  }

  /** The workerId a text may be written claimed for, to be handed over after its commit; null once stopping. */
  claimant(): string | null {
    return this.stopping ? null : this.options.workerId;
  }

  /** Sends a committed text that was written claimed for this worker (claimant()). */
  handOff(message: ClaimedMessage): void {
    this.handedOver.push(message);
    this.sending ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.sendHandedOver());
  }

  private async sendHandedOver(): Promise<void> {
    try {
      while (this.handedOver.length > 0) {
        const texts = this.handedOver.splice(0, this.options.batchSize);
        const run: OutboxRun = { claimed: texts.length, sent: 0, retried: 0, failed: 0, canceled: 0, alerts: { ...NO_ALERTS } };
        try {
          await crossTenant('the outbox sends texts handed over by the statements that wrote them', () =>
            sendClaimed(this.deps, this.options, { texts, alerts: [] }, run, this.slot),
          );
          this.deps.logger.debug({ ...run }, 'outbox: sent handed-over texts');
        } catch (error) {
          // Their claims stop being renewed and expire: a polling pass takes them again (and asks the provider first).
          this.deps.logger.error({ err: error, texts: texts.length }, 'outbox: could not send handed-over texts');
        }
      }
    } finally {
      this.sending = null;
    }
  }

  /** Stops polling and taking texts over; resolves when the texts already handed over are sent and recorded. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.loop.stop();
    while (this.sending) await this.sending;
  }
}

const NO_ALERTS: OutboxTally = { claimed: 0, sent: 0, retried: 0, failed: 0, canceled: 0 };
