// Staff memberships of an organization: list, invite, change role, remove,
// profiles (name, alert phone and preferences), on call, password resets.
// Rules beyond the permission table: an ADMIN cannot touch OWNER memberships
// (nor grant OWNER, nor reset an OWNER's password), and an organization always
// keeps at least one OWNER.
import type { Role } from '../generated/prisma/enums';
import type { Prisma } from '../generated/prisma/client';
import type { Tx } from '../db/types';
import type { Actor } from '../common/actor';
import { systemClock, type Clock } from '../common/clock';
import { badInput, DomainError, isUniqueViolation, notFound } from '../common/errors';
import { isUuid } from '../common/ids';
import { recordAudit, type AuditChanges } from '../audit/audit.service';
import { paginate, type Page } from '../db/pagination';
import { isE164 } from '../common/phone';
import { crossTenant } from '../db/tenant-guard';
import { isEmail, normalizeEmail } from './passwords';
import { hashToken, newRandomToken } from './sessions';
import { ACCEPTED_MEMBERSHIP, requireManager } from './staff';
import { ROLES } from './scopes';
import { issuePasswordReset, type SetPasswordGrant } from './password-resets';
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
  /** The member's alert phone; null unless the viewer is an OWNER/ADMIN or the member themself. */
  phone: string | null;
  alertOnMissedCall: boolean;
  alertOnReply: boolean;
  onCall: boolean;
}

/** What memberViewOf needs of a membership row. */
export const memberSelect = {
  id: true,
  userId: true,
  role: true,
  createdAt: true,
  acceptedAt: true,
  inviteExpiresAt: true,
  phone: true,
  alertOnMissedCall: true,
  alertOnReply: true,
  onCall: true,
  user: { select: { email: true, name: true } },
} as const;

type MemberRow = {
  id: string;
  userId: string;
  role: Role;
  createdAt: Date;
  acceptedAt: Date | null;
  inviteExpiresAt: Date | null;
  phone: string | null;
  alertOnMissedCall: boolean;
  alertOnReply: boolean;
  onCall: boolean;
  user: { email: string; name: string | null };
};

/**
 * `invitedAs`: the name this organization gave an INVITED member. The account's
 * own name may come from elsewhere (another organization, the person), so it is
 * shown only once they join: showing it earlier would tell the inviter that the
 * email already has a CallSnare account (docs/decisions/0009).
 */
export function memberViewOf(row: MemberRow, viewer: Actor, invitedAs: string | null = null): MemberView {
  const accepted = row.acceptedAt !== null;
  const seesPhone =
    viewer.type === 'SYSTEM' || (viewer.type === 'USER' && (viewer.id === row.userId || (viewer.role !== undefined && MANAGERS.includes(viewer.role))));
  return {
    id: row.id,
    userId: row.userId,
    email: row.user.email,
    name: accepted ? row.user.name : invitedAs,
    role: row.role,
    joinedAt: row.acceptedAt ?? row.createdAt,
    status: accepted ? 'ACTIVE' : 'INVITED',
    invitationExpiresAt: accepted ? null : row.inviteExpiresAt,
    passwordSet: accepted,
    phone: seesPhone ? row.phone : null,
    alertOnMissedCall: row.alertOnMissedCall,
    alertOnReply: row.alertOnReply,
    onCall: row.onCall,
  };
}

const MANAGERS: readonly Role[] = ['OWNER', 'ADMIN'];

/**
 * Roles a member with `role` may hand out (inviting, changing a role): OWNERs and
 * ADMINs manage members, and only an OWNER grants OWNER (requireOwnerPower below).
 * Viewer.assignableRoles answers it, so the dashboard offers only these.
 */
export function assignableRoles(role: Role | null): Role[] {
  if (!role || !MANAGERS.includes(role)) return [];
  return ROLES.filter((candidate) => candidate !== 'OWNER' || role === 'OWNER');
}

/**
 * The names this organization gave its pending invitations, from its own
 * member.invited audit entries (the newest one that named the invitee). Kept
 * there rather than on the shared account, which the invitee may already have.
 */
async function invitationNames(tx: Tx, orgId: string, rows: readonly MemberRow[]): Promise<Map<string, string>> {
  const pending = rows.filter((row) => row.acceptedAt === null).map((row) => row.id);
  const names = new Map<string, string>();
  if (pending.length === 0) return names;
  const entries = await tx.auditEntry.findMany({
    where: { orgId, action: 'member.invited', targetType: 'Membership', targetId: { in: pending } },
    orderBy: { seq: 'desc' },
    select: { targetId: true, changes: true },
  });
  for (const entry of entries) {
    const name = (entry.changes as { name?: { after?: unknown } } | null)?.name?.after;
    if (entry.targetId && typeof name === 'string' && !names.has(entry.targetId)) names.set(entry.targetId, name);
  }
  return names;
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
  const invitedAs = await invitationNames(tx, actor.orgId, found.nodes);
  return { ...found, nodes: found.nodes.map((row) => memberViewOf(row, actor, invitedAs.get(row.id) ?? null)) };
}

const MAX_NAME_LENGTH = 100;

/** A person's display name: trimmed, 1–100 characters, no control characters; empty means none. */
export function normalizeStaffName(raw: string, field = 'name'): string | null {
  const name = raw.trim().replace(/\s+/g, ' ');
  if (name === '') return null;
  // eslint-disable-next-line @typescript-eslint/no-misused-spread -- counts code points on purpose, as PostgreSQL's char_length does
  if ([...name].length > MAX_NAME_LENGTH)
    throw badInput(`${field} must be at most ${MAX_NAME_LENGTH} characters`, { [field]: `at most ${MAX_NAME_LENGTH} characters` });
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) throw badInput(`${field} cannot contain control characters`, { [field]: 'control characters' });
  return name;
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
export async function inviteMember(
  tx: Tx,
  actor: Actor,
  input: { email: string; role: Role; name?: string | null },
  clock: Clock = systemClock,
): Promise<Invitation> {
  requireManager(actor, 'members');
  const email = normalizeEmail(input.email);
  if (!isEmail(email)) throw badInput(`"${input.email}" is not a valid email address`, { email: 'not a valid email address' });
  const name = input.name === undefined || input.name === null ? null : normalizeStaffName(input.name);
  if (input.role === 'OWNER') requireOwnerPower(actor, 'grant the OWNER role');
  const now = clock.now();
  const token = newRandomToken();
  const expiresAt = new Date(now.getTime() + INVITATION_TTL_MS);
  const invitation = { inviteTokenHash: hashToken(token), inviteExpiresAt: expiresAt, invitedById: actor.type === 'USER' ? actor.id : null };

  // The user row is the sign-in identity shared by every organization: created
  // if new (with the name given here), never updated here.
  await tx.user.createMany({ data: [{ email, passwordHash: null, name }], skipDuplicates: true });
  const user = await tx.user.findUniqueOrThrow({ where: { email }, select: { id: true } });
  const pending = await tx.membership.findUnique({
    where: { orgId_userId: { orgId: actor.orgId, userId: user.id } },
    select: { id: true, role: true, acceptedAt: true },
  });
  if (pending?.acceptedAt) throw badInput(`${email} is already a member`, { email: 'already a member' });
  if (pending?.role === 'OWNER') requireOwnerPower(actor, "change an OWNER's invitation");

  let membership: MemberRow;
  try {
    membership = pending
      ? await tx.membership.update({
          where: { id: pending.id, orgId: actor.orgId },
          data: { ...invitation, role: input.role, updatedAt: now },
          select: memberSelect,
        })
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
      changes: {
        email: { before: null, after: email },
        role: { before: pending?.role ?? null, after: input.role },
        ...(name ? { name: { before: null, after: name } } : {}),
      },
    },
    clock,
  );
  const invitedAs = name ?? (await invitationNames(tx, actor.orgId, [membership])).get(membership.id) ?? null;
  return { member: memberViewOf(membership, actor, invitedAs), setPasswordToken: token, setPasswordExpiresAt: expiresAt };
}

export async function updateMemberRole(tx: Tx, actor: Actor, input: { membershipId: string; role: Role }, clock: Clock = systemClock): Promise<MemberView> {
  requireManager(actor, 'members');
  await lockOrganization(tx, actor.orgId);
  const target = await findMembership(tx, actor, input.membershipId);
  if (target.role === input.role) return memberViewOf(target, actor);
  if (target.role === 'OWNER') requireOwnerPower(actor, "change an OWNER's role");
  if (input.role === 'OWNER') requireOwnerPower(actor, 'grant the OWNER role');
  if (target.role === 'OWNER' && target.acceptedAt) await requireAnotherOwner(tx, actor.orgId, 'demoted');
  const updated = await tx.membership.update({
    where: { id: target.id, orgId: actor.orgId },
    data: { role: input.role, updatedAt: clock.now() },
    select: memberSelect,
  });
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
  return memberViewOf(updated, actor);
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
  return memberViewOf(target, actor);
}

export interface ProfileInput {
  name?: string | null;
  phone?: string | null;
  alertOnMissedCall?: boolean | null;
  alertOnReply?: boolean | null;
}

/**
 * A staff member's own profile in the active organization: their name (on
 * their account, so every organization sees it), the phone staff alerts go
 * to and which alerts they want. Omitted fields stay; phone null (or "")
 * removes it. Alerts need a phone. The audit entry says that the phone
 * changed, never the number: the trail is kept forever and ANALYSTs read it,
 * while a member's phone is shown only to OWNERs, ADMINs and the member.
 */
export async function updateMyProfile(tx: Tx, actor: Actor, input: ProfileInput, clock: Clock = systemClock): Promise<MemberView> {
  if (actor.type !== 'USER' || !actor.id) throw new DomainError('FORBIDDEN', 'Only a signed-in staff member has a profile', { requiredIdentity: 'session' });
  const current = await tx.membership.findFirst({ where: { orgId: actor.orgId, userId: actor.id, ...ACCEPTED_MEMBERSHIP }, select: memberSelect });
  if (!current) throw notFound('Member');

  const name = input.name === undefined ? current.user.name : input.name === null ? null : normalizeStaffName(input.name);
  const phone = input.phone === undefined ? current.phone : await alertPhone(tx, actor.orgId, input.phone);
  const alertOnMissedCall = input.alertOnMissedCall ?? current.alertOnMissedCall;
  const alertOnReply = input.alertOnReply ?? current.alertOnReply;
  if (!phone && (alertOnMissedCall || alertOnReply)) {
    throw badInput('alerts are texted to your phone: add a phone number, or turn the alerts off', { phone: 'required for alerts' });
  }

  const changes: AuditChanges = {};
  if (name !== current.user.name) changes.name = { before: current.user.name, after: name };
  if (phone !== current.phone) changes.phone = { before: current.phone ? 'set' : null, after: phone ? 'new number' : null };
  if (alertOnMissedCall !== current.alertOnMissedCall) changes.alertOnMissedCall = { before: current.alertOnMissedCall, after: alertOnMissedCall };
  if (alertOnReply !== current.alertOnReply) changes.alertOnReply = { before: current.alertOnReply, after: alertOnReply };
  if (Object.keys(changes).length === 0) return memberViewOf(current, actor);

  const now = clock.now();
  if (changes.name) await tx.user.update({ where: { id: actor.id }, data: { name } });
  const updated = await tx.membership.update({
    where: { id: current.id, orgId: actor.orgId },
    data: { phone, alertOnMissedCall, alertOnReply, updatedAt: now },
    select: memberSelect,
  });
  await recordAudit(tx, actor, { action: 'member.profile_updated', target: { type: 'Membership', id: current.id }, changes }, clock);
  return memberViewOf(updated, actor);
}

/**
 * An alert phone as typed: E.164, or a US/Canadian number written any usual
 * way ("(312) 555-0142", "312.555.0142", "1 312 555 0142"). Never one of the
 * shop's own tracking numbers (alerts are sent from them).
 */
async function alertPhone(tx: Tx, orgId: string, raw: string | null): Promise<string | null> {
  const typed = (raw ?? '').trim();
  if (typed === '') return null;
  const phone = normalizePhoneInput(typed);
  if (!phone) {
    throw badInput(`"${typed.slice(0, 40)}" is not a phone number: use +1 312 555 0142 (E.164) or a 10-digit US number`, { phone: 'not a phone number' });
  }
  const ownLine = await tx.trackingLine.findFirst({ where: { orgId, number: phone }, select: { id: true } });
  if (ownLine) throw badInput("that is one of the shop's tracking numbers; enter your own mobile number", { phone: 'a tracking number' });
  return phone;
}

/** E.164 from what a person typed, or null. Ten digits are a North American number. */
export function normalizePhoneInput(typed: string): string | null {
  if (!/^\+?[\d\s().-]+$/.test(typed)) return null;
  const digits = typed.replace(/\D/g, '');
  const e164 = typed.startsWith('+')
    ? `+${digits}`
    : digits.length === 10
      ? `+1${digits}`
      : digits.length === 11 && digits.startsWith('1')
        ? `+${digits}`
        : null;
  if (!e164 || !isE164(e164)) return null;
  // North American numbers have exactly ten digits after the 1.
  if (e164.startsWith('+1') && e164.length !== 12) return null;
  return e164;
}

/** After business hours, staff alerts go only to members on call (docs/decisions/0014). Grants nothing. */
export async function setMemberOnCall(tx: Tx, actor: Actor, input: { membershipId: string; onCall: boolean }, clock: Clock = systemClock): Promise<MemberView> {
  requireManager(actor, 'members');
  const target = await findMembership(tx, actor, input.membershipId);
  if (!target.acceptedAt) throw badInput('an invited member can be on call once they have joined', { membershipId: 'invitation not accepted' });
  if (target.onCall === input.onCall) return memberViewOf(target, actor);
  const updated = await tx.membership.update({
    where: { id: target.id, orgId: actor.orgId },
    data: { onCall: input.onCall, updatedAt: clock.now() },
    select: memberSelect,
  });
  await recordAudit(
    tx,
    actor,
    { action: 'member.on_call_changed', target: { type: 'Membership', id: target.id }, changes: { onCall: { before: target.onCall, after: input.onCall } } },
    clock,
  );
  return memberViewOf(updated, actor);
}

/** The caller's own membership in the active organization (the dashboard's profile form); null for credentials. */
export async function myMembership(tx: Tx, actor: Actor): Promise<MemberView | null> {
  if (actor.type !== 'USER' || !actor.id) return null;
  const row = await tx.membership.findFirst({ where: { orgId: actor.orgId, userId: actor.id, ...ACCEPTED_MEMBERSHIP }, select: memberSelect });
  return row ? memberViewOf(row, actor) : null;
}

/**
 * A one-time set-password token for a member who cannot sign in. A password
 * belongs to the person's account, which every organization they joined
 * shares, so an organization may reset it only for an account that is theirs
 * alone: a member who also joined another organization is refused (the
 * operator's `callsnare user reset-password` serves them). A member still
 * INVITED gets a fresh invitation instead (their old link stops working).
 * Nobody resets their own password here: a stolen session must not be
 * enough to take the account over for good.
 */
export async function resetMemberPassword(tx: Tx, actor: Actor, membershipId: string, clock: Clock = systemClock): Promise<SetPasswordGrant> {
  requireManager(actor, 'members');
  const target = await findMembership(tx, actor, membershipId);
  if (target.role === 'OWNER') requireOwnerPower(actor, "reset an OWNER's password");
  if (actor.type === 'USER' && actor.id === target.userId) {
    throw badInput('you cannot reset your own password here: ask another OWNER or ADMIN, or the operator (callsnare user reset-password)', {
      membershipId: 'your own membership',
    });
  }
  const now = clock.now();
  if (!target.acceptedAt) {
    const token = newRandomToken();
    const expiresAt = new Date(now.getTime() + INVITATION_TTL_MS);
    await tx.membership.update({
      where: { id: target.id, orgId: actor.orgId },
      data: { inviteTokenHash: hashToken(token), inviteExpiresAt: expiresAt, invitedById: actor.type === 'USER' ? actor.id : null, updatedAt: now },
    });
    await recordAudit(
      tx,
      actor,
      { action: 'member.password_reset', target: { type: 'Membership', id: target.id }, changes: { purpose: { before: null, after: 'INVITATION' } } },
      clock,
    );
    return { setPasswordToken: token, expiresAt, purpose: 'INVITATION' };
  }
  const elsewhere = await crossTenant('a password is shared by every organization of the account: look for the others', () =>
    tx.membership.count({ where: { userId: target.userId, orgId: { not: actor.orgId }, ...ACCEPTED_MEMBERSHIP } }),
  );
  if (elsewhere > 0) {
    throw new DomainError(
      'FORBIDDEN',
      `${target.user.email} also belongs to another organization, so this organization cannot reset their password; they can ask CallSnare's operator (callsnare user reset-password)`,
      { reason: 'account_shared_with_other_organizations' },
    );
  }
  const grant = await issuePasswordReset(tx, { userId: target.userId, orgId: actor.orgId, createdById: actor.type === 'USER' ? actor.id : null }, clock);
  await recordAudit(
    tx,
    actor,
    {
      action: 'member.password_reset',
      target: { type: 'Membership', id: target.id },
      changes: { purpose: { before: null, after: 'RESET' }, expiresAt: { before: null, after: grant.expiresAt.toISOString() } },
    },
    clock,
  );
  return grant;
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
