// One-time set-password tokens for accounts that already exist: issued by an
// organization's OWNER/ADMIN (resetMemberPassword) or by CallSnare's operator
// (`callsnare user reset-password`), used through setPassword. Only the
// token's SHA-256 is stored; a token works once, for 24 hours, and using it
// ends every session of the account. A password is global to the account, so
// a token an organization issued stops working if the account has since
// joined another organization (or left the issuing one).
import type { PrismaClient } from '../generated/prisma/client';
import { inTransaction, type Tx } from '../db/types';
import { crossTenant } from '../db/tenant-guard';
import type { Actor, RequestMeta } from '../common/actor';
import { staffLabel, systemActor } from '../common/actor';
import type { Clock } from '../common/clock';
import { badInput, DomainError } from '../common/errors';
import { recordAudit } from '../audit/audit.service';
import { hashPassword, MAX_PASSWORD_LENGTH, normalizeEmail, passwordProblem } from './passwords';
import { hashToken, isWellFormedToken, newRandomToken } from './sessions';
import { ACCEPTED_MEMBERSHIP } from './staff';

/** How long a password reset token works. */
export const PASSWORD_RESET_TTL_MS = 24 * 60 * 60 * 1000;

export type SetPasswordPurpose = 'INVITATION' | 'RESET';

export interface SetPasswordGrant {
  /** Shown once; setPassword takes it. */
  setPasswordToken: string;
  expiresAt: Date;
  /** INVITATION when the member had not joined yet and got a fresh invitation instead. */
  purpose: SetPasswordPurpose;
}

// PasswordReset rows belong to an account, not to one organization (the
// operator's have no orgId at all): every lookup of them says so.
const ACCOUNT_WIDE = 'a password reset belongs to the account, which every organization of the person shares';

/** A new reset token for the user; earlier unused ones stop working. The caller audits it. */
export async function issuePasswordReset(
  tx: Tx,
  input: { userId: string; orgId: string | null; createdById: string | null },
  clock: Clock,
): Promise<SetPasswordGrant> {
  const now = clock.now();
  const token = newRandomToken();
  const expiresAt = new Date(now.getTime() + PASSWORD_RESET_TTL_MS);
  await crossTenant(ACCOUNT_WIDE, async () => {
    await tx.passwordReset.updateMany({ where: { userId: input.userId, usedAt: null, expiresAt: { gt: now } }, data: { expiresAt: now } });
    await tx.passwordReset.create({
      data: { userId: input.userId, orgId: input.orgId, createdById: input.createdById, tokenHash: hashToken(token), expiresAt, createdAt: now },
    });
  });
  return { setPasswordToken: token, expiresAt, purpose: 'RESET' };
}

/** The organizations where the user is a member (accepted), oldest first. */
async function acceptedMemberships(tx: Tx, userId: string) {
  return crossTenant("an account's own memberships, in every organization", () =>
    tx.membership.findMany({
      where: { userId, ...ACCEPTED_MEMBERSHIP },
      select: { id: true, orgId: true },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    }),
  );
}

/**
 * The operator's reset (CLI): any account, whatever its organizations. Each
 * organization the person belongs to gets a member.password_reset entry, so
 * its OWNERs can see that CallSnare's operator did it.
 */
export async function issueOperatorPasswordReset(
  tx: Tx,
  input: { email: string; operatorLabel: string },
  clock: Clock,
): Promise<SetPasswordGrant & { userId: string; email: string }> {
  const email = normalizeEmail(input.email);
  const user = await tx.user.findUnique({ where: { email }, select: { id: true, email: true } });
  if (!user) throw badInput(`no CallSnare account with the email ${email}`, { email: 'unknown' });
  const grant = await issuePasswordReset(tx, { userId: user.id, orgId: null, createdById: null }, clock);
  const changes = { purpose: { before: null, after: 'RESET' }, expiresAt: { before: null, after: grant.expiresAt.toISOString() } };
  const memberships = await acceptedMemberships(tx, user.id);
  for (const membership of memberships) {
    await recordAudit(
      tx,
      systemActor(membership.orgId, input.operatorLabel),
      { action: 'member.password_reset', target: { type: 'Membership', id: membership.id }, changes },
      clock,
    );
  }
  if (memberships.length === 0) {
    // An account in no organization yet (only invited): the org-less chain keeps the record.
    await recordAudit(
      tx,
      systemActor('', input.operatorLabel),
      { action: 'member.password_reset', orgId: null, target: { type: 'User', id: user.id }, changes },
      clock,
    );
  }
  return { ...grant, userId: user.id, email: user.email };
}

interface UsableReset {
  id: string;
  userId: string;
  orgId: string | null;
  expiresAt: Date;
  user: { email: string; name: string | null };
}

/** The reset a token names, if it is unused and unexpired. */
async function findUsableReset(prisma: PrismaClient | Tx, tokenHash: string, now: Date): Promise<UsableReset | null> {
  const reset = await crossTenant(ACCOUNT_WIDE, () =>
    prisma.passwordReset.findUnique({
      where: { tokenHash },
      select: { id: true, userId: true, orgId: true, expiresAt: true, usedAt: true, user: { select: { email: true, name: true } } },
    }),
  );
  if (!reset || reset.usedAt || reset.expiresAt <= now) return null;
  return reset;
}

/** True when the token is (or was) a password reset token, used or not. */
export async function isPasswordResetToken(prisma: PrismaClient, token: string): Promise<boolean> {
  if (!isWellFormedToken(token)) return false;
  const found = await crossTenant(ACCOUNT_WIDE, () => prisma.passwordReset.findUnique({ where: { tokenHash: hashToken(token) }, select: { id: true } }));
  return found !== null;
}

/**
 * Sets the account's password with a reset token: no old password needed.
 * The token is spent, every session of the account ends, and each
 * organization of the person records auth.password_set.
 */
export async function redeemPasswordReset(
  prisma: PrismaClient,
  input: { token: string; password: string },
  request: RequestMeta,
  clock: Clock,
): Promise<{ userId: string; email: string }> {
  const invalid = () => badInput('This password reset link is invalid, used or expired; ask for a new one', { token: 'invalid or expired' });
  if (!isWellFormedToken(input.token)) throw invalid();
  if (input.password.length > MAX_PASSWORD_LENGTH) throw badInput(`password must be at most ${MAX_PASSWORD_LENGTH} characters`, { password: 'too long' });
  const tokenHash = hashToken(input.token);
  const reset = await findUsableReset(prisma, tokenHash, clock.now());
  if (!reset) throw invalid();
  const problem = passwordProblem(input.password);
  if (problem) throw badInput(problem, { password: problem });
  const passwordHash = await hashPassword(input.password);

  return inTransaction(prisma, async (tx) => {
    const now = clock.now();
    // Spent by this update: a concurrent use of the same token finds nothing.
    const spent = await crossTenant(ACCOUNT_WIDE, () =>
      tx.passwordReset.updateMany({ where: { id: reset.id, usedAt: null, expiresAt: { gt: now } }, data: { usedAt: now } }),
    );
    if (spent.count === 0) throw invalid();
    const memberships = await acceptedMemberships(tx, reset.userId);
    if (reset.orgId !== null && (memberships.length === 0 || memberships.some((membership) => membership.orgId !== reset.orgId))) {
      // Issued by one organization for an account that was theirs alone; it no longer is.
      throw new DomainError(
        'FORBIDDEN',
        "This reset link no longer applies: the account has joined another organization or left the one that issued it; ask CallSnare's operator",
        { reason: 'account_shared_with_other_organizations' },
      );
    }
    await tx.user.update({ where: { id: reset.userId }, data: { passwordHash } });
    await tx.session.updateMany({ where: { userId: reset.userId, revokedAt: null }, data: { revokedAt: now } });
    const label = staffLabel(reset.user);
    const orgs = memberships.length > 0 ? memberships.map((membership) => membership.orgId) : [null];
    for (const orgId of orgs) {
      const actor: Actor = { type: 'USER', id: reset.userId, label, orgId: orgId ?? '', request };
      await recordAudit(
        tx,
        actor,
        { action: 'auth.password_set', orgId, target: { type: 'User', id: reset.userId }, changes: { via: { before: null, after: 'reset' } } },
        clock,
      );
    }
    return { userId: reset.userId, email: reset.user.email };
  });
}

export interface SetPasswordTargetView {
  email: string;
  /** The shop the link is for; null for the operator's resets (the password works in every organization of the account). */
  organizationName: string | null;
  purpose: SetPasswordPurpose;
  expiresAt: Date;
}

/** What a set-password link is for, so the page can say so; null for junk, used or expired tokens. */
export async function setPasswordTarget(prisma: PrismaClient, token: string, clock: Clock): Promise<SetPasswordTargetView | null> {
  if (!isWellFormedToken(token)) return null;
  const tokenHash = hashToken(token);
  const now = clock.now();
  const invitation = await crossTenant('an invitation token names its membership', () =>
    prisma.membership.findUnique({
      where: { inviteTokenHash: tokenHash },
      select: { acceptedAt: true, inviteExpiresAt: true, org: { select: { name: true } }, user: { select: { email: true } } },
    }),
  );
  if (invitation) {
    if (invitation.acceptedAt || !invitation.inviteExpiresAt || invitation.inviteExpiresAt <= now) return null;
    return { email: invitation.user.email, organizationName: invitation.org.name, purpose: 'INVITATION', expiresAt: invitation.inviteExpiresAt };
  }
  const reset = await findUsableReset(prisma, tokenHash, now);
  if (!reset) return null;
  const org = reset.orgId ? await prisma.organization.findUnique({ where: { id: reset.orgId }, select: { name: true } }) : null;
  return { email: reset.user.email, organizationName: org?.name ?? null, purpose: 'RESET', expiresAt: reset.expiresAt };
}
