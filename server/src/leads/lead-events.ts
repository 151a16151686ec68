// Appending to a lead's timeline. Every event moves the lead's lastActivityAt,
// which orders the inbox, and marks the lead changed (updatedAt, which
// LeadFilter.updatedSince reads). `leadEventRow` builds rows for bulk inserts (the
// webhook hot path writes its events in one INSERT per transaction).
import type { Tx } from '../db/types';
import type { Prisma } from '../generated/prisma/client';
import type { LeadEventType } from '../generated/prisma/enums';
import type { Actor } from '../common/actor';

export async function appendLeadEvent(
  tx: Tx,
  actor: Pick<Actor, 'type' | 'id' | 'label' | 'orgId'>,
  leadId: string,
  type: LeadEventType,
  data: Prisma.InputJsonObject,
  at: Date,
) {
  const event = await tx.leadEvent.create({ data: leadEventRow(actor, leadId, type, data, at) });
  // Raw SQL: activity never moves back, and updatedAt (the row's write time, as Prisma keeps it) is set here.
  await tx.$executeRaw`
    UPDATE "Lead" SET "lastActivityAt" = GREATEST("lastActivityAt", ${at}::timestamptz), "updatedAt" = ${new Date()}::timestamptz
    WHERE id = ${leadId}::uuid AND "orgId" = ${actor.orgId}::uuid`;
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
