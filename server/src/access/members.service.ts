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
import { requireManager } from './staff';

/** How long an invitation's set-password token works. */
export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export interface MemberView {
  id: string;
  userId: string;
  email: string;
  name: string | null;
  role: Role;
  joinedAt: Date;
  passwordSet: boolean;
}

const memberSelect = {
  id: true,
  userId: true,
  role: true,
  createdAt: true,
  user: { select: { email: true, name: true, passwordHash: true } },
} as const;

type MemberRow = { id: string; userId: string; role: Role; createdAt: Date; user: { email: string; name: string | null; passwordHash: string | null } };

function viewOf(row: MemberRow): MemberView {
  return {
    id: row.id,
    userId: row.userId,
    email: row.user.email,
    name: row.user.name,
    role: row.role,
    joinedAt: row.createdAt,
    passwordSet: row.user.passwordHash !== null,
  };
}

/** Oldest membership first. */
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
  /** Only for a user who has no password yet: shown once, stored as a hash. */
  setPasswordToken: string | null;
  setPasswordExpiresAt: Date | null;
}

/**
 * Adds a member. A new user (or one who never set a password) gets a one-time
 * set-password token for the inviter to pass on; an existing user signs in with
 * the password they have, and gets no token (an invitation must never let one
 * organization reset the password of a person who belongs to another).
 */
export async function inviteMember(tx: Tx, actor: Actor, input: { email: string; role: Role }, clock: Clock = systemClock): Promise<Invitation> {
  requireManager(actor, 'members');
  const email = normalizeEmail(input.email);
  if (!isEmail(email)) throw badInput(`"${input.email}" is not a valid email address`, { email: 'not a valid email address' });
  if (input.role === 'OWNER') requireOwnerPower(actor, 'grant the OWNER role');
  const now = clock.now();
  const existing = await tx.user.findUnique({ where: { email }, select: { id: true, passwordHash: true } });
  if (existing) {
    const already = await tx.membership.findUnique({ where: { orgId_userId: { orgId: actor.orgId, userId: existing.id } }, select: { id: true } });
    if (already) throw badInput(`${email} is already a member`, { email: 'already a member' });
  }
  const needsToken = !existing || existing.passwordHash === null;
  const token = needsToken ? newRandomToken() : null;
  const expiresAt = needsToken ? new Date(now.getTime() + INVITATION_TTL_MS) : null;
  const tokenFields = token ? { setPasswordTokenHash: hashToken(token), setPasswordExpiresAt: expiresAt } : {};
  let membership: MemberRow;
  try {
    const user = existing
      ? await tx.user.update({ where: { id: existing.id }, data: tokenFields, select: { id: true } })
      : await tx.user.create({ data: { email, passwordHash: null, ...tokenFields }, select: { id: true } });
    membership = await tx.membership.create({
      data: { orgId: actor.orgId, userId: user.id, role: input.role, invitedById: actor.type === 'USER' ? actor.id : null, createdAt: now },
      select: memberSelect,
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw badInput(`${email} was just invited by someone else`, { email: 'already a member' });
    throw error;
  }
  await recordAudit(
    tx,
    actor,
    {
      action: 'member.invited',
      target: { type: 'Membership', id: membership.id },
      changes: { email: { before: null, after: email }, role: { before: null, after: input.role } },
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
  if (target.role === 'OWNER') await requireAnotherOwner(tx, actor.orgId, 'demoted');
  const updated = await tx.membership.update({ where: { id: target.id }, data: { role: input.role, updatedAt: clock.now() }, select: memberSelect });
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

/** Removes the membership; the user's sessions lose this organization at their next request. */
export async function removeMember(tx: Tx, actor: Actor, membershipId: string, clock: Clock = systemClock): Promise<MemberView> {
  requireManager(actor, 'members');
  await lockOrganization(tx, actor.orgId);
  const target = await findMembership(tx, actor, membershipId);
  if (target.role === 'OWNER') {
    requireOwnerPower(actor, 'remove an OWNER');
    await requireAnotherOwner(tx, actor.orgId, 'removed');
  }
  await tx.membership.delete({ where: { id: target.id } });
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
  const owners = await tx.membership.count({ where: { orgId, role: 'OWNER' } });
  if (owners <= 1) {
    throw badInput(`The last OWNER cannot be ${outcome}; make someone else OWNER first`, { membershipId: 'last OWNER' });
  }
}

/** Serialises membership changes of one organization (two owners demoting each other). */
async function lockOrganization(tx: Tx, orgId: string): Promise<void> {
  await tx.$queryRaw`SELECT id FROM "Organization" WHERE id = ${orgId}::uuid FOR UPDATE`;
}
