// Reading the record of staff alerts: the organization's own, newest first.
import type { Prisma } from '../generated/prisma/client';
import type { StaffAlertKind, StaffAlertStatus } from '../generated/prisma/enums';
import type { Tx } from '../db/types';
import type { Actor } from '../common/actor';
import { paginate, type Page } from '../db/pagination';
import { memberSelect, memberViewOf, type MemberView } from '../access/members.service';
import { requireManager } from '../access/staff';

export interface StaffAlertView {
  id: string;
  leadId: string;
  kind: StaffAlertKind;
  toPhone: string;
  status: StaffAlertStatus;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  sentAt: Date | null;
  member: MemberView;
}

export interface StaffAlertListFilter {
  kind?: StaffAlertKind | null;
  since?: Date | null;
}

const alertSelect = {
  id: true,
  leadId: true,
  kind: true,
  toPhone: true,
  status: true,
  attempts: true,
  lastError: true,
  createdAt: true,
  sentAt: true,
  membership: { select: memberSelect },
} as const;

type StaffAlertRow = Prisma.StaffAlertGetPayload<{ select: typeof alertSelect }>;

export async function listStaffAlerts(
  tx: Tx,
  actor: Actor,
  filter: StaffAlertListFilter | null,
  page: { first?: number | null; after?: string | null },
): Promise<Page<StaffAlertView>> {
  requireManager(actor, 'staff alerts');
  const where: Prisma.StaffAlertWhereInput = {
    orgId: actor.orgId,
    ...(filter?.kind ? { kind: filter.kind } : {}),
    ...(filter?.since ? { createdAt: { gte: filter.since } } : {}),
  };
  const found = await paginate<StaffAlertRow, Prisma.StaffAlertWhereInput>({
    ...page,
    sortKey: 'createdAt',
    direction: 'desc',
    where,
    findMany: (args) =>
      tx.staffAlert.findMany({
        ...args,
        select: alertSelect,
      }),
    count: (args) => tx.staffAlert.count(args),
  });
  return { ...found, nodes: found.nodes.map(({ membership, ...alert }) => ({ ...alert, member: memberViewOf(membership, actor) })) };
}
