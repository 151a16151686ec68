// Per-user read state: when a staff member last saw each lead (LeadRead). A lead
// is unread for them until they open it, and again once something happens on it
// after that (lastActivityAt > readAt). Their own actions on a lead count as
// seeing it. API credentials have no read state.
import type { Tx } from '../db/types';
import type { Actor } from '../common/actor';

/**
 * Marks the lead read for the user as of its current lastActivityAt (one
 * statement, safe to repeat or race: a read mark never moves back). False when
 * the org has no such lead.
 */
export async function recordLeadRead(tx: Tx, userId: string, orgId: string, leadId: string): Promise<boolean> {
  const marked = await tx.$executeRaw`
    INSERT INTO "LeadRead" ("userId", "leadId", "orgId", "readAt")
    SELECT ${userId}::uuid, l.id, l."orgId", l."lastActivityAt" FROM "Lead" l WHERE l.id = ${leadId}::uuid AND l."orgId" = ${orgId}::uuid
    ON CONFLICT ("userId", "leadId") DO UPDATE SET "readAt" = GREATEST("LeadRead"."readAt", EXCLUDED."readAt")`;
  return marked > 0;
}

/** A staff member's own change to a lead does not make it new to them. */
export async function markSeenBy(tx: Tx, actor: Actor, leadId: string): Promise<void> {
  if (actor.type === 'USER' && actor.id) await recordLeadRead(tx, actor.id, actor.orgId, leadId);
}

/** Which of the leads are unread for the user (one query for a whole page). */
export async function unreadLeads(tx: Tx, orgId: string, userId: string, leadIds: readonly string[]): Promise<Map<string, boolean>> {
  if (leadIds.length === 0) return new Map();
  const rows = await tx.$queryRaw<{ id: string; unread: boolean }[]>`
    SELECT l.id::text AS id, (r."readAt" IS NULL OR l."lastActivityAt" > r."readAt") AS unread
    FROM "Lead" l LEFT JOIN "LeadRead" r ON r."leadId" = l.id AND r."userId" = ${userId}::uuid AND r."orgId" = l."orgId"
    WHERE l."orgId" = ${orgId}::uuid AND l.id = ANY(${[...leadIds]}::uuid[])`;
  return new Map(rows.map((row) => [row.id, row.unread]));
}
