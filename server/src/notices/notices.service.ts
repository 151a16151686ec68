// Dashboard notices: standing messages for OWNERs and ADMINs about something that needs
// their attention (an outbound webhook endpoint auto-disabled, carriers filtering a line's
// texts). Raised by the background side, idempotently per (org, dedupeKey); listed and
// dismissed by managers.
import type { Tx } from '../db/types';
import type { Actor } from '../common/actor';
import type { NoticeKind } from '../generated/prisma/enums';
import { systemClock, type Clock } from '../common/clock';
import { recordAudit } from '../audit/audit.service';
import { notFound } from '../common/errors';
import { isUuid, newRowId } from '../common/ids';
import { requireManager } from '../access/staff';

export interface RaiseNoticeInput {
  orgId: string;
  kind: NoticeKind;
  /** Unique per organization: raising the same key again changes nothing ("carrier:<lineId>", "endpoint:<id>:<disabledAt>"). */
  dedupeKey: string;
  /** The sentence managers read on the dashboard. */
  message: string;
  /** The endpoint or tracking line the notice is about. */
  subjectId?: string | null;
}

/**
 * Raises a notice unless one with the same dedupeKey exists in the organization (dismissed or
 * not): one statement, safe under concurrent callers. Returns true when this call created it.
 * Takes the Prisma client or a transaction (then the notice commits with the transaction).
 */
export async function raiseNotice(tx: Tx, input: RaiseNoticeInput, clock: Clock = systemClock): Promise<boolean> {
  const inserted = await tx.$executeRaw`
    INSERT INTO "Notice" ("id", "orgId", "kind", "dedupeKey", "message", "subjectId", "createdAt")
    VALUES (${newRowId()}::uuid, ${input.orgId}::uuid, ${input.kind}::"NoticeKind", ${input.dedupeKey}, ${input.message},
      ${input.subjectId ?? null}::uuid, ${clock.now()}::timestamptz)
    ON CONFLICT ("orgId", "dedupeKey") DO NOTHING`;
  return inserted === 1;
}

export const noticeSelect = {
  id: true,
  kind: true,
  message: true,
  subjectId: true,
  createdAt: true,
  dismissedAt: true,
  dismissedById: true,
} as const;

/** The organization's notices, newest first; dismissed ones only when asked. */
export function listNotices(tx: Tx, actor: Actor, options: { includeDismissed?: boolean | null } = {}) {
  requireManager(actor, 'dashboard notices');
  return tx.notice.findMany({
    where: { orgId: actor.orgId, ...(options.includeDismissed ? {} : { dismissedAt: null }) },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: 100,
    select: noticeSelect,
  });
}

/** Hides a notice for everyone in the organization (audited once; dismissing again changes nothing). */
export async function dismissNotice(tx: Tx, actor: Actor, id: string, clock: Clock = systemClock) {
  requireManager(actor, 'dashboard notices');
  if (!isUuid(id)) throw notFound('Notice');
  const notice = await tx.notice.findFirst({ where: { id, orgId: actor.orgId }, select: noticeSelect });
  if (!notice) throw notFound('Notice');
  if (notice.dismissedAt) return notice;
  const at = clock.now();
  const dismissedById = actor.type === 'USER' ? actor.id : null;
  const claimed = await tx.notice.updateMany({ where: { id, orgId: actor.orgId, dismissedAt: null }, data: { dismissedAt: at, dismissedById } });
  if (claimed.count === 1) {
    await recordAudit(
      tx,
      actor,
      { action: 'notice.dismissed', target: { type: 'Notice', id }, changes: { dismissedAt: { before: null, after: at.toISOString() } } },
      clock,
    );
  }
  return tx.notice.findFirstOrThrow({ where: { id, orgId: actor.orgId }, select: noticeSelect });
}
