// Tracking lines: the public numbers that route calls to an org.
import type { Tx } from '../db/types';
import type { Actor } from '../common/actor';
import { systemClock, type Clock } from '../common/clock';
import { recordAudit } from '../audit/audit.service';
import { badInput, conflict, isUniqueViolation, notFound } from '../common/errors';
import { isE164 } from '../common/phone';
import { isUuid } from '../common/ids';
import { requireManager } from '../access/staff';
import type { MessagingRegistration } from '../generated/prisma/enums';

export interface AddTrackingLineInput {
  number: string;
  forwardTo: string;
  label?: string | null;
  registration?: MessagingRegistration | null;
}

export function trackingLineProblems(input: AddTrackingLineInput): Record<string, string> {
  const fields: Record<string, string> = {};
  if (!isE164(input.number)) fields.number = `tracking number must be E.164, like +15005550006 (got "${input.number}")`;
  if (!isE164(input.forwardTo)) fields.forwardTo = `forward-to number must be E.164, like +15005550001 (got "${input.forwardTo}")`;
  else if (input.number === input.forwardTo) fields.forwardTo = 'forward-to number must differ from the tracking number';
  return fields;
}

export async function addTrackingLine(tx: Tx, actor: Actor, input: AddTrackingLineInput, clock: Clock = systemClock) {
  const problems = trackingLineProblems(input);
  const [firstProblem] = Object.values(problems);
  if (firstProblem !== undefined) throw badInput(firstProblem, problems);
  const existing = await tx.trackingLine.findUnique({ where: { number: input.number }, select: { id: true } });
  if (existing) throw conflict(`tracking number ${input.number} is already in use`);
  try {
    const line = await tx.trackingLine.create({
      data: {
        orgId: actor.orgId,
        number: input.number,
        forwardTo: input.forwardTo,
        label: input.label ?? null,
        ...(input.registration ? { messagingRegistration: input.registration } : {}),
        createdAt: clock.now(),
      },
    });
    await recordAudit(
      tx,
      actor,
      {
        action: 'tracking_line.added',
        target: { type: 'TrackingLine', id: line.id },
        changes: {
          number: { before: null, after: line.number },
          forwardTo: { before: null, after: line.forwardTo },
          messagingRegistration: { before: null, after: line.messagingRegistration },
        },
      },
      clock,
    );
    return line;
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict(`tracking number ${input.number} is already in use`);
    throw error;
  }
}

export function listTrackingLines(tx: Tx, actor: Actor) {
  return tx.trackingLine.findMany({ where: { orgId: actor.orgId }, orderBy: { createdAt: 'asc' } });
}

/** What each messaging registration state means for a line's texts (shown next to it on the dashboard). */
export const MESSAGING_REGISTRATION_MEANING: Readonly<Record<MessagingRegistration, string>> = {
  UNKNOWN:
    'Not recorded yet. US carriers block business texts from 10-digit numbers not registered for A2P 10DLC and from unverified toll-free numbers; set the state once you know it.',
  NOT_REQUIRED: 'No registration needed for this number (for example, it texts only recipients outside the US and Canada).',
  A2P_10DLC_PENDING: 'A2P 10DLC registration (brand and campaign) is submitted and under review; carriers may block texts until it is approved.',
  A2P_10DLC_REGISTERED: 'Registered for A2P 10DLC with an approved campaign: carriers accept business texts from this number.',
  A2P_10DLC_REJECTED: 'The A2P 10DLC campaign was rejected: US carriers block texts from this number until a corrected registration is approved.',
  TOLL_FREE_PENDING: 'Toll-free verification is submitted and under review; texts to the US and Canada are blocked until it is approved.',
  TOLL_FREE_VERIFIED: 'Toll-free verification approved: carriers accept business texts from this number.',
  TOLL_FREE_REJECTED: 'Toll-free verification was rejected: texts to the US and Canada are blocked until a corrected request is approved.',
};

export const MESSAGING_REGISTRATIONS = Object.keys(MESSAGING_REGISTRATION_MEANING) as MessagingRegistration[];

/** States in which carriers accept the line's texts: reaching one clears a carrier-filtering flag, so the next block alerts again. */
const CLEARS_FILTERING: readonly MessagingRegistration[] = ['A2P_10DLC_REGISTERED', 'TOLL_FREE_VERIFIED', 'NOT_REQUIRED'];

export function parseMessagingRegistration(value: string): MessagingRegistration | null {
  const normalized = value.trim().toUpperCase().replace(/-/g, '_');
  return (MESSAGING_REGISTRATIONS as string[]).includes(normalized) ? (normalized as MessagingRegistration) : null;
}

/** Records a line's messaging registration as the operator knows it (audited); an unknown line is NOT_FOUND. */
export async function setTrackingLineRegistration(
  tx: Tx,
  actor: Actor,
  input: { lineId: string; registration: MessagingRegistration },
  clock: Clock = systemClock,
) {
  // Staff: OWNER/ADMIN only (the shield enforces this and a credential's settings:write at the edge too).
  if (actor.type === 'USER') requireManager(actor, 'tracking lines');
  if (!isUuid(input.lineId)) throw notFound('Tracking line');
  const line = await tx.trackingLine.findFirst({ where: { id: input.lineId, orgId: actor.orgId } });
  if (!line) throw notFound('Tracking line');
  const clearsFiltering = CLEARS_FILTERING.includes(input.registration) && line.carrierFilteringAt !== null;
  if (line.messagingRegistration === input.registration && !clearsFiltering) return line;
  const updated = await tx.trackingLine.update({
    where: { id: line.id, orgId: actor.orgId },
    data: {
      messagingRegistration: input.registration,
      ...(clearsFiltering ? { carrierFilteringCode: null, carrierFilteringAt: null } : {}),
    },
  });
  await recordAudit(
    tx,
    actor,
    {
      action: 'tracking_line.registration_changed',
      target: { type: 'TrackingLine', id: line.id },
      changes: {
        messagingRegistration: { before: line.messagingRegistration, after: input.registration },
        ...(clearsFiltering
          ? {
              carrierFilteringCode: { before: line.carrierFilteringCode, after: null },
              carrierFilteringAt: { before: line.carrierFilteringAt?.toISOString() ?? null, after: null },
            }
          : {}),
      },
    },
    clock,
  );
  return updated;
}
