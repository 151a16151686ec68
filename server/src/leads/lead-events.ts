// Appending to a lead's timeline. Every event moves the lead's lastActivityAt,
// which orders the inbox. `leadEventRow` builds rows for bulk inserts (the
// webhook hot path writes its events in one INSERT per transaction).
import type { Tx } from '../db/types';
import type { Prisma } from '../generated/prisma/client';
import type { LeadEventType } from '../generated/prisma/enums';
import type { Actor } from '../shared/actor';

export async function appendLeadEvent(
  tx: Tx,
  actor: Pick<Actor, 'type' | 'id' | 'label' | 'orgId'>,
  leadId: string,
  type: LeadEventType,
  data: Prisma.InputJsonObject,
  at: Date,
) {
  const event = await tx.leadEvent.create({ data: leadEventRow(actor, leadId, type, data, at) });
  await tx.lead.updateMany({ where: { id: leadId, orgId: actor.orgId, lastActivityAt: { lt: at } }, data: { lastActivityAt: at } });
  return event;
}

export function leadEventRow(
  actor: Pick<Actor, 'type' | 'id' | 'label' | 'orgId'>,
  leadId: string,
  type: LeadEventType,
  data: Prisma.InputJsonObject,
  at: Date,
  providerRef: string | null = null,
): Prisma.LeadEventCreateManyInput {
  return {
    orgId: actor.orgId,
    leadId,
    type,
    data,
    actorType: actor.type,
    actorId: actor.id,
    actorLabel: actor.label,
    providerRef,
    createdAt: at,
  };
}
