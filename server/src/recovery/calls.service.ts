// What a call's outcome does: a missed call opens (or reuses) the caller's
// lead, records CALL_MISSED, queues the text-back in the outbox (or records
// why not), opens the callback (due as callbacks/callback-timing.ts says) and
// queues the staff alerts - all in the caller's one transaction, with no
// provider call in it. Answered calls and voicemails are recorded on the lead.
import type { Tx } from '../db/types';
import type { Prisma } from '../generated/prisma/client';
import type { Clock } from '../common/clock';
import { callsnareActor, type Actor } from '../common/actor';
import { appendLeadEvents, leadEventRow } from '../leads/lead-events';
import type { CallContext } from './call-context';
import { markContacted, openLeadForCaller } from './caller-lead';
import { openLeadWithMissedEvent, textBackAndCallback } from './missed-call-writes';
import { messageKeys, providerRefs } from './exactly-once';
import { decideTextBack, type TextBackSkipReason } from './text-back.policy';
import { planGate } from '../billing/plan-gate';
import { readBusinessHours } from '../settings/settings.service';
import { openingState } from '../common/shop-time';
import { missedCallDueAt } from '../callbacks/callback-timing';
import { queueStaffAlerts } from '../staff-alerts/staff-alerts.queue';

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
}

export type TextBackOutcome = { queued: true; messageId: string; body: string; deferredUntil: Date | null } | { queued: false; reason: TextBackSkipReason };

export interface MissedCallResult {
  leadId: string;
  leadCreated: boolean;
  callbackId: string;
  callbackOpened: boolean;
  textBack: TextBackOutcome;
}

/**
 * `actor` is the provider reporting the call; CallSnare's own decisions are recorded as SYSTEM.
 * Three statements: the lead with CALL_MISSED, then the text-back (or why not)
 * with the callback (missed-call-writes.ts), then the staff alerts. The plan
 * gate reads the subscription findCallContext already fetched, when it did.
 */
export async function recordMissedCall(tx: Tx, actor: Actor, context: CallContext, input: MissedCallInput, clock: Clock): Promise<MissedCallResult> {
  const { settings, line } = context;
  const now = clock.now();
  // The idempotency key goes in first: a replay stops here, before doing any more work.
  const lead = await openLeadWithMissedEvent(tx, actor, input.callerPhone, now, {
    providerRef: providerRefs.callMissed(input.callSid),
    data: {
      callSid: input.callSid,
      from: input.callerPhone,
      to: line.number,
      forwardedTo: line.forwardTo,
      dialStatus: input.dialStatus,
      ringSeconds: input.dialCallDurationSeconds,
      ...(input.notAcceptedAtScreening ? { notAcceptedAtScreening: true } : {}),
    },
  });

  const system = callsnareActor(actor.orgId, actor.request);
  const subscription =
    context.subscription !== undefined
      ? context.subscription
      : await tx.subscription.findUnique({ where: { orgId: actor.orgId }, select: { status: true, pastDueSince: true } });
  const billing = planGate(subscription, now);
  // One reading of the shop's hours for the text ("we'll call you back at 8:00 AM"), the callback's due time and the alerts.
  const shop = openingState(now, settings.timezone, readBusinessHours(settings));
  // The cooldown is the last rule: it is checked by the insert itself (after the lead's lock), see textBackAndCallback.
  const decision = decideTextBack({
    settings,
    callerPhone: input.callerPhone,
    callerName: lead.name,
    callerOptedOut: lead.optedOut,
    ownNumbers: context.ownNumbers,
    recentTextBack: false,
    billingPaused: !billing.textBacksActive,
    now,
    shop,
  });
  const skipped = (reason: TextBackSkipReason): Prisma.InputJsonObject => ({
    callSid: input.callSid,
    reason,
    ...(reason === 'cooldown' ? { cooldownMinutes: settings.textBackCooldownMinutes } : {}),
    ...(!billing.textBacksActive && reason === 'billing_paused' ? { billing: billing.reason } : {}),
  });
  const written = await textBackAndCallback(tx, system, {
    leadId: lead.id,
    now,
    textBack: decision.send
      ? {
          body: decision.body,
          fromPhone: line.number,
          toPhone: input.callerPhone,
          idempotencyKey: messageKeys.textBack(input.callSid),
          nextAttemptAt: decision.deferredUntil && decision.deferredUntil > now ? decision.deferredUntil : now,
          cooldownMinutes: settings.textBackCooldownMinutes,
          queuedData: { callSid: input.callSid, template: decision.template, deferredUntil: decision.deferredUntil?.toISOString() ?? null },
          cooldownData: skipped('cooldown'),
        }
      : null,
    skippedData: decision.send ? null : skipped(decision.reason),
    dueAt: missedCallDueAt(now, shop, settings.callbackSlaMinutes),
    callbackCause: { callSid: input.callSid, attempt: 1, ...(!shop.open && shop.nextOpening ? { opensAt: shop.nextOpening.toISOString() } : {}) },
  });
  await queueStaffAlerts(tx, {
    orgId: actor.orgId,
    leadId: lead.id,
    kind: 'MISSED_CALL',
    cause: providerRefs.callMissed(input.callSid),
    callerPhone: input.callerPhone,
    fromPhone: line.number,
    withinBusinessHours: shop.open,
    dashboardBaseUrl: input.dashboardBaseUrl,
    at: now,
  });
  let textBack: TextBackOutcome;
  if (decision.send && written.messageId) {
    textBack = { queued: true, messageId: written.messageId, body: decision.body, deferredUntil: decision.deferredUntil };
  } else {
    textBack = { queued: false, reason: decision.send ? 'cooldown' : decision.reason };
  }
  return { leadId: lead.id, leadCreated: lead.created, callbackId: written.callbackId, callbackOpened: written.callbackOpened, textBack };
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
