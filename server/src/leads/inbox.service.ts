// The inbox: the org's open leads in work order - needing a reply, callback
// overdue, new missed call, then the rest - latest activity first within each
// (docs/decisions/0011). PostgreSQL computes the order (Lead.inboxRank) and the
// index (orgId, inboxRank, lastActivityAt DESC, id DESC) serves each page as a
// range scan from the cursor: no sort of all leads, however many there are.
import { Prisma } from '../generated/prisma/client';
import type { Tx } from '../db/types';
import type { Actor } from '../common/actor';
import { decodeCursor, encodeCursor, pageSize, toPage, type Page } from '../db/pagination';
import { normalizeRow, queryPrepared } from '../db/prepared';
import type { LeadRow } from './leads.service';

/** inboxRank of a closed lead (BOOKED, LOST): never in the inbox. */
export const CLOSED_INBOX_RANK = 9;

/** Where a page of the inbox ends: the last lead's rank, activity time and id. */
export interface InboxPosition {
  rank: number;
  lastActivityAt: Date;
  id: string;
}

const CURSOR_VERSION = 'inbox1';

export function encodeInboxCursor(position: InboxPosition): string {
  return Buffer.from(`${CURSOR_VERSION}|${position.rank}|${position.lastActivityAt.toISOString()}|${position.id}`, 'utf8').toString('base64url');
}

/** The position an inbox cursor names; anything else (a cursor of another list included) is BAD_USER_INPUT. */
export function decodeInboxCursor(cursor: string): InboxPosition {
  const [version, rank, key, id, ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const valid = version === CURSOR_VERSION && rest.length === 0 && /^\d$/.test(rank ?? '') && Number(rank) < CLOSED_INBOX_RANK;
  // The time and id are checked as every list checks them, and a bad rank or
  // version is refused with the same error (decodeCursor refuses '').
  const position = decodeCursor(valid ? encodeCursor({ key: key ?? '', id: id ?? '' }) : '');
  return { rank: Number(rank), lastActivityAt: new Date(position.key), id: position.id };
}

/**
 * One page of the inbox, `take` rows after `after`. Past a cursor the page is
 * the rest of the cursor's rank plus the ranks below it: two index range scans
 * of at most `take` rows each (PostgreSQL cannot seek one index on a mixed
 * ascending/descending row comparison), merged and cut to `take`.
 */
export function inboxPageSql(orgId: string, take: number, after: InboxPosition | null): Prisma.Sql {
  const order = Prisma.sql`ORDER BY "inboxRank", "lastActivityAt" DESC, id DESC LIMIT ${take}`;
  const laterRanks = Prisma.sql`SELECT * FROM "Lead"
    WHERE "orgId" = ${orgId}::uuid AND "inboxRank" > ${after ? after.rank : -1} AND "inboxRank" < ${CLOSED_INBOX_RANK}
    ${order}`;
  if (!after) return laterRanks;
  return Prisma.sql`SELECT * FROM (
    (SELECT * FROM "Lead"
      WHERE "orgId" = ${orgId}::uuid AND "inboxRank" = ${after.rank}
        AND ("lastActivityAt", id) < (${after.lastActivityAt}::timestamptz, ${after.id}::uuid)
      ORDER BY "lastActivityAt" DESC, id DESC LIMIT ${take})
    UNION ALL
    (${laterRanks})
  ) page ${order}`;
}

export async function listInbox(tx: Tx, actor: Actor, first?: number | null, after?: string | null): Promise<Page<LeadRow>> {
  const size = pageSize(first);
  const position = after ? decodeInboxCursor(after) : null;
  const rows = (await queryPrepared<Record<string, unknown>>(tx, inboxPageSql(actor.orgId, size + 1, position))).map(
    (row) => normalizeRow(row) as unknown as LeadRow,
  );
  return toPage(
    rows,
    size,
    () => tx.lead.count({ where: { orgId: actor.orgId, inboxRank: { lt: CLOSED_INBOX_RANK } } }),
    (row) => ({ key: row.lastActivityAt.toISOString(), id: row.id }),
    (last) => encodeInboxCursor({ rank: last.inboxRank, lastActivityAt: last.lastActivityAt, id: last.id }),
  );
}
