// What a call's outcome does: a missed call opens (or reuses) the caller's
// lead, records CALL_MISSED, queues the text-back in the outbox (or records
// why not), opens the callback (due as callbacks/callback-timing.ts says) and
// queues the staff alerts - all in one statement, with no provider call in it. Answered calls and voicemails are recorded on the lead.
import { inTransaction, type Tx } from '../db/types';
import type { Prisma, PrismaClient } from '../generated/prisma/client';
import type { Clock } from '../common/clock';
import { callsnareActor, type Actor } from '../common/actor';
import { appendLeadEvents, leadEventRow } from '../leads/lead-events';
import type { CallContext } from './call-context';
import { markContacted, openLeadForCaller } from './caller-lead';
import { writeMissedCall, type CallerFacts, type MissedCallWrite, type MissedCallWritten } from './missed-call-writes';
import { appliedConcurrently, messageKeys, providerRefs, type OnceResult } from './exactly-once';
import { decideTextBack, type TextBackDecision, type TextBackSkipReason } from './text-back.policy';
import { planGate } from '../billing/plan-gate';
import { readBusinessHours } from '../settings/settings.service';
import { openingState } from '../common/shop-time';
import { missedCallDueAt } from '../callbacks/callback-timing';
import { messageEvidence } from '../compliance/message-evidence';
import type { ClaimedMessage } from '../messaging/outbox.service';

/** Twilio's DialCallStatus values that mean nobody picked up. */
export const MISSED_DIAL_STATUSES = ['no-answer', 'busy', 'failed', 'canceled'] as const;

export interface MissedCallInput {
  callSid: string;
  callerPhone: string;
  /** As Twilio reported it; "completed" when call screening was not accepted. */
  dialStatus: string;
  dialCallDurationSeconds: number | null;
  /** The forwarded leg was answered but nobody accepted the screening prompt (voicemail, declined). */
  notAcceptedAtScreening?: boolean;
  /** The dashboard's public base URL, for links in staff alerts. */
  dashboardBaseUrl: string;
  /**
   * The in-process outbox worker that sends a text-back due now as soon as the call
   * is recorded (OutboxWorker.claimant()); null: the text-back waits for a polling pass.
   */
  claimant?: string | null;
}

export type TextBackOutcome =
  | {
      queued: true;
      messageId: string;
      body: string;
      deferredUntil: Date | null;
      /** Written claimed for `claimant`: hand it to that worker after the commit (OutboxWorker.handOff). */
      handOff: ClaimedMessage | null;
    }
  | { queued: false; reason: TextBackSkipReason };

export interface MissedCallResult {
  leadId: string;
  leadCreated: boolean;
  callbackId: string;
  callbackOpened: boolean;
  textBack: TextBackOutcome;
  /** Staff alerts queued for the polling outbox worker. */
  staffAlertsQueued: number;
}

/** Each retry follows a commit by someone else (a concurrent call from this caller, a staff edit): few are ever needed. */
const MAX_MISSED_CALL_ATTEMPTS = 8;

/**
 * `actor` is the provider reporting the call; CallSnare's own decisions are
 * recorded as SYSTEM. One statement (missed-call-writes.ts), atomic on its
 * own: a replay is recognised inside it (one index lookup) and writes nothing.
 * The text-back is decided first assuming the caller's lead knows no name and
 * no opt-out (a first call); when the lead says otherwise the statement writes
 * nothing and the decision is made again from what it says.
 */
export async function recordMissedCall(
  prisma: PrismaClient,
  actor: Actor,
  context: CallContext,
  input: MissedCallInput,
  clock: Clock,
): Promise<OnceResult<MissedCallResult>> {
  const { settings, line } = context;
  const now = clock.now();
  const providerRef = providerRefs.callMissed(input.callSid);
  const system = callsnareActor(actor.orgId, actor.request);
  const subscription =
    context.subscription !== undefined
      ? context.subscription
      : await prisma.subscription.findUnique({ where: { orgId: actor.orgId }, select: { status: true, pastDueSince: true } });
  const billing = planGate(subscription, now);
  // One reading of the shop's hours for the text ("we'll call you back at 8:00 AM"), the callback's due time and the alerts.
  const shop = openingState(now, settings.timezone, readBusinessHours(settings));
  const skipped = (reason: TextBackSkipReason): Prisma.InputJsonObject => ({
    callSid: input.callSid,
    reason,
    ...(reason === 'cooldown' ? { cooldownMinutes: settings.textBackCooldownMinutes } : {}),
    ...(reason === 'frequency_cap' ? { maxAutomatedTextsPerDay: settings.maxAutomatedTextsPerDay } : {}),
    ...(!billing.textBacksActive && reason === 'billing_paused' ? { billing: billing.reason } : {}),
  });
  const missedWrite = (facts: CallerFacts, decision: TextBackDecision): MissedCallWrite => ({
    orgId: actor.orgId,
    callerPhone: input.callerPhone,
    now,
    provider: actor,
    system,
    missed: {
      providerRef,
      data: {
        callSid: input.callSid,
        from: input.callerPhone,
        to: line.number,
        forwardedTo: line.forwardTo,
        dialStatus: input.dialStatus,
        ringSeconds: input.dialCallDurationSeconds,
        ...(input.notAcceptedAtScreening ? { notAcceptedAtScreening: true } : {}),
      },
    },
    facts,
    textBack: decision.send
      ? {
          message: {
            kind: 'TEXT_BACK',
            body: decision.body,
            fromPhone: line.number,
            toPhone: input.callerPhone,
            idempotencyKey: messageKeys.textBack(input.callSid),
            notBefore: decision.deferredUntil,
            claimedBy: input.claimant ?? null,
          },
          cooldownMinutes: settings.textBackCooldownMinutes,
          maxPerDay: settings.maxAutomatedTextsPerDay,
          capData: skipped('frequency_cap'),
          // The call that opened the conversation is this one; the opt-out state is the one the statement checks (facts).
          evidence: messageEvidence({
            kind: 'TEXT_BACK',
            decidedAt: now,
            consent: { basis: 'missed_call', providerId: input.callSid, at: now.toISOString() },
            window: decision.window,
            deferredUntil: decision.deferredUntil,
            shop: {
              timeZone: settings.timezone,
              quietHours: { enabled: settings.quietHoursEnabled, start: settings.quietHoursStart, end: settings.quietHoursEnd },
            },
            cooldownMinutes: settings.textBackCooldownMinutes,
          }),
          queuedData: { callSid: input.callSid, template: decision.template, deferredUntil: decision.deferredUntil?.toISOString() ?? null },
          cooldownData: skipped('cooldown'),
        }
      : null,
    skippedData: decision.send ? null : skipped(decision.reason),
    callback: {
      dueAt: missedCallDueAt(now, shop, settings.callbackSlaMinutes),
      cause: { callSid: input.callSid, attempt: 1, ...(!shop.open && shop.nextOpening ? { opensAt: shop.nextOpening.toISOString() } : {}) },
    },
    staffAlerts: {
      orgId: actor.orgId,
      kind: 'MISSED_CALL',
      cause: providerRef,
      callerPhone: input.callerPhone,
      fromPhone: line.number,
      withinBusinessHours: shop.open,
      dashboardBaseUrl: input.dashboardBaseUrl,
      at: now,
    },
  });

  let facts: CallerFacts = { name: null, optedOut: false };
  let behindLock = false;
  for (let attempt = 1; attempt <= MAX_MISSED_CALL_ATTEMPTS; attempt += 1) {
    const decision = decideTextBack({
      settings,
      callerPhone: input.callerPhone,
      callerName: facts.name,
      callerOptedOut: facts.optedOut,
      ownNumbers: context.ownNumbers,
      billingPaused: !billing.textBacksActive,
      now,
      shop,
    });
    const write = missedWrite(facts, decision);
    let written: MissedCallWritten;
    try {
      written = behindLock
        ? await inTransaction(prisma, async (tx) => {
            // The caller's open lead stays as this transaction's next statement reads it.
            await tx.$executeRaw`SELECT 1 FROM "Lead" WHERE "orgId" = ${actor.orgId}::uuid AND "openPhone" = ${input.callerPhone} FOR UPDATE`;
            return writeMissedCall(tx, write);
          })
        : await writeMissedCall(prisma, write);
    } catch (error) {
      const concurrent = await appliedConcurrently(prisma, providerRef, error);
      if (concurrent) return concurrent;
      throw error;
    }
    if (written.outcome === 'duplicate') return { duplicate: true, orgId: actor.orgId };
    if (written.outcome === 'facts') facts = written.facts;
    if (written.outcome === 'conflict') behindLock = true;
    if (written.outcome !== 'written') continue;
    const textBack: TextBackOutcome =
      decision.send && written.messageId
        ? {
            queued: true,
            messageId: written.messageId,
            body: decision.body,
            deferredUntil: decision.deferredUntil,
            handOff: written.claimed,
          }
        : { queued: false, reason: decision.send ? (written.stoppedBy ?? 'cooldown') : decision.reason };
    return {
      duplicate: false,
      result: {
        leadId: written.leadId,
        leadCreated: written.leadCreated,
        callbackId: written.callbackId,
        callbackOpened: written.callbackOpened,
        textBack,
        staffAlertsQueued: written.staffAlerts,
      },
    };
  }
  throw new Error(`missed call ${input.callSid}: the caller's lead kept changing under ${MAX_MISSED_CALL_ATTEMPTS} attempts`);
}

export interface AnsweredCallInput {
  callSid: string;
  callerPhone: string;
  durationSeconds: number | null;
  /** Where it was recorded from: the dial result, or staff accepting at the screening prompt. */
  via: 'dial' | 'screening';
}

/**
 * Somebody talked to the caller: the call is on the lead's timeline and the
 * lead counts as contacted. No text, no callback.
 */
export async function recordAnsweredCall(tx: Tx, actor: Actor, context: CallContext, input: AnsweredCallInput, clock: Clock) {
  const now = clock.now();
  const lead = await openLeadForCaller(tx, actor.orgId, input.callerPhone, now, 'CONTACTED');
  const providerRef = input.via === 'screening' ? providerRefs.callAccepted(input.callSid) : providerRefs.callAnswered(input.callSid);
  await appendLeadEvents(tx, [
    leadEventRow(
      actor,
      lead.id,
      'CALL_ANSWERED',
      { callSid: input.callSid, from: input.callerPhone, to: context.line.number, durationSeconds: input.durationSeconds, via: input.via },
      now,
      providerRef,
    ),
  ]);
  await markContacted(tx, actor, lead, 'call answered', now);
  return { leadId: lead.id, leadCreated: lead.created };
}

/** True when staff accepted this call at the screening prompt (recorded by recordAnsweredCall via 'screening'). */
export async function wasAcceptedAtScreening(tx: Tx, orgId: string, callSid: string): Promise<boolean> {
  const accepted = await tx.leadEvent.findUnique({ where: { providerRef: providerRefs.callAccepted(callSid), orgId }, select: { id: true } });
  return accepted !== null;
}

export interface VoicemailInput {
  callSid: string;
  recordingSid: string;
  recordingUrl: string;
  durationSeconds: number | null;
}

/** A voicemail left after a missed call; null when that call was never recorded as missed. */
export async function recordVoicemail(tx: Tx, actor: Actor, input: VoicemailInput, clock: Clock): Promise<{ leadId: string } | null> {
  const missed = await tx.leadEvent.findUnique({
    where: { providerRef: providerRefs.callMissed(input.callSid), orgId: actor.orgId },
    select: { leadId: true, orgId: true },
  });
  if (!missed || missed.orgId !== actor.orgId) return null;
  const now = clock.now();
  await appendLeadEvents(tx, [
    leadEventRow(
      actor,
      missed.leadId,
      'VOICEMAIL_RECORDED',
      { callSid: input.callSid, recordingSid: input.recordingSid, recordingUrl: input.recordingUrl, durationSeconds: input.durationSeconds },
      now,
      providerRefs.voicemail(input.recordingSid),
    ),
  ]);
  return { leadId: missed.leadId };
}
