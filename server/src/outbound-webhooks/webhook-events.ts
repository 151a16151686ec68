// Writing outbound webhook events: in the caller's transaction (so rolled-back work leaves no
// event), and only when an enabled endpoint of the organization listens to the type (so an
// organization without webhooks pays one indexed lookup). The missed-call hot path writes its
// events inside its one statement with webhookEventInsertSql. The worker
// (webhook-delivery.worker.ts) fans events out to deliveries and freezes their body.
import { Prisma } from '../generated/prisma/client';
import type { Tx } from '../db/types';
import type { WebhookEventType } from './event-types';
import { randomHex } from '../common/ids';

/** evt_ + 24 random hex digits. */
export function newWebhookEventId(): string {
  return `evt_${randomHex(12)}`;
}

export interface WebhookEventInput {
  orgId: string;
  type: WebhookEventType;
  /** The lead, callback or message the event is about. */
  objectId: string;
  at: Date;
}

const listens = (orgId: string, type: string) =>
  Prisma.sql`EXISTS (SELECT 1 FROM "WebhookEndpoint" ep WHERE ep."orgId" = ${orgId}::uuid AND ep.enabled AND ${type} = ANY (ep.events))`;

/** Records the event in `tx` if an enabled endpoint of the org subscribes to its type; true when written. */
export async function recordWebhookEvent(tx: Tx, event: WebhookEventInput): Promise<boolean> {
  const written = await tx.$executeRaw`
    INSERT INTO "WebhookEvent" (id, "orgId", type, "objectId", "createdAt")
    SELECT ${newWebhookEventId()}, ${event.orgId}::uuid, ${event.type}, ${event.objectId}::uuid, ${event.at}::timestamptz
    WHERE ${listens(event.orgId, event.type)}`;
  return written === 1;
}

/**
 * A CTE body for one statement: inserts the event for the row `objectId` of `from` names (one
 * event per row of `from`, none when `from` is empty), if an endpoint listens.
 */
export function webhookEventInsertSql(orgId: string, type: WebhookEventType, from: Prisma.Sql, objectId: Prisma.Sql, at: Date): Prisma.Sql {
  return Prisma.sql`INSERT INTO "WebhookEvent" (id, "orgId", type, "objectId", "createdAt")
      SELECT ${newWebhookEventId()}, ${orgId}::uuid, ${type}, ${objectId}, ${at}::timestamptz FROM ${from}
      WHERE ${listens(orgId, type)}
      RETURNING id`;
}
