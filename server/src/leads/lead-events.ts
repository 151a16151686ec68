// Appending to a lead's timeline. Every event moves the lead's lastActivityAt,
// which orders the inbox, and marks the lead changed (updatedAt, which
// LeadFilter.updatedSince reads). `leadEventRow` builds rows for bulk inserts (the
// webhook hot path writes its events in one INSERT per transaction).
import type { Tx } from '../db/types';
import { Prisma } from '../generated/prisma/client';
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
  await moveLastActivity(tx, [{ leadId, orgId: actor.orgId, at }]);
  return event;
}

/**
 * The one writer of timeline rows built with leadEventRow (any leads, any orgs):
 * one insert, then one update moving each lead's lastActivityAt. Every path that
 * records an event goes through here or appendLeadEvent; the missed-call
 * statement (recovery/missed-call-writes.ts) moves it in the same statement.
 */
export async function appendLeadEvents(tx: Tx, rows: Prisma.LeadEventCreateManyInput[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.leadEvent.createMany({ data: rows });
  await moveLastActivity(
    tx,
    rows.map((row) => ({ leadId: row.leadId, orgId: row.orgId, at: new Date(row.createdAt ?? new Date()) })),
  );
}

async function moveLastActivity(tx: Tx, moves: { leadId: string; orgId: string; at: Date }[]): Promise<void> {
  const values = Prisma.join(moves.map((move) => Prisma.sql`(${move.leadId}::uuid, ${move.orgId}::uuid, ${move.at}::timestamptz)`));
  // Raw SQL: activity never moves back, and updatedAt (the row's write time, as Prisma keeps it) is set here.
  await tx.$executeRaw`
    UPDATE "Lead" l SET "lastActivityAt" = GREATEST(l."lastActivityAt", m.at), "updatedAt" = ${new Date()}::timestamptz
    FROM (SELECT v."leadId", v."orgId", max(v.at) AS at FROM (VALUES ${values}) AS v("leadId", "orgId", at) GROUP BY v."leadId", v."orgId") m
    WHERE l.id = m."leadId" AND l."orgId" = m."orgId"`;
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
