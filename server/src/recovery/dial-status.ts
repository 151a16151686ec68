// How the forwarded leg of a call ended, in the product's words: missed (the
// moment a call is recovered), answered, or already accepted at the screening
// prompt. dialOutcome is the rule (pure, table-tested); recordDialStatus
// applies it, exactly once per call.
import type { PrismaClient } from '../generated/prisma/client';
import type { Actor } from '../common/actor';
import type { Clock } from '../common/clock';
import type { CallContext } from './call-context';
import { MISSED_DIAL_STATUSES, recordAnsweredCall, recordMissedCall, wasAcceptedAtScreening, type MissedCallResult } from './calls.service';
import type { AppliedRefs } from './applied-refs';
import { applyOnce, providerRefs, type OnceResult } from './exactly-once';

export type DialOutcome =
  /** Nobody picked up (or, with screening, nobody pressed 1: a voicemail box or a decline). */
  | { kind: 'missed'; notAcceptedAtScreening: boolean }
  /** Somebody talked to the caller. */
  | { kind: 'answered' }
  /** Staff pressed 1 at the screening prompt; that was recorded then, nothing more to do. */
  | { kind: 'accepted_at_screening' }
  /** Not a final DialCallStatus Twilio documents. */
  | { kind: 'unexpected' };

export interface DialFacts {
  /** Twilio's DialCallStatus, any case. */
  dialStatus: string;
  callScreeningEnabled: boolean;
  /** Whether staff pressed 1 for this call; read only when screeningAnswerMatters says so. */
  acceptedAtScreening: boolean;
}

export function dialOutcome(facts: DialFacts): DialOutcome {
  const status = facts.dialStatus.toLowerCase();
  if ((MISSED_DIAL_STATUSES as readonly string[]).includes(status)) return { kind: 'missed', notAcceptedAtScreening: false };
  if (status !== 'completed') return { kind: 'unexpected' };
  // With screening, "completed" also means a voicemail box picked up at the ring timeout; only a pressed 1 is an answer.
  if (!facts.callScreeningEnabled) return { kind: 'answered' };
  return facts.acceptedAtScreening ? { kind: 'accepted_at_screening' } : { kind: 'missed', notAcceptedAtScreening: true };
}

/** Whether dialOutcome depends on acceptedAtScreening (so it is worth looking up). */
export function screeningAnswerMatters(dialStatus: string, callScreeningEnabled: boolean): boolean {
  return callScreeningEnabled && dialStatus.toLowerCase() === 'completed';
}

export interface DialStatusInput {
  callSid: string;
  callerPhone: string;
  dialStatus: string;
  dialCallDurationSeconds: number | null;
  /** The dashboard's public base URL, for links in staff alerts. */
  dashboardBaseUrl: string;
  /** See MissedCallInput.claimant. */
  claimant?: string | null;
}

export type DialStatusResult =
  | { kind: 'missed'; once: OnceResult<MissedCallResult> }
  | { kind: 'answered'; duplicate: boolean }
  | { kind: 'accepted_at_screening' }
  | { kind: 'unexpected'; dialStatus: string };

export async function recordDialStatus(
  prisma: PrismaClient,
  actor: Actor,
  context: CallContext,
  input: DialStatusInput,
  clock: Clock,
  applied?: AppliedRefs,
): Promise<DialStatusResult> {
  const screening = context.settings.callScreeningEnabled;
  const acceptedRef = providerRefs.callAccepted(input.callSid);
  const acceptedAtScreening = screeningAnswerMatters(input.dialStatus, screening)
    ? (context.seenRefs?.has(acceptedRef) ?? (await wasAcceptedAtScreening(prisma, actor.orgId, input.callSid)))
    : false;
  const outcome = dialOutcome({ dialStatus: input.dialStatus, callScreeningEnabled: screening, acceptedAtScreening });
  switch (outcome.kind) {
    case 'missed': {
      const missed = {
        callSid: input.callSid,
        callerPhone: input.callerPhone,
        dialStatus: input.dialStatus.toLowerCase(),
        dialCallDurationSeconds: input.dialCallDurationSeconds,
        dashboardBaseUrl: input.dashboardBaseUrl,
        claimant: input.claimant ?? null,
        ...(outcome.notAcceptedAtScreening ? { notAcceptedAtScreening: true } : {}),
      };
      const ref = providerRefs.callMissed(input.callSid);
      if (applied?.has(actor.orgId, ref)) return { kind: 'missed', once: { duplicate: true, orgId: actor.orgId } };
      const once = await recordMissedCall(prisma, actor, context, missed, clock);
      applied?.add(actor.orgId, ref);
      return { kind: 'missed', once };
    }
    case 'answered': {
      const ref = providerRefs.callAnswered(input.callSid);
      const once = await applyOnce(
        prisma,
        ref,
        (tx) =>
          recordAnsweredCall(
            tx,
            actor,
            context,
            { callSid: input.callSid, callerPhone: input.callerPhone, durationSeconds: input.dialCallDurationSeconds, via: 'dial' },
            clock,
          ),
        context.seenRefs ? { applied: context.seenRefs.has(ref), orgId: actor.orgId } : undefined,
      );
      return { kind: 'answered', duplicate: once.duplicate };
    }
    case 'accepted_at_screening':
      return { kind: 'accepted_at_screening' };
    case 'unexpected':
      return { kind: 'unexpected', dialStatus: input.dialStatus };
  }
}
