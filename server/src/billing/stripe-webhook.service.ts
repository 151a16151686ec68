// Applies one verified (or, in sandbox, recorded) Stripe event exactly once:
// resolves the org, stores the billing record keyed by the event id (unique:
// a replay, sequential or concurrent, is one record), moves the subscription
// state and audits the change, all in one transaction.
import type { PrismaClient } from '../generated/prisma/client';
import { inTransaction, type Tx } from '../db/types';
import { diffFields, recordAudit } from '../audit/audit.service';
import type { Actor, RequestMeta } from '../common/actor';
import type { Clock } from '../common/clock';
import { isUniqueViolation } from '../common/errors';
import { isHandledStripeEvent, stripeEventFacts, type StripeEventEnvelope, type StripeEventFacts } from './stripe-events';
import { AUDITED_SUBSCRIPTION_FIELDS, nextSubscriptionState, type StoredSubscription } from './subscription-state';
import { crossTenant } from '../db/tenant-guard';

export type StripeEventResult =
  | { outcome: 'PROCESSED'; orgId: string; note: string | null }
  | { outcome: 'DUPLICATE'; orgId: string | null; note: null }
  | { outcome: 'IGNORED'; orgId: string | null; note: string };

/** Stripe telling us about money: recorded as a PROVIDER actor. */
export function stripeActor(orgId: string, request: RequestMeta = {}): Actor {
  return { type: 'PROVIDER', id: 'stripe', label: 'Stripe', orgId, request };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function applyStripeEvent(prisma: PrismaClient, event: StripeEventEnvelope, request: RequestMeta, clock: Clock): Promise<StripeEventResult> {
  if (!isHandledStripeEvent(event.type)) return { outcome: 'IGNORED', orgId: null, note: `event type ${event.type} is not one CallSnare acts on` };
  // Cheap path for a replay: one indexed read, no transaction.
  const seen = await alreadyRecorded(prisma, event.id);
  if (seen) return seen;

  const facts = stripeEventFacts(event.type, event.object);
  const resolved = await resolveOrg(prisma, facts);
  if ('ignored' in resolved) return { outcome: 'IGNORED', orgId: resolved.orgId, note: resolved.ignored };
  const { orgId, customerId } = resolved;

  try {
    const note = await inTransaction(prisma, (tx) => applyInTransaction(tx, stripeActor(orgId, request), event, facts, customerId, clock));
    return { outcome: 'PROCESSED', orgId, note };
  } catch (error) {
    // A concurrent replay committed the record first; anything else is a real failure.
    if (isUniqueViolation(error)) {
      const raced = await alreadyRecorded(prisma, event.id);
      if (raced) return raced;
    }
    throw error;
  }
}

async function applyInTransaction(
  tx: Tx,
  actor: Actor,
  event: StripeEventEnvelope,
  facts: StripeEventFacts,
  customerId: string,
  clock: Clock,
): Promise<string | null> {
  // The idempotency key goes in first: a replay stops here, before anything else changes.
  await tx.billingRecord.create({
    data: { orgId: actor.orgId, stripeEventId: event.id, type: event.type, occurredAt: event.created, ...facts.record },
    select: { id: true },
  });
  // Events of one org apply one at a time, so the newest-wins check cannot race.
  await tx.$executeRaw`SELECT 1 FROM "Subscription" WHERE "orgId" = ${actor.orgId}::uuid FOR UPDATE`;
  const stored = await tx.subscription.findUnique({ where: { orgId: actor.orgId } });
  // Events created in the same second as the state on file are ordered among themselves (subscription-state.ts).
  const sameSecond =
    stored?.stripeEventCreatedAt && stored.stripeEventCreatedAt.getTime() === event.created.getTime()
      ? await tx.billingRecord.findMany({
          where: { orgId: actor.orgId, occurredAt: event.created, stripeEventId: { not: event.id } },
          select: { stripeEventId: true, type: true, status: true, stripeSubscriptionId: true },
        })
      : [];
  const change = nextSubscriptionState(stored, event, facts, customerId, sameSecond);
  if (!change.next) return change.note;

  const next = change.next;
  const row = stored
    ? await tx.subscription.update({ where: { orgId: actor.orgId }, data: next, select: { id: true } })
    : await tx.subscription.create({ data: { ...next, orgId: actor.orgId }, select: { id: true } });
  const changes = diffFields(auditedFields(stored), auditedFields(next));
  if (Object.keys(changes).length > 0) {
    await recordAudit(tx, actor, { action: 'billing.subscription_changed', target: { type: 'Subscription', id: row.id }, changes }, clock);
  }
  return change.note;
}

type Resolved = { orgId: string; customerId: string } | { ignored: string; orgId: string | null };

/** checkout.session.completed names the org (client_reference_id); every other event finds it by customer. */
async function resolveOrg(prisma: PrismaClient, facts: StripeEventFacts): Promise<Resolved> {
  const customerId = facts.record.stripeCustomerId;
  if (!customerId) return { ignored: 'the event names no Stripe customer', orgId: null };
  const linked = await crossTenant('a Stripe customer id names its organization', () =>
    prisma.subscription.findUnique({ where: { stripeCustomerId: customerId }, select: { orgId: true } }),
  );
  if (facts.kind === 'checkout' && facts.orgReference) {
    const reference = facts.orgReference;
    const org = UUID.test(reference) ? await prisma.organization.findUnique({ where: { id: reference }, select: { id: true } }) : null;
    if (!org) return { ignored: `client_reference_id "${reference.slice(0, 100)}" is not a CallSnare organization id`, orgId: null };
    if (linked && linked.orgId !== org.id) {
      return { ignored: `Stripe customer ${customerId} is already linked to another organization`, orgId: org.id };
    }
    return { orgId: org.id, customerId };
  }
  if (!linked) {
    return {
      ignored: `no organization is linked to Stripe customer ${customerId} (a checkout.session.completed with client_reference_id links it)`,
      orgId: null,
    };
  }
  return { orgId: linked.orgId, customerId };
}

async function alreadyRecorded(prisma: PrismaClient, stripeEventId: string): Promise<StripeEventResult | null> {
  const record = await crossTenant('a Stripe event id is unique across organizations', () =>
    prisma.billingRecord.findUnique({ where: { stripeEventId }, select: { orgId: true } }),
  );
  return record ? { outcome: 'DUPLICATE', orgId: record.orgId, note: null } : null;
}

function auditedFields(subscription: StoredSubscription | null): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const name of AUDITED_SUBSCRIPTION_FIELDS) {
    const value = subscription?.[name] ?? null;
    fields[name] = value instanceof Date ? value.toISOString() : value;
  }
  return fields;
}
