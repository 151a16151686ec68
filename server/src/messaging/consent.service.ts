// SMS consent per caller phone. Opt-out is about the phone number, not one
// lead: it applies to every lead of that number in the org (and to leads the
// number opens later, see recovery/caller-lead.ts), and withdraws texts that
// are still waiting in the outbox.
import type { Tx } from '../db/types';
import type { Prisma } from '../generated/prisma/client';
import type { MessageKind } from '../generated/prisma/enums';
import type { Clock } from '../common/clock';
import { recordAudit } from '../audit/audit.service';
import { callsnareActor, type Actor } from '../common/actor';
import { appendLeadEvents, leadEventRow } from '../leads/lead-events';
import { recordWebhookEvent } from '../outbound-webhooks/webhook-events';

/** Kinds an opted-out caller never receives. A HELP answer (AUTO_REPLY) is still owed to them. */
export const CONSENT_REQUIRED_KINDS: readonly MessageKind[] = ['TEXT_BACK', 'STAFF_REPLY'];

export interface ConsentChange {
  /** The lead whose timeline records the change. */
  leadId: string;
  phone: string;
  /** Why: the keyword texted ("STOP"), or the provider's verdict ("carrier:21610"). */
  cause: string;
  /** Evidence: the inbound message or the failed outbound one. */
  messageId?: string | null;
}

/** Returns false when the number was already opted out (nothing changes, nothing is recorded). */
export function optOutCaller(tx: Tx, actor: Actor, change: ConsentChange, clock: Clock): Promise<boolean> {
  return setConsent(tx, actor, change, true, clock);
}

/** Returns false when the number was not opted out. */
export function optInCaller(tx: Tx, actor: Actor, change: ConsentChange, clock: Clock): Promise<boolean> {
  return setConsent(tx, actor, change, false, clock);
}

async function setConsent(tx: Tx, actor: Actor, change: ConsentChange, optedOut: boolean, clock: Clock): Promise<boolean> {
  const now = clock.now();
  const { count } = await tx.lead.updateMany({
    where: { orgId: actor.orgId, phone: change.phone, optedOut: !optedOut },
    data: { optedOut, optedOutAt: optedOut ? now : null },
  });
  if (count === 0) return false;
  const events: Prisma.LeadEventCreateManyInput[] = [
    leadEventRow(actor, change.leadId, optedOut ? 'OPTED_OUT' : 'OPTED_IN', { cause: change.cause, messageId: change.messageId ?? null }, now),
  ];
  if (optedOut) events.push(...(await withdrawQueuedTexts(tx, actor, change.phone, now)));
  if (optedOut) await recordWebhookEvent(tx, { orgId: actor.orgId, type: 'lead.opted_out', objectId: change.leadId, at: now });
  await appendLeadEvents(tx, events);
  await recordAudit(
    tx,
    actor,
    {
      action: optedOut ? 'lead.opted_out' : 'lead.opted_in',
      target: { type: 'Lead', id: change.leadId },
      changes: { optedOut: { before: !optedOut, after: optedOut }, cause: { before: null, after: change.cause } },
    },
    clock,
  );
  return true;
}

/** Cancels texts to `phone` that have not left yet; returns the timeline events saying so. */
async function withdrawQueuedTexts(tx: Tx, actor: Actor, phone: string, now: Date): Promise<Prisma.LeadEventCreateManyInput[]> {
  const withdrawn = await tx.message.updateManyAndReturn({
    where: { orgId: actor.orgId, toPhone: phone, direction: 'OUTBOUND', status: 'QUEUED', kind: { in: [...CONSENT_REQUIRED_KINDS] } },
    data: { status: 'CANCELED', lastError: 'recipient opted out', nextAttemptAt: null },
    select: { id: true, leadId: true, kind: true },
  });
  const callsnare = callsnareActor(actor.orgId, actor.request);
  return withdrawn.map((message) =>
    leadEventRow(
      callsnare,
      message.leadId,
      message.kind === 'TEXT_BACK' ? 'TEXT_BACK_SKIPPED' : 'MESSAGE_FAILED',
      { messageId: message.id, reason: 'opted_out' },
      now,
    ),
  );
}
