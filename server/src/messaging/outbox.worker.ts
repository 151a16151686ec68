// The outbox worker: claims due texts (SELECT … FOR UPDATE SKIP LOCKED, so any
// number of processes can run it without two of them sending one row), sends
// them through the SMS transport outside any transaction, then records the
// result. Transient failures retry with exponential backoff and jitter; after
// maxAttempts, or on a permanent error, the message is FAILED and the lead's
// timeline says so. (docs/decisions/0005-outbox-and-idempotency.md)
// Staff alerts (texts to staff phones about a lead) wait in their own table
// and go through the same claims, transport and retry policy
// (docs/decisions/0014-staff-alerts-and-on-call.md).
import crypto from 'node:crypto';
import os from 'node:os';
import type { Database } from '../db/client';
import { inTransaction, type Tx } from '../db/types';
import type { Prisma } from '../generated/prisma/client';
import type { MessageKind } from '../generated/prisma/enums';
import type { Logger } from '../logger';
import type { Clock } from '../common/clock';
import { BackgroundLoop } from '../common/background-loop';
import { callsnareActor, twilioActor } from '../common/actor';
import { leadEventRow } from '../leads/lead-events';
import { CONSENT_REQUIRED_KINDS, optOutCaller } from './consent.service';
import { RECIPIENT_OPTED_OUT, SmsSendError, type OutboundSms, type SmsAccepted, type SmsTransport } from './sms-transport';
import { crossTenant } from '../db/tenant-guard';
import { claimDueStaffAlerts, recordStaffAlertFailure, recordStaffAlertSent, type ClaimedStaffAlert } from '../staff-alerts/staff-alert-delivery';

export interface OutboxOptions {
  /** Rows claimed per tick (and sent concurrently), for texts and for staff alerts each. */
  batchSize: number;
  /** Sends tried before the message is FAILED. */
  maxAttempts: number;
  /** First retry waits about this long; each later one twice as long, up to backoffMaxMs. */
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** A SENDING row older than this belongs to a worker that died: it is claimed again. */
  leaseMs: number;
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
  batchSize: 10,
  maxAttempts: 6,
  backoffBaseMs: 10_000,
  backoffMaxMs: 10 * 60_000,
  leaseMs: 60_000,
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

interface ClaimedMessage {
  id: string;
  orgId: string;
  leadId: string;
  kind: MessageKind;
  body: string;
  fromPhone: string;
  toPhone: string;
  attempts: number;
}

/** One pass: claim what is due, send it, record the results. The outbox serves every organization. */
export function runOutboxOnce(deps: OutboxDeps, overrides: Partial<OutboxOptions> = {}): Promise<OutboxRun> {
  return crossTenant('the outbox sends due texts of every organization', () => runOutboxPass(deps, overrides));
}

async function runOutboxPass(deps: OutboxDeps, overrides: Partial<OutboxOptions>): Promise<OutboxRun> {
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
  await Promise.all([
    ...messages.claimed.map(async (message) => {
      const outcome = await send(deps, { messageId: message.id, from: message.fromPhone, to: message.toPhone, body: message.body });
      const result = await record(deps, { messageId: message.id, accepted: outcome.accepted }, (tx) =>
        outcome.accepted ? recordSent(tx, message, outcome.accepted, deps.clock, options) : recordFailure(tx, message, outcome.failure, deps.clock, options),
      );
      if (result) run[result] += 1;
    }),
    ...alerts.claimed.map(async (alert) => {
      const outcome = await send(deps, { messageId: alert.id, from: alert.fromPhone, to: alert.toPhone, body: alert.body });
      const result = await record(deps, { staffAlertId: alert.id, accepted: outcome.accepted }, (tx) =>
        recordAlertOutcome(tx, alert, outcome, deps.clock, options),
      );
      if (result) run.alerts[result] += 1;
    }),
  ]);
  if (run.claimed > 0 || run.alerts.claimed > 0) deps.logger.debug({ ...run }, 'outbox: tick');
  return run;
}

type SendOutcome = { accepted: SmsAccepted; failure?: never } | { accepted: null; failure: SmsSendError };

/** One send through the transport, outside any transaction; every failure classified. */
async function send(deps: OutboxDeps, sms: OutboundSms): Promise<SendOutcome> {
  try {
    return { accepted: await deps.sms.send(sms) };
  } catch (error) {
    return { accepted: null, failure: error instanceof SmsSendError ? error : new SmsSendError(error instanceof Error ? error.message : String(error), false) };
  }
}

/** Records a send's result in its own transaction; null when that did not commit. */
async function record<T>(deps: OutboxDeps, what: Record<string, unknown>, write: (tx: Tx) => Promise<T>): Promise<T | null> {
  try {
    return await inTransaction(deps.db.prisma, write);
  } catch (error) {
    // The send happened (or failed) but its record did not commit: the lease
    // expires and the row is claimed again. See the decision record's "window".
    deps.logger.error({ err: error, ...what }, 'outbox: could not record a send result');
    return null;
  }
}

/** A staff alert fails like a text (same backoff and attempts) but touches no lead: the caller's timeline is about the caller. */
async function recordAlertOutcome(
  tx: Tx,
  alert: ClaimedStaffAlert,
  outcome: SendOutcome,
  clock: Clock,
  options: OutboxOptions,
): Promise<'sent' | 'retried' | 'failed'> {
  const now = clock.now();
  if (outcome.accepted) {
    await recordStaffAlertSent(tx, alert, { providerSid: outcome.accepted.providerSid, at: now, workerId: options.workerId });
    return 'sent';
  }
  const retry = !outcome.failure.permanent && alert.attempts < options.maxAttempts;
  await recordStaffAlertFailure(tx, alert, {
    error: outcome.failure.message.slice(0, 500),
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
    await tx.leadEvent.createMany({
      data: withdrawn.map((message) =>
        leadEventRow(
          callsnareActor(message.orgId),
          message.leadId,
          message.kind === 'TEXT_BACK' ? 'TEXT_BACK_SKIPPED' : 'MESSAGE_FAILED',
          { messageId: message.id, reason: 'opted_out' },
          now,
        ),
      ),
    });
  }
  const sendable = due.map((row) => row.id).filter((id) => !blocked.includes(id));
  if (sendable.length === 0) return { claimed: [], canceled };
  const claimed = await tx.message.updateManyAndReturn({
    where: { id: { in: sendable } },
    data: { status: 'SENDING', claimedAt: now, claimedBy: options.workerId, attempts: { increment: 1 } },
    select: { id: true, orgId: true, leadId: true, kind: true, body: true, fromPhone: true, toPhone: true, attempts: true },
  });
  return { claimed, canceled };
}

async function recordSent(tx: Tx, message: ClaimedMessage, accepted: SmsAccepted, clock: Clock, options: OutboxOptions): Promise<'sent'> {
  const now = clock.now();
  const { count } = await tx.message.updateMany({
    where: { id: message.id, claimedBy: options.workerId, status: 'SENDING' },
    data: { status: 'SENT', providerSid: accepted.providerSid, sentAt: now, lastError: null, errorCode: null },
  });
  if (count === 0) {
    // A provider status callback got here first (it carries our message id) and
    // already moved the status on; keep its status, fill in what it could not know.
    await tx.message.updateMany({
      where: { id: message.id, claimedBy: options.workerId, sentAt: null },
      data: { providerSid: accepted.providerSid, sentAt: now },
    });
  }
  if (message.kind === 'TEXT_BACK') {
    await appendEvents(tx, [
      leadEventRow(callsnareActor(message.orgId), message.leadId, 'TEXT_BACK_SENT', { messageId: message.id, providerSid: accepted.providerSid }, now),
    ]);
  }
  return 'sent';
}

async function recordFailure(tx: Tx, message: ClaimedMessage, failure: SmsSendError, clock: Clock, options: OutboxOptions): Promise<'retried' | 'failed'> {
  const now = clock.now();
  const lastError = failure.message.slice(0, 500);
  if (!failure.permanent && message.attempts < options.maxAttempts) {
    await tx.message.updateMany({
      where: { id: message.id, claimedBy: options.workerId, status: 'SENDING' },
      data: {
        status: 'QUEUED',
        nextAttemptAt: new Date(now.getTime() + retryDelayMs(message.attempts, options)),
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
  await tx.leadEvent.createMany({ data: rows });
  for (const row of rows) {
    const at = row.createdAt as Date;
    await tx.lead.updateMany({ where: { id: row.leadId, orgId: row.orgId, lastActivityAt: { lt: at } }, data: { lastActivityAt: at } });
  }
}

/** The in-process worker: polls, and runs at once when nudged after a commit. */
export class OutboxWorker {
  private readonly loop: BackgroundLoop;

  constructor(deps: OutboxDeps, overrides: Partial<OutboxOptions> = {}) {
    const options = { ...DEFAULT_OUTBOX_OPTIONS, workerId: newWorkerId(), ...overrides };
    this.loop = new BackgroundLoop(
      'outbox',
      options.pollIntervalMs,
      async () => {
        const run = await runOutboxOnce(deps, options);
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

  stop(): Promise<void> {
    return this.loop.stop();
  }
}
