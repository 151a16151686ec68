// Staff memberships of an organization: list, invite, change role, remove.
// Rules beyond the permission table: an ADMIN cannot touch OWNER memberships
// (nor grant OWNER), and an organization always keeps at least one OWNER.
import type { Role } from '../generated/prisma/enums';
import type { Prisma } from '../generated/prisma/client';
import type { Tx } from '../db/types';
import type { Actor } from '../shared/actor';
import { systemClock, type Clock } from '../shared/clock';
import { badInput, DomainError, isUniqueViolation, notFound } from '../shared/errors';
import { isUuid } from '../shared/ids';
import { recordAudit } from '../audit/audit.service';
import { paginate, type Page } from '../graphql/connection';
import { isEmail, normalizeEmail } from './passwords';
import { hashToken, newRandomToken } from './sessions';
import { ACCEPTED_MEMBERSHIP, requireManager } from './staff';
import type { MemberStatus } from './members.types';

/** How long an invitation's set-password token works. */
export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export interface MemberView {
  id: string;
  userId: string;
  email: string;
  name: string | null;
  role: Role;
  joinedAt: Date;
  status: MemberStatus;
  /** When an INVITED member's token stops working; null once accepted. */
  invitationExpiresAt: Date | null;
  /** Deprecated alias of status ACTIVE: says nothing about the user's account outside this organization. */
  passwordSet: boolean;
}

const memberSelect = {
  id: true,
  userId: true,
  role: true,
  createdAt: true,
  acceptedAt: true,
  inviteExpiresAt: true,
  user: { select: { email: true, name: true } },
} as const;

type MemberRow = {
  id: string;
  userId: string;
  role: Role;
  createdAt: Date;
  acceptedAt: Date | null;
  inviteExpiresAt: Date | null;
  user: { email: string; name: string | null };
};

function viewOf(row: MemberRow): MemberView {
  const accepted = row.acceptedAt !== null;
  return {
    id: row.id,
    userId: row.userId,
    email: row.user.email,
    // The name belongs to the person's account, which may predate this organization: not shown until they join.
    name: accepted ? row.user.name : null,
    role: row.role,
    joinedAt: row.acceptedAt ?? row.createdAt,
    status: accepted ? 'ACTIVE' : 'INVITED',
    invitationExpiresAt: accepted ? null : row.inviteExpiresAt,
    passwordSet: accepted,
  };
}

/** Oldest membership first, invitations included (status INVITED). */
export async function listMembers(tx: Tx, actor: Actor, page: { first?: number | null; after?: string | null }): Promise<Page<MemberView>> {
  requireManager(actor, 'members');
  const found = await paginate<MemberRow & { createdAt: Date }, Prisma.MembershipWhereInput>({
    ...page,
    sortKey: 'createdAt',
    direction: 'asc',
    where: { orgId: actor.orgId },
    findMany: (args) => tx.membership.findMany({ ...args, select: memberSelect }),
    count: (args) => tx.membership.count(args),
  });
  return { ...found, nodes: found.nodes.map(viewOf) };
}

export interface Invitation {
  member: MemberView;
  /** Shown once, stored as a hash; it accepts this membership and no other. */
  setPasswordToken: string;
  setPasswordExpiresAt: Date;
}

/**
 * Invites someone into the actor's organization: a membership that grants
 * nothing until its own one-time token is accepted (setPassword). The answer
 * is the same whether or not the email already has a CallSnare account, and
 * the invitation never changes an existing user's row: accepting it either
 * sets the first password of a new account or, for an account that has one,
 * requires that password.
 * Inviting someone whose invitation is still pending issues a new token (the
 * old one stops working) with the role asked for now.
 */
export async function inviteMember(tx: Tx, actor: Actor, input: { email: string; role: Role }, clock: Clock = systemClock): Promise<Invitation> {
  requireManager(actor, 'members');
  const email = normalizeEmail(input.email);
  if (!isEmail(email)) throw badInput(`"${input.email}" is not a valid email address`, { email: 'not a valid email address' });
  if (input.role === 'OWNER') requireOwnerPower(actor, 'grant the OWNER role');
  const now = clock.now();
  const token = newRandomToken();
  const expiresAt = new Date(now.getTime() + INVITATION_TTL_MS);
  const invitation = { inviteTokenHash: hashToken(token), inviteExpiresAt: expiresAt, invitedById: actor.type === 'USER' ? actor.id : null };

  // The user row is the sign-in identity shared by every organization: created if new, never updated here.
  await tx.user.createMany({ data: [{ email, passwordHash: null }], skipDuplicates: true });
  const user = await tx.user.findUniqueOrThrow({ where: { email }, select: { id: true } });
  const pending = await tx.membership.findUnique({
    where: { orgId_userId: { orgId: actor.orgId, userId: user.id } },
    select: { id: true, role: true, acceptedAt: true },
  });
  if (pending?.acceptedAt) throw badInput(`${email} is already a member`, { email: 'already a member' });
  if (pending?.role === 'OWNER') requireOwnerPower(actor, 'change an OWNER\'s invitation');

  let membership: MemberRow;
  try {
    membership = pending
      ? await tx.membership.update({ where: { id: pending.id, orgId: actor.orgId }, data: { ...invitation, role: input.role, updatedAt: now }, select: memberSelect })
      : await tx.membership.create({
          data: { ...invitation, orgId: actor.orgId, userId: user.id, role: input.role, createdAt: now, acceptedAt: null },
          select: memberSelect,
        });
  } catch (error) {
    if (isUniqueViolation(error)) throw badInput(`${email} was just invited by someone else`, { email: 'already invited' });
    throw error;
  }
  await recordAudit(
    tx,
    actor,
    {
      action: 'member.invited',
      target: { type: 'Membership', id: membership.id },
      changes: { email: { before: null, after: email }, role: { before: pending?.role ?? null, after: input.role } },
    },
    clock,
  );
  return { member: viewOf(membership), setPasswordToken: token, setPasswordExpiresAt: expiresAt };
}

export async function updateMemberRole(tx: Tx, actor: Actor, input: { membershipId: string; role: Role }, clock: Clock = systemClock): Promise<MemberView> {
  requireManager(actor, 'members');
  await lockOrganization(tx, actor.orgId);
  const target = await findMembership(tx, actor, input.membershipId);
  if (target.role === input.role) return viewOf(target);
  if (target.role === 'OWNER') requireOwnerPower(actor, 'change an OWNER\'s role');
  if (input.role === 'OWNER') requireOwnerPower(actor, 'grant the OWNER role');
  if (target.role === 'OWNER' && target.acceptedAt) await requireAnotherOwner(tx, actor.orgId, 'demoted');
  const updated = await tx.membership.update({ where: { id: target.id, orgId: actor.orgId }, data: { role: input.role, updatedAt: clock.now() }, select: memberSelect });
  await recordAudit(
    tx,
    actor,
    {
      action: 'member.role_changed',
      target: { type: 'Membership', id: target.id },
      changes: { role: { before: target.role, after: input.role } },
    },
    clock,
  );
  return viewOf(updated);
}

/** Removes the membership (or withdraws the invitation); the user's sessions lose this organization at their next request. */
export async function removeMember(tx: Tx, actor: Actor, membershipId: string, clock: Clock = systemClock): Promise<MemberView> {
  requireManager(actor, 'members');
  await lockOrganization(tx, actor.orgId);
  const target = await findMembership(tx, actor, membershipId);
  if (target.role === 'OWNER') {
    requireOwnerPower(actor, 'remove an OWNER');
    if (target.acceptedAt) await requireAnotherOwner(tx, actor.orgId, 'removed');
  }
  await tx.membership.delete({ where: { id: target.id, orgId: actor.orgId } });
  await recordAudit(
    tx,
    actor,
    {
      action: 'member.removed',
      target: { type: 'Membership', id: target.id },
      changes: { email: { before: target.user.email, after: null }, role: { before: target.role, after: null } },
    },
    clock,
  );
  return viewOf(target);
}

/** Tenant isolation: another organization's membership is NOT_FOUND, like a missing one. */
async function findMembership(tx: Tx, actor: Actor, membershipId: string): Promise<MemberRow> {
  if (!isUuid(membershipId)) throw notFound('Member');
  const row = await tx.membership.findFirst({ where: { id: membershipId, orgId: actor.orgId }, select: memberSelect });
  if (!row) throw notFound('Member');
  return row;
}

function requireOwnerPower(actor: Actor, what: string): void {
  if (actor.type === 'SYSTEM' || actor.role === 'OWNER') return;
  throw new DomainError('FORBIDDEN', `Only an OWNER can ${what}`, { requiredRoles: ['OWNER'] });
}

async function requireAnotherOwner(tx: Tx, orgId: string, outcome: string): Promise<void> {
  const owners = await tx.membership.count({ where: { orgId, role: 'OWNER', ...ACCEPTED_MEMBERSHIP } });
  if (owners <= 1) {
    throw badInput(`The last OWNER cannot be ${outcome}; make someone else OWNER first`, { membershipId: 'last OWNER' });
  }
}

/** Serialises membership changes of one organization (two owners demoting each other). */
async function lockOrganization(tx: Tx, orgId: string): Promise<void> {
  await tx.$queryRaw`SELECT id FROM "Organization" WHERE id = ${orgId}::uuid FOR UPDATE`;
}
