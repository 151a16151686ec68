// The body of an outbound webhook: { id, type, created, orgId, data: { object } }, where
// object is the lead, callback or message as it is when the event is fanned out (its
// current state, shaped like the GraphQL type). Built once per event and frozen: every
// delivery and redelivery sends the same bytes.
import type { Tx } from '../db/types';
import { WEBHOOK_EVENT_DESCRIPTIONS } from './event-types';

export interface EventToDispatch {
  id: string;
  orgId: string;
  type: string;
  objectId: string;
  createdAt: Date;
}

const iso = (date: Date | null) => (date ? date.toISOString() : null);

/** The bodies of a batch of events (three reads whatever its size), by event id. */
export async function eventBodies(tx: Tx, events: readonly EventToDispatch[]): Promise<Map<string, string>> {
  const idsOf = (kind: 'lead' | 'callback' | 'message') =>
    events
      .filter((event) => (WEBHOOK_EVENT_DESCRIPTIONS as Partial<Record<string, { object: string }>>)[event.type]?.object === kind)
      .map((event) => event.objectId);
  const [leads, callbacks, messages] = await Promise.all([
    tx.lead.findMany({ where: { id: { in: idsOf('lead') } } }),
    tx.callback.findMany({ where: { id: { in: idsOf('callback') } } }),
    tx.message.findMany({ where: { id: { in: idsOf('message') } } }),
  ]);
  const objects = new Map<string, Record<string, unknown>>();
  for (const lead of leads) {
    objects.set(lead.id, {
      object: 'lead',
      id: lead.id,
      phone: lead.phone,
      name: lead.name,
      status: lead.status,
      optedOut: lead.optedOut,
      needsReply: lead.needsReply,
      callbackOverdue: lead.callbackOverdue,
      needsDecision: lead.needsDecision,
      createdAt: iso(lead.createdAt),
      lastActivityAt: iso(lead.lastActivityAt),
      updatedAt: iso(lead.updatedAt),
    });
  }
  for (const callback of callbacks) {
    objects.set(callback.id, {
      object: 'callback',
      id: callback.id,
      leadId: callback.leadId,
      status: callback.status,
      attempt: callback.attempt,
      dueAt: iso(callback.dueAt),
      scheduledFor: iso(callback.scheduledFor),
      assigneeId: callback.assigneeId,
      outcome: callback.outcome,
      notes: callback.notes,
      completedAt: iso(callback.completedAt),
      canceledAt: iso(callback.canceledAt),
      createdAt: iso(callback.createdAt),
      updatedAt: iso(callback.updatedAt),
    });
  }
  for (const message of messages) {
    objects.set(message.id, {
      object: 'message',
      id: message.id,
      leadId: message.leadId,
      direction: message.direction,
      kind: message.kind,
      body: message.body,
      status: message.status,
      from: message.fromPhone,
      to: message.toPhone,
      createdAt: iso(message.createdAt),
    });
  }
  const bodies = new Map<string, string>();
  for (const event of events) {
    // Only a deleted organization removes objects, and its events go with it; said plainly anyway.
    const object = objects.get(event.objectId) ?? { id: event.objectId, deleted: true };
    bodies.set(
      event.id,
      JSON.stringify({ id: event.id, type: event.type, created: Math.floor(event.createdAt.getTime() / 1000), orgId: event.orgId, data: { object } }),
    );
  }
  return bodies;
}
