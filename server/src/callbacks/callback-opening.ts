// Opening the callback a missed call owes the caller. One open callback per
// lead is a unique key (Callback.openLeadId), so concurrent missed calls from
// one caller reuse the same callback instead of stacking duplicates.
import type { Tx } from '../db/types';
import type { Actor } from '../shared/actor';
import type { Clock } from '../shared/clock';
import { leadEventRow } from '../leads/lead-events';

export interface OpenedCallback {
  callbackId: string;
  dueAt: Date;
  /** False when the lead already had an open (or scheduled) callback, which is kept as it is. */
  opened: boolean;
}

export async function openCallbackForLead(
  tx: Tx,
  actor: Actor,
  input: { leadId: string; dueAt: Date; cause: Record<string, string> },
  clock: Clock,
): Promise<OpenedCallback> {
  const now = clock.now();
  // ON CONFLICT DO NOTHING: never an error inside the caller's transaction.
  const [created] = await tx.callback.createManyAndReturn({
    data: [{ orgId: actor.orgId, leadId: input.leadId, openLeadId: input.leadId, status: 'OPEN', dueAt: input.dueAt, createdAt: now }],
    skipDuplicates: true,
    select: { id: true, dueAt: true },
  });
  if (created) {
    await tx.leadEvent.create({
      data: leadEventRow(actor, input.leadId, 'CALLBACK_OPENED', { callbackId: created.id, dueAt: created.dueAt.toISOString(), ...input.cause }, now),
    });
    return { callbackId: created.id, dueAt: created.dueAt, opened: true };
  }
  const existing = await tx.callback.findUniqueOrThrow({ where: { openLeadId: input.leadId }, select: { id: true, dueAt: true } });
  return { callbackId: existing.id, dueAt: existing.dueAt, opened: false };
}
