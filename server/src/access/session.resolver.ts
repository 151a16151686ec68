// signIn / signOut / switchOrganization / setPassword / setPasswordTarget: thin
// adapters over sign-in.service.ts and password-resets.ts that also set and
// clear the session cookie.
import { Arg, Ctx, Field, ID, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../graphql/context';
import { sessionOf } from '../graphql/context';
import { rateLimitedError } from '../graphql/errors';
import { inTransaction } from '../db/types';
import { normalizeEmail } from './passwords';
import { SESSION_COOKIE, sessionCookieOptions } from './sessions';
import { setPasswordWithToken, signIn, signOut, switchOrganization } from './sign-in.service';
import { setPasswordTarget } from './password-resets';
import { SetPasswordPurpose } from './members.types';
import { viewerOf } from './viewer.service';
import { announceAccessChange } from '../live/access-notices';
import { Viewer } from './viewer.types';

@ObjectType({ description: 'An accepted invitation: the account can now sign in to that organization.' })
export class SetPasswordResult {
  @Field(() => ID, { description: 'User id.' })
  userId!: string;

  @Field({ description: 'The email to sign in with.' })
  email!: string;
}

@ObjectType({ description: 'Who and what a set-password link is for, so the page can say so before anything is typed.' })
export class SetPasswordTarget {
  @Field({ description: "The account's sign-in email." })
  email!: string;

  @Field(() => String, {
    nullable: true,
    description:
      "The shop (organization) that invited the person or reset their password; null for a reset by CallSnare's operator (the password then works in every organization of the account).",
  })
  organizationName!: string | null;

  @Field(() => SetPasswordPurpose, { description: 'INVITATION (join the shop) or RESET (choose a new password).' })
  purpose!: SetPasswordPurpose;

  @Field({ description: 'When the link stops working.' })
  expiresAt!: Date;
}

@Resolver()
export class SessionResolver {
  @Mutation(() => Viewer, {
    description:
      'Signs a staff user in and sets the HttpOnly `callsnare_session` cookie. A wrong password and an unknown email give the same UNAUTHENTICATED error; attempts are rate-limited per IP and email.',
  })
  async signIn(
    @Arg('email', { description: 'Sign-in email (case-insensitive).' }) email: string,
    @Arg('password', { description: 'Password.' }) password: string,
    @Ctx() context: GraphQLContext,
  ): Promise<Viewer> {
    const attempt = await context.signInLimiter.attempt(context.req.ip ?? null, normalizeEmail(email));
    if (attempt.limited) {
      throw rateLimitedError(`Too many sign-in attempts; retry after ${attempt.retryAfterSeconds} seconds`, attempt);
    }
    const { deps } = context;
    const started = await signIn(deps.db.prisma, { email, password }, context.request, deps.clock);
    const { session } = started;
    context.res.cookie(SESSION_COOKIE, started.token, sessionCookieOptions(deps.config, session.expiresAt.getTime() - deps.clock.now().getTime()));
    return viewerOf(deps.db.prisma, {
      kind: 'user',
      userId: session.userId,
      email: started.email,
      sessionId: session.id,
      orgId: session.activeOrgId,
      role: started.role,
    });
  }

  @Mutation(() => Boolean, { description: 'Ends the current staff session: revoked server-side, cookie cleared.' })
  async signOut(@Ctx() context: GraphQLContext): Promise<boolean> {
    const session = sessionOf(context);
    await signOut(context.deps.db.prisma, session, context.request, context.deps.clock);
    const { maxAge: _maxAge, ...cookie } = sessionCookieOptions(context.deps.config, 0);
    context.res.clearCookie(SESSION_COOKIE, cookie);
    return true;
  }

  @Mutation(() => Viewer, { description: 'Makes another organization the signed-in user belongs to the active one for this session.' })
  async switchOrganization(
    @Arg('orgId', () => ID, { description: 'An organization from viewer.memberships.' }) orgId: string,
    @Ctx() context: GraphQLContext,
  ): Promise<Viewer> {
    const session = sessionOf(context);
    const prisma = context.deps.db.prisma;
    await inTransaction(prisma, (tx) => switchOrganization(tx, session, orgId));
    // This session's live connections still listen to the previous organization: they close (4403) and reconnect to this one.
    announceAccessChange(context.deps.live, { sessionId: session.sessionId });
    const membership = await prisma.membership.findUniqueOrThrow({ where: { orgId_userId: { orgId, userId: session.userId } }, select: { role: true } });
    return viewerOf(prisma, { ...session, orgId, role: membership.role });
  }

  @Mutation(() => SetPasswordResult, {
    description:
      'Uses a one-time set-password token. An invitation token (inviteMember) accepts that invitation: a new account sets its first password; an account that already has one gives it. A reset token (resetMemberPassword, `callsnare user reset-password`) sets a new password without the old one and ends every session of the account. Either token then stops working. Sign in afterwards.',
  })
  async setPassword(
    @Arg('token', { description: 'The setPasswordToken from the invitation or the reset.' }) token: string,
    @Arg('password', {
      description: 'A new password (at least 12 characters), or, accepting an invitation to an account that already has one, its current one.',
    })
    password: string,
    @Ctx() context: GraphQLContext,
  ): Promise<SetPasswordResult> {
    // Counted like sign-ins: for an existing account the token holder is guessing its password.
    const attempt = await context.signInLimiter.attempt(context.req.ip ?? null, `invitation:${token.slice(0, 64)}`);
    if (attempt.limited) throw rateLimitedError(`Too many attempts; retry after ${attempt.retryAfterSeconds} seconds`, attempt);
    return setPasswordWithToken(context.deps.db.prisma, { token, password }, context.request, context.deps.clock);
  }

  @Query(() => SetPasswordTarget, {
    nullable: true,
    description:
      "What a set-password token is for (the account's email, the shop, invitation or reset, until when), so the page can say so; null for an unknown, used or expired token. Needs no identity; rate-limited per IP like setPassword.",
  })
  async setPasswordTarget(
    @Arg('token', { description: 'The token from the /set-password?token=… link.' }) token: string,
    @Ctx() context: GraphQLContext,
  ): Promise<SetPasswordTarget | null> {
    // Per IP, whatever the token: a 256-bit token cannot be guessed, but nobody needs more than a few looks.
    const attempt = await context.signInLimiter.attempt(context.req.ip ?? null, 'set-password-target');
    if (attempt.limited) throw rateLimitedError(`Too many attempts; retry after ${attempt.retryAfterSeconds} seconds`, attempt);
    return setPasswordTarget(context.deps.db.prisma, token, context.deps.clock);
  }
}
