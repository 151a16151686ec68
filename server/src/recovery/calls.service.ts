// What a call's outcome does: a missed call opens (or reuses) the caller's
// lead, records CALL_MISSED, queues the text-back in the outbox (or records
// why not) and opens the callback - all in the caller's one transaction, with
// no provider call in it. Answered calls and voicemails are recorded on the lead.
import type { Tx } from '../db/types';
import type { Prisma } from '../generated/prisma/client';
import type { Actor } from '../shared/actor';
import type { Clock } from '../shared/clock';
import { queueOutboundMessage } from '../messaging/outbox.service';
import { openCallbackForLead } from '../callbacks/callback-opening';
import { callsnareActor } from './actors';
import { leadEventRow } from '../leads/lead-events';
import type { CallContext } from './call-context';
import { markContacted, openLeadForCaller } from './caller-lead';
import { messageKeys, providerRefs } from './exactly-once';
import { decideTextBack, type TextBackSkipReason } from './text-back.policy';
import { planGate } from '../billing/plan-gate';

const MINUTE = 60_000;

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
}

export type TextBackOutcome =
  | { queued: true; messageId: string; body: string; deferredUntil: Date | null }
  | { queued: false; reason: TextBackSkipReason };

export interface MissedCallResult {
  leadId: string;
  leadCreated: boolean;
  callbackId: string;
  callbackOpened: boolean;
  textBack: TextBackOutcome;
}

/** `actor` is the provider reporting the call; CallSnare's own decisions are recorded as SYSTEM. */
export async function recordMissedCall(tx: Tx, actor: Actor, context: CallContext, input: MissedCallInput, clock: Clock): Promise<MissedCallResult> {
  const { settings, line } = context;
  const now = clock.now();
  const lead = await openLeadForCaller(tx, actor.orgId, input.callerPhone, now);
  // The idempotency key goes in first: a replay stops here, before doing any more work.
  await tx.leadEvent.create({
    data: leadEventRow(
      actor,
      lead.id,
      'CALL_MISSED',
      {
        callSid: input.callSid,
        from: input.callerPhone,
        to: line.number,
        forwardedTo: line.forwardTo,
        dialStatus: input.dialStatus,
        ringSeconds: input.dialCallDurationSeconds,
        ...(input.notAcceptedAtScreening ? { notAcceptedAtScreening: true } : {}),
      },
      now,
      providerRefs.callMissed(input.callSid),
    ),
    select: { id: true },
  });

  const system = callsnareActor(actor.orgId, actor.request);
  const billing = planGate(await tx.subscription.findUnique({ where: { orgId: actor.orgId }, select: { status: true, pastDueSince: true } }), now);
  const decision = decideTextBack({
    settings,
    callerPhone: input.callerPhone,
    callerName: lead.name,
    callerOptedOut: lead.optedOut,
    ownNumbers: context.ownNumbers,
    recentTextBack: await hasRecentTextBack(tx, actor.orgId, input.callerPhone, now, settings.textBackCooldownMinutes),
    billingPaused: !billing.textBacksActive,
    now,
  });
  const events: Prisma.LeadEventCreateManyInput[] = [];
  let textBack: TextBackOutcome;
  if (decision.send) {
    const message = await queueOutboundMessage(
      tx,
      actor,
      {
        leadId: lead.id,
        kind: 'TEXT_BACK',
        body: decision.body,
        fromPhone: line.number,
        toPhone: input.callerPhone,
        idempotencyKey: messageKeys.textBack(input.callSid),
        notBefore: decision.deferredUntil,
      },
      clock,
    );
    textBack = { queued: true, messageId: message.id, body: message.body, deferredUntil: decision.deferredUntil };
    events.push(
      leadEventRow(system, lead.id, 'TEXT_BACK_QUEUED', {
        messageId: message.id,
        callSid: input.callSid,
        template: decision.template,
        deferredUntil: decision.deferredUntil?.toISOString() ?? null,
      }, now),
    );
  } else {
    textBack = { queued: false, reason: decision.reason };
    events.push(
      leadEventRow(system, lead.id, 'TEXT_BACK_SKIPPED', {
        callSid: input.callSid,
        reason: decision.reason,
        ...(decision.reason === 'cooldown' ? { cooldownMinutes: settings.textBackCooldownMinutes } : {}),
        ...(!billing.textBacksActive && decision.reason === 'billing_paused' ? { billing: billing.reason } : {}),
      }, now),
    );
  }
  await tx.leadEvent.createMany({ data: events });
  const callback = await openCallbackForLead(
    tx,
    system,
    { leadId: lead.id, dueAt: new Date(now.getTime() + settings.callbackSlaMinutes * MINUTE), cause: { callSid: input.callSid } },
    clock,
  );
  return { leadId: lead.id, leadCreated: lead.created, callbackId: callback.callbackId, callbackOpened: callback.opened, textBack };
}

/**
 * A text-back to this caller already left within the cooldown, or is still
 * waiting to leave (a quiet-hours deferral): three calls in a row get one text.
 */
async function hasRecentTextBack(tx: Tx, orgId: string, phone: string, now: Date, cooldownMinutes: number): Promise<boolean> {
  const recent = await tx.message.findFirst({
    where: {
      orgId,
      toPhone: phone,
      kind: 'TEXT_BACK',
      OR: [
        { status: { in: ['QUEUED', 'SENDING'] } },
        ...(cooldownMinutes > 0 ? [{ createdAt: { gte: new Date(now.getTime() - cooldownMinutes * MINUTE) }, status: { not: 'CANCELED' as const } }] : []),
      ],
    },
    select: { id: true },
  });
  return recent !== null;
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
  await tx.leadEvent.create({
    data: leadEventRow(
      actor,
      lead.id,
      'CALL_ANSWERED',
      { callSid: input.callSid, from: input.callerPhone, to: context.line.number, durationSeconds: input.durationSeconds, via: input.via },
      now,
      providerRef,
    ),
  });
  await markContacted(tx, actor, lead, 'call answered', now);
  return { leadId: lead.id, leadCreated: lead.created };
}

/** True when staff accepted this call at the screening prompt (recorded by recordAnsweredCall via 'screening'). */
export async function wasAcceptedAtScreening(tx: Tx, callSid: string): Promise<boolean> {
  const accepted = await tx.leadEvent.findUnique({ where: { providerRef: providerRefs.callAccepted(callSid) }, select: { id: true } });
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
    where: { providerRef: providerRefs.callMissed(input.callSid) },
    select: { leadId: true, orgId: true },
  });
  if (!missed || missed.orgId !== actor.orgId) return null;
  const now = clock.now();
  await tx.leadEvent.create({
    data: leadEventRow(
      actor,
      missed.leadId,
      'VOICEMAIL_RECORDED',
      { callSid: input.callSid, recordingSid: input.recordingSid, recordingUrl: input.recordingUrl, durationSeconds: input.durationSeconds },
      now,
      providerRefs.voicemail(input.recordingSid),
    ),
  });
  await tx.lead.updateMany({ where: { id: missed.leadId, lastActivityAt: { lt: now } }, data: { lastActivityAt: now } });
  return { leadId: missed.leadId };
}
