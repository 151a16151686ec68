// Staff sign-in, sign-out, switching the active organization and accepting an
// invitation. Sessions are rows (hashed token, idle + absolute
// expiry); every outcome of a sign-in is audited in the same transaction.
import type { PrismaClient } from '../generated/prisma/client';
import type { Session } from '../generated/prisma/client';
import type { Role } from '../generated/prisma/enums';
import { inTransaction, type Tx } from '../db/types';
import type { Actor, RequestMeta } from '../common/actor';
import { systemClock, type Clock } from '../common/clock';
import { badInput, DomainError, notFound } from '../common/errors';
import { isUuid } from '../common/ids';
import { recordAudit } from '../audit/audit.service';
import { hashPassword, MAX_PASSWORD_LENGTH, normalizeEmail, passwordProblem, verifyPassword } from './passwords';
import { ACCEPTED_MEMBERSHIP } from './staff';
import { staffLabel } from '../common/actor';
import { isPasswordResetToken, redeemPasswordReset } from './password-resets';
import { SESSION_IDLE_MS, SESSION_MAX_AGE_MS, hashToken, isWellFormedToken, newRandomToken } from './sessions';
import { crossTenant } from '../db/tenant-guard';

/** The one answer for a wrong password, an unknown email, or an account that cannot sign in. */
export const SIGN_IN_FAILED_MESSAGE = 'Email or password is incorrect';

const MAX_EMAIL_LENGTH = 254;

export type SignInFailure = 'unknown_email' | 'wrong_password' | 'password_not_set' | 'no_membership';

export interface StartedSession {
  /** The cookie value; never stored. */
  token: string;
  session: Session;
  email: string;
  role: Role;
}

/**
 * Checks the password (argon2id; the same cost when the email is unknown) and
 * opens a session in the user's oldest membership's organization. Every failure
 * answers the same UNAUTHENTICATED error and leaves an auth.sign_in_failed entry.
 */
export async function signIn(
  prisma: PrismaClient,
  input: { email: string; password: string },
  request: RequestMeta,
  clock: Clock = systemClock,
): Promise<StartedSession> {
  const email = normalizeEmail(input.email);
  if (email.length > MAX_EMAIL_LENGTH || input.password.length > MAX_PASSWORD_LENGTH) {
    // Before argon2: an oversized password is refused without hashing it.
    throw badInput(`email is at most ${MAX_EMAIL_LENGTH} and password at most ${MAX_PASSWORD_LENGTH} characters`);
  }
  const user = await prisma.user.findUnique({
    where: { email },
    select: {
      id: true,
      email: true,
      name: true,
      passwordHash: true,
      memberships: { where: ACCEPTED_MEMBERSHIP, select: { orgId: true, role: true }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], take: 1 },
    },
  });
  const passwordOk = await verifyPassword(user?.passwordHash, input.password);
  const membership = user?.memberships[0] ?? null;
  const orgId = membership?.orgId ?? null;
  const failure: SignInFailure | null = !user
    ? 'unknown_email'
    : !user.passwordHash
      ? 'password_not_set'
      : !passwordOk
        ? 'wrong_password'
        : !orgId
          ? 'no_membership'
          : null;

  // Every recordAudit call below names its org (null for an unknown email), so
  // the placeholder '' for "no org" is never written.
  const actor = (inOrg: string | null): Actor => ({
    type: 'USER',
    id: user?.id ?? null,
    label: user ? staffLabel(user) : email,
    orgId: inOrg ?? '',
    request,
  });

  if (failure || !user || !membership) {
    await inTransaction(prisma, (tx) =>
      recordAudit(
        tx,
        actor(orgId),
        {
          action: 'auth.sign_in_failed',
          orgId,
          target: user ? { type: 'User', id: user.id } : null,
          changes: { reason: { before: null, after: failure } },
        },
        clock,
      ),
    );
    throw new DomainError('UNAUTHENTICATED', SIGN_IN_FAILED_MESSAGE);
  }

  const { token, session } = await inTransaction(prisma, async (tx) => {
    const started = await startSession(tx, { userId: user.id, orgId: membership.orgId }, request, clock);
    await recordAudit(tx, actor(membership.orgId), { action: 'auth.signed_in', target: { type: 'Session', id: started.session.id } }, clock);
    return started;
  });
  return { token, session, email: user.email, role: membership.role };
}

/** A new session row for a user whose identity was just proven; the token goes in the cookie. */
export async function startSession(
  tx: Tx,
  who: { userId: string; orgId: string },
  request: RequestMeta,
  clock: Clock = systemClock,
): Promise<{ token: string; session: Session }> {
  const token = newRandomToken();
  const now = clock.now();
  const session = await tx.session.create({
    data: {
      tokenHash: hashToken(token),
      userId: who.userId,
      activeOrgId: who.orgId,
      createdAt: now,
      lastSeenAt: now,
      idleExpiresAt: new Date(now.getTime() + SESSION_IDLE_MS),
      expiresAt: new Date(now.getTime() + SESSION_MAX_AGE_MS),
      ip: request.ip ?? null,
      userAgent: request.userAgent?.slice(0, 512) ?? null,
    },
  });
  return { token, session };
}

/** Revokes the session (it stops working at once) and records auth.signed_out. */
export async function signOut(
  prisma: PrismaClient,
  who: { sessionId: string; userId: string; email: string; name?: string | null; orgId: string | null },
  request: RequestMeta,
  clock: Clock = systemClock,
): Promise<void> {
  const now = clock.now();
  await inTransaction(prisma, async (tx) => {
    const { count } = await tx.session.updateMany({ where: { id: who.sessionId, revokedAt: null }, data: { revokedAt: now } });
    if (count === 0) return; // already signed out: nothing changed
    await recordAudit(
      tx,
      { type: 'USER', id: who.userId, label: staffLabel({ email: who.email, name: who.name ?? null }), orgId: who.orgId ?? '', request },
      {
        action: 'auth.signed_out',
        orgId: who.orgId,
        target: { type: 'Session', id: who.sessionId },
        changes: { revokedAt: { before: null, after: now.toISOString() } },
      },
      clock,
    );
  });
}

/** Makes another of the user's organizations the session's active one; NOT_FOUND for any other org. */
export async function switchOrganization(tx: Tx, who: { sessionId: string; userId: string }, orgId: string): Promise<void> {
  if (!isUuid(orgId)) throw notFound('Organization');
  const membership = await tx.membership.findFirst({ where: { orgId, userId: who.userId, ...ACCEPTED_MEMBERSHIP }, select: { id: true } });
  if (!membership) throw notFound('Organization');
  await tx.session.update({ where: { id: who.sessionId }, data: { activeOrgId: orgId } });
}

/**
 * setPassword: a password reset token (resetMemberPassword, the operator's
 * CLI) sets the account's password outright; any other token is taken as an
 * invitation's.
 */
export async function setPasswordWithToken(
  prisma: PrismaClient,
  input: { token: string; password: string },
  request: RequestMeta,
  clock: Clock = systemClock,
): Promise<{ userId: string; email: string }> {
  if (await isPasswordResetToken(prisma, input.token)) return redeemPasswordReset(prisma, input, request, clock);
  return acceptInvitation(prisma, input, request, clock);
}

/**
 * Accepts an invitation with its one-time token: activates that membership and
 * no other. A new account gets `password` as its first password; an account
 * that already has one (from another organization's invitation) must give it,
 * so one organization's token can never set or change the password of a person
 * who belongs to another. Unknown, used and expired tokens all answer the same error.
 */
export async function acceptInvitation(
  prisma: PrismaClient,
  input: { token: string; password: string },
  request: RequestMeta,
  clock: Clock = systemClock,
): Promise<{ userId: string; email: string; orgId: string }> {
  const invalid = () => badInput('This invitation link is invalid or has expired; ask for a new invitation', { token: 'invalid or expired' });
  if (!isWellFormedToken(input.token)) throw invalid();
  if (input.password.length > MAX_PASSWORD_LENGTH) throw badInput(`password must be at most ${MAX_PASSWORD_LENGTH} characters`, { password: 'too long' });
  const tokenHash = hashToken(input.token);
  const now = clock.now();
  const invitation = await crossTenant('an invitation token names its membership', () =>
    prisma.membership.findUnique({
      where: { inviteTokenHash: tokenHash },
      select: { id: true, orgId: true, acceptedAt: true, inviteExpiresAt: true, user: { select: { id: true, email: true, name: true, passwordHash: true } } },
    }),
  );
  if (!invitation || invitation.acceptedAt || !invitation.inviteExpiresAt || invitation.inviteExpiresAt <= now) throw invalid();
  const { user } = invitation;

  let newPasswordHash: string | null = null;
  if (user.passwordHash === null) {
    const problem = passwordProblem(input.password);
    if (problem) throw badInput(problem, { password: problem });
    newPasswordHash = await hashPassword(input.password);
  } else if (!(await verifyPassword(user.passwordHash, input.password))) {
    throw badInput('This email already has a CallSnare password: enter it to accept the invitation', { password: 'does not match this account' });
  }

  await inTransaction(prisma, async (tx) => {
    // The token is spent by this update; a concurrent use of it finds nothing.
    const accepted = await tx.membership.updateMany({
      where: { id: invitation.id, orgId: invitation.orgId, inviteTokenHash: tokenHash, acceptedAt: null },
      data: { acceptedAt: now, inviteTokenHash: null, inviteExpiresAt: null },
    });
    if (accepted.count === 0) throw invalid();
    const actor: Actor = { type: 'USER', id: user.id, label: staffLabel(user), orgId: invitation.orgId, request };
    if (newPasswordHash) {
      // Only a first password: if another invitation's acceptance set one meanwhile, this one proves nothing.
      const set = await tx.user.updateMany({ where: { id: user.id, passwordHash: null }, data: { passwordHash: newPasswordHash } });
      if (set.count === 0) throw invalid();
      await recordAudit(tx, actor, { action: 'auth.password_set', target: { type: 'User', id: user.id } }, clock);
    }
    await recordAudit(tx, actor, { action: 'member.joined', target: { type: 'Membership', id: invitation.id } }, clock);
  });
  return { userId: user.id, email: user.email, orgId: invitation.orgId };
}
