// The outbound webhook worker. Each pass:
//  1. fans undispatched events out into one delivery per enabled, subscribed endpoint, and
//     freezes each event's body (one transaction; events locked FOR UPDATE SKIP LOCKED, and
//     (eventId, endpointId) unique, so two workers never make one delivery twice);
//  2. claims due deliveries with a lease (SKIP LOCKED, like the SMS outbox): a killed node's
//     claims are taken again once the lease runs out;
//  3. POSTs each (webhook-http.ts), outside any transaction, and records the attempt, the
//     delivery's next attempt (backoff) or its end, and the endpoint's failure streak, which
//     disables the endpoint after sustained failure (audited, with a dashboard notice).
// docs/decisions/0022-outbound-webhooks.md
import crypto from 'node:crypto';
import os from 'node:os';
import type { Database } from '../db/client';
import { inTransaction, type Tx } from '../db/types';
import { Prisma } from '../generated/prisma/client';
import type { Logger } from '../logger';
import type { Clock } from '../common/clock';
import type { Config } from '../config';
import { BackgroundLoop } from '../common/background-loop';
import { callsnareActor, type Actor } from '../common/actor';
import { crossTenant } from '../db/tenant-guard';
import { DomainError } from '../common/errors';
import { recordAudit } from '../audit/audit.service';
import { raiseNotice } from '../notices/notices.service';
import { eventBodies, type EventToDispatch } from './webhook-payloads';
import { openWebhookSecret } from './webhook-secret';
import { EVENT_ID_HEADER, SIGNATURE_HEADER, signatureHeader, USER_AGENT } from './webhook-signature';
import { createWebhookHttp, type WebhookHttp, type WebhookPostResult } from './webhook-http';
import { failPendingDeliveries, getWebhookDelivery, requireWebhookAccess, type DeliveryRow } from './webhook-endpoints.service';

const MINUTE = 60_000;

/** Host, process and a random part, written to claimedBy (two workers in one process differ). */
function newWorkerId(): string {
  return `${os.hostname()}:${process.pid}:webhooks:${crypto.randomBytes(3).toString('hex')}`;
}
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * Waits after failed attempt 1, 2, …: 8 attempts over about 27.6 hours (at least 24.8 with
 * jitter), then FAILED.
 */
export const RETRY_DELAYS_MS: readonly number[] = [1 * MINUTE, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 5 * HOUR, 10 * HOUR, 10 * HOUR];

export interface WebhookWorkerOptions {
  /** Events fanned out per pass. */
  fanOutBatchSize: number;
  /** Deliveries claimed per pass. */
  batchSize: number;
  /** POSTs in flight at once. */
  maxConcurrent: number;
  /** Waits between attempts; attempts = length + 1. */
  retryDelaysMs: readonly number[];
  /** Each wait is scaled by 0.9–1.1 (random). */
  random: () => number;
  /**
   * A claim not recorded within this long belongs to a dead worker and is taken again. Longer
   * than a pass can hold it: batchSize / maxConcurrent rounds of at most the 10 s timeout.
   */
  leaseMs: number;
  pollIntervalMs: number;
  /** Disable an endpoint when this many attempts in a row failed… */
  disableAfterFailures: number;
  /** …and nothing succeeded for this long. */
  disableAfterMs: number;
  workerId: string;
  /** The HTTP client; default: webhook-http.ts for the integration mode. */
  http: WebhookHttp | null;
}

export const DEFAULT_WEBHOOK_WORKER_OPTIONS: WebhookWorkerOptions = {
  fanOutBatchSize: 100,
  batchSize: 20,
  maxConcurrent: 10,
  retryDelaysMs: RETRY_DELAYS_MS,
  random: Math.random,
  leaseMs: 2 * MINUTE,
  pollIntervalMs: 1_000,
  disableAfterFailures: 20,
  disableAfterMs: 3 * DAY,
  workerId: newWorkerId(),
  http: null,
};

export interface WebhookWorkerDeps {
  db: Database;
  clock: Clock;
  logger: Logger;
  config: Pick<Config, 'integrationMode'>;
}

export interface WebhookRun {
  fannedOut: number;
  claimed: number;
  succeeded: number;
  retried: number;
  failed: number;
  disabledEndpoints: number;
}

export function retryDelayMs(failedAttempts: number, options: Pick<WebhookWorkerOptions, 'retryDelaysMs' | 'random'>): number | null {
  const base = options.retryDelaysMs[failedAttempts - 1];
  if (base === undefined) return null;
  return Math.round(base * (0.9 + 0.2 * options.random()));
}

/** One pass over every organization: fan out, claim, deliver, record. */
export function runWebhookDeliveriesOnce(deps: WebhookWorkerDeps, overrides: Partial<WebhookWorkerOptions> = {}): Promise<WebhookRun> {
  return crossTenant('the webhook worker delivers the events of every organization', () => runPass(deps, { ...DEFAULT_WEBHOOK_WORKER_OPTIONS, ...overrides }));
}

async function runPass(deps: WebhookWorkerDeps, options: WebhookWorkerOptions): Promise<WebhookRun> {
  const fannedOut = await inTransaction(deps.db.prisma, (tx) => fanOut(tx, deps.clock.now(), options.fanOutBatchSize));
  const claimed = await inTransaction(deps.db.prisma, (tx) => claimDue(tx, deps.clock.now(), options));
  const run: WebhookRun = { fannedOut, claimed: claimed.length, succeeded: 0, retried: 0, failed: 0, disabledEndpoints: 0 };
  if (claimed.length === 0) return run;
  const http = options.http ?? createWebhookHttp({ mode: deps.config.integrationMode });
  let next = 0;
  const lane = async () => {
    for (let delivery = claimed[next++]; delivery; delivery = claimed[next++]) {
      const result = await attempt(deps, http, delivery);
      try {
        const outcome = await inTransaction(deps.db.prisma, (tx) => recordAttempt(tx, deps, delivery, result, options));
        if (outcome) {
          run[outcome.delivery] += 1;
          if (outcome.disabled) run.disabledEndpoints += 1;
        }
      } catch (error) {
        // The claim expires and the delivery is tried again: at least once, never lost.
        deps.logger.error({ err: error, deliveryId: delivery.id }, 'webhooks: could not record an attempt');
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.maxConcurrent, claimed.length) }, lane));
  if (run.claimed > 0) deps.logger.debug({ ...run }, 'webhooks: pass');
  return run;
}

/** Fans a batch of undispatched events out to deliveries and freezes their bodies; returns how many events. */
export async function fanOut(tx: Tx, now: Date, limit: number): Promise<number> {
  const events = await tx.$queryRaw<EventToDispatch[]>`
    SELECT id, "orgId"::text AS "orgId", type, "objectId"::text AS "objectId", "createdAt" FROM "WebhookEvent"
    WHERE "dispatchedAt" IS NULL
    ORDER BY "createdAt", id
    LIMIT ${limit}
    FOR UPDATE SKIP LOCKED`;
  if (events.length === 0) return 0;
  const bodies = await eventBodies(tx, events);
  const rows = Prisma.join(events.map((event) => Prisma.sql`(${event.id}, ${bodies.get(event.id) ?? null})`));
  await tx.$executeRaw`
    WITH batch (id, body) AS (VALUES ${rows}),
    frozen AS (
      UPDATE "WebhookEvent" e SET payload = to_jsonb(b.body), "dispatchedAt" = ${now}::timestamptz
      FROM batch b WHERE e.id = b.id
      RETURNING e.id, e."orgId", e.type, e."createdAt"
    )
    INSERT INTO "WebhookDelivery" (id, "orgId", "eventId", "endpointId", "eventType", status, attempts, "nextAttemptAt", "createdAt", "updatedAt")
    SELECT gen_random_uuid(), f."orgId", f.id, ep.id, f.type, 'PENDING'::"WebhookDeliveryStatus", 0, ${now}::timestamptz, ${now}::timestamptz, ${now}::timestamptz
    FROM frozen f JOIN "WebhookEndpoint" ep
      ON ep."orgId" = f."orgId" AND ep.enabled AND f.type = ANY (ep.events) AND ep."createdAt" <= f."createdAt"
    ON CONFLICT ("eventId", "endpointId") DO NOTHING`;
  return events.length;
}

interface ClaimedDelivery {
  id: string;
  orgId: string;
  eventId: string;
  attempts: number;
  status: 'PENDING' | 'SUCCEEDED' | 'FAILED';
  claimedBy: string;
  body: string;
  endpoint: { id: string; url: string; secret: string; previousSecret: string | null; previousSecretExpiresAt: Date | null };
  redelivery: boolean;
}

const claimSelect = {
  id: true,
  orgId: true,
  eventId: true,
  attempts: true,
  status: true,
  event: { select: { payload: true } },
  endpoint: { select: { id: true, url: true, secret: true, previousSecret: true, previousSecretExpiresAt: true } },
} as const;

function claimed(row: Prisma.WebhookDeliveryGetPayload<{ select: typeof claimSelect }>, claimedBy: string, redelivery: boolean): ClaimedDelivery {
  const payload = row.event.payload;
  return { ...row, claimedBy, redelivery, body: typeof payload === 'string' ? payload : JSON.stringify(payload) };
}

async function claimDue(tx: Tx, now: Date, options: WebhookWorkerOptions): Promise<ClaimedDelivery[]> {
  const staleBefore = new Date(now.getTime() - options.leaseMs);
  const due = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM "WebhookDelivery"
    WHERE status = 'PENDING' AND "nextAttemptAt" <= ${now}::timestamptz AND ("claimedAt" IS NULL OR "claimedAt" < ${staleBefore}::timestamptz)
    ORDER BY "nextAttemptAt", id
    LIMIT ${options.batchSize}
    FOR UPDATE SKIP LOCKED`;
  if (due.length === 0) return [];
  const rows = await tx.webhookDelivery.updateManyAndReturn({
    where: { id: { in: due.map((row) => row.id) } },
    data: { claimedAt: now, claimedBy: options.workerId },
    select: { id: true },
  });
  const found = await tx.webhookDelivery.findMany({ where: { id: { in: rows.map((row) => row.id) } }, select: claimSelect });
  return found.map((row) => claimed(row, options.workerId, false));
}

/** The secrets that sign now: the current one, and the previous one during its grace period. */
function signingSecrets(endpoint: ClaimedDelivery['endpoint'], now: Date): string[] {
  const secrets = [openWebhookSecret(endpoint.secret)];
  if (endpoint.previousSecret && endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > now) {
    secrets.push(openWebhookSecret(endpoint.previousSecret));
  }
  return secrets;
}

async function attempt(deps: WebhookWorkerDeps, http: WebhookHttp, delivery: ClaimedDelivery): Promise<WebhookPostResult> {
  const now = deps.clock.now();
  let signature: string;
  try {
    signature = signatureHeader(delivery.body, signingSecrets(delivery.endpoint, now), Math.floor(now.getTime() / 1000));
  } catch (error) {
    return { ok: false, statusCode: null, responseExcerpt: null, error: error instanceof Error ? error.message : String(error), durationMs: 0 };
  }
  return http.post({
    url: delivery.endpoint.url,
    body: delivery.body,
    headers: {
      'Content-Type': 'application/json',
      'User-Agent': USER_AGENT,
      [SIGNATURE_HEADER]: signature,
      [EVENT_ID_HEADER]: delivery.eventId,
    },
  });
}

interface Recorded {
  delivery: 'succeeded' | 'retried' | 'failed';
  disabled: boolean;
}

/**
 * The attempt, the delivery's next step and the endpoint's streak, in one transaction, only
 * while the claim is still this worker's (null otherwise: someone else took it over).
 */
async function recordAttempt(
  tx: Tx,
  deps: WebhookWorkerDeps,
  delivery: ClaimedDelivery,
  result: WebhookPostResult,
  options: WebhookWorkerOptions,
): Promise<Recorded | null> {
  const now = deps.clock.now();
  const attempts = delivery.attempts + 1;
  let next: Recorded['delivery'];
  let data: Prisma.WebhookDeliveryUpdateManyMutationInput;
  if (result.ok) {
    next = 'succeeded';
    data = { status: 'SUCCEEDED', deliveredAt: now, nextAttemptAt: null };
  } else if (delivery.redelivery) {
    // A redelivery never moves a delivery back: a failed one stays where it was.
    next = delivery.status === 'PENDING' ? 'retried' : delivery.status === 'SUCCEEDED' ? 'succeeded' : 'failed';
    data = {};
  } else {
    const delay = retryDelayMs(attempts, options);
    next = delay === null ? 'failed' : 'retried';
    data = delay === null ? { status: 'FAILED', nextAttemptAt: null } : { nextAttemptAt: new Date(now.getTime() + delay) };
  }
  const { count } = await tx.webhookDelivery.updateMany({
    where: { id: delivery.id, orgId: delivery.orgId, claimedBy: delivery.claimedBy },
    data: { ...data, attempts, lastStatusCode: result.statusCode, lastError: result.error, claimedAt: null, claimedBy: null, updatedAt: now },
  });
  if (count === 0) return null;
  await tx.webhookAttempt.create({
    data: {
      deliveryId: delivery.id,
      attempt: attempts,
      redelivery: delivery.redelivery,
      statusCode: result.statusCode,
      durationMs: result.durationMs,
      responseExcerpt: result.responseExcerpt,
      error: result.error,
      createdAt: now,
    },
  });
  let disabled = false;
  if (result.ok) {
    await tx.webhookEndpoint.updateMany({
      where: { id: delivery.endpoint.id, orgId: delivery.orgId, consecutiveFailures: { gt: 0 } },
      data: { consecutiveFailures: 0, failingSince: null },
    });
  } else if (!delivery.redelivery) {
    disabled = await countFailure(tx, deps, delivery, result.error, now, options);
  }
  return { delivery: next, disabled };
}

/** One more failure in the endpoint's streak; disables it when the streak is long enough in count and time. */
async function countFailure(
  tx: Tx,
  deps: WebhookWorkerDeps,
  delivery: ClaimedDelivery,
  lastError: string | null,
  now: Date,
  options: WebhookWorkerOptions,
): Promise<boolean> {
  const [streak] = await tx.$queryRaw<{ consecutiveFailures: number; failingSince: Date; enabled: boolean }[]>`
    UPDATE "WebhookEndpoint" SET "consecutiveFailures" = "consecutiveFailures" + 1, "failingSince" = COALESCE("failingSince", ${now}::timestamptz)
    WHERE id = ${delivery.endpoint.id}::uuid AND "orgId" = ${delivery.orgId}::uuid
    RETURNING "consecutiveFailures", "failingSince", enabled`;
  if (!streak || !streak.enabled) return false;
  const failingFor = now.getTime() - streak.failingSince.getTime();
  if (streak.consecutiveFailures < options.disableAfterFailures || failingFor < options.disableAfterMs) return false;
  const days = Math.floor(failingFor / DAY);
  const reason = `${streak.consecutiveFailures} attempts in a row failed over ${days} days (latest: ${lastError ?? 'no 2xx answer'})`;
  const { count } = await tx.webhookEndpoint.updateMany({
    where: { id: delivery.endpoint.id, orgId: delivery.orgId, enabled: true },
    data: { enabled: false, disabledAt: now, disabledReason: reason },
  });
  if (count === 0) return false;
  const actor = callsnareActor(delivery.orgId);
  const failed = await failPendingDeliveries(tx, delivery.orgId, delivery.endpoint.id, 'the endpoint was disabled after sustained failure', now);
  await recordAudit(
    tx,
    actor,
    {
      action: 'webhook_endpoint.disabled',
      target: { type: 'WebhookEndpoint', id: delivery.endpoint.id },
      changes: {
        enabled: { before: true, after: false },
        consecutiveFailures: { before: null, after: streak.consecutiveFailures },
        failingSince: { before: null, after: streak.failingSince.toISOString() },
        pendingDeliveriesFailed: { before: null, after: failed },
      },
    },
    deps.clock,
  );
  await raiseNotice(
    tx,
    {
      orgId: delivery.orgId,
      kind: 'WEBHOOK_ENDPOINT_DISABLED',
      dedupeKey: `endpoint:${delivery.endpoint.id}:${now.toISOString()}`,
      message: `Webhook endpoint ${delivery.endpoint.url} was disabled: every attempt for ${days} days failed (${streak.consecutiveFailures} in a row). Fix the receiver, then re-enable it under Settings → Webhooks.`,
      subjectId: delivery.endpoint.id,
    },
    deps.clock,
  );
  return true;
}

/**
 * Sends one delivery again now, whatever its status (an attempt marked redelivery): a 2xx
 * makes it SUCCEEDED; a failure changes nothing else (a pending delivery keeps its schedule).
 * Refused while the endpoint is disabled, or while a worker holds the delivery.
 */
export async function redeliverWebhook(
  deps: WebhookWorkerDeps,
  actor: Actor,
  deliveryId: string,
  options: { http?: WebhookHttp; leaseMs?: number } = {},
): Promise<DeliveryRow> {
  requireWebhookAccess(actor, 'write');
  const claimedBy = `redeliver:${crypto.randomBytes(4).toString('hex')}`;
  const claimedRow = await inTransaction(deps.db.prisma, async (tx) => {
    const delivery = await getWebhookDelivery(tx, actor, deliveryId);
    if (!delivery.endpoint.enabled) {
      throw new DomainError('BAD_USER_INPUT', 'the endpoint is disabled: enable it (updateWebhookEndpoint) before redelivering', {
        reason: 'ENDPOINT_DISABLED',
        fields: { deliveryId: 'its endpoint is disabled' },
      });
    }
    const now = deps.clock.now();
    const staleBefore = new Date(now.getTime() - (options.leaseMs ?? DEFAULT_WEBHOOK_WORKER_OPTIONS.leaseMs));
    const { count } = await tx.webhookDelivery.updateMany({
      where: { id: delivery.id, orgId: actor.orgId, OR: [{ claimedAt: null }, { claimedAt: { lt: staleBefore } }] },
      data: { claimedAt: now, claimedBy },
    });
    if (count === 0) throw new DomainError('CONFLICT', 'this delivery is being sent right now; look at its attempts in a moment');
    await recordAudit(
      tx,
      actor,
      {
        action: 'webhook_delivery.redelivered',
        target: { type: 'WebhookDelivery', id: delivery.id },
        changes: { eventId: { before: null, after: delivery.eventId }, endpointId: { before: null, after: delivery.endpointId } },
      },
      deps.clock,
    );
    return tx.webhookDelivery.findFirstOrThrow({ where: { id: delivery.id, orgId: actor.orgId }, select: claimSelect });
  });
  const delivery = claimed(claimedRow, claimedBy, true);
  const http = options.http ?? createWebhookHttp({ mode: deps.config.integrationMode });
  const result = await attempt(deps, http, delivery);
  return inTransaction(deps.db.prisma, async (tx) => {
    await recordAttempt(tx, deps, delivery, result, DEFAULT_WEBHOOK_WORKER_OPTIONS);
    return getWebhookDelivery(tx, actor, delivery.id);
  });
}

/** The in-process worker (started and stopped with the server). */
export class WebhookDeliveryWorker {
  private readonly loop: BackgroundLoop;

  constructor(deps: WebhookWorkerDeps, overrides: Partial<WebhookWorkerOptions> = {}) {
    const options = { ...DEFAULT_WEBHOOK_WORKER_OPTIONS, workerId: newWorkerId(), ...overrides };
    this.loop = new BackgroundLoop(
      'outbound-webhooks',
      options.pollIntervalMs,
      async () => {
        const run = await runWebhookDeliveriesOnce(deps, options);
        return { moreWork: run.fannedOut >= options.fanOutBatchSize || run.claimed >= options.batchSize };
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
