// Tracking lines: the public numbers that route calls to an org.
import type { Tx } from '../db/types';
import type { Actor } from '../common/actor';
import { systemClock, type Clock } from '../common/clock';
import { recordAudit } from '../audit/audit.service';
import { badInput, conflict, isUniqueViolation } from '../common/errors';
import { isE164 } from '../common/phone';

export interface AddTrackingLineInput {
  number: string;
  forwardTo: string;
  label?: string | null;
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
      data: { orgId: actor.orgId, number: input.number, forwardTo: input.forwardTo, label: input.label ?? null, createdAt: clock.now() },
    });
    await recordAudit(
      tx,
      actor,
      {
        action: 'tracking_line.added',
        target: { type: 'TrackingLine', id: line.id },
        changes: { number: { before: null, after: line.number }, forwardTo: { before: null, after: line.forwardTo } },
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
