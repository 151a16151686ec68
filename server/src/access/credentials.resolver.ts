import { Arg, Args, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { credentialModeFor } from './credential-secret';
import type { GraphQLContext } from '../graphql/context';
import { actorOf } from '../graphql/context';
import { PageArgs } from '../graphql/connection';
import { inTransaction } from '../db/types';
import { createApiCredential, listApiCredentials, MAX_ROTATION_GRACE_SECONDS, revokeApiCredential, rotateApiCredential } from './credentials.service';
import { ApiCredential, ApiCredentialConnection, CreateApiCredentialInput, IssuedApiCredential, credentialView } from './credentials.types';

const DEFAULT_GRACE_SECONDS = 3600;

@Resolver()
export class CredentialsResolver {
  @Query(() => ApiCredentialConnection, { description: "The organization's API credentials, newest first. OWNER and ADMIN sessions only." })
  async apiCredentials(@Args() page: PageArgs, @Ctx() context: GraphQLContext): Promise<ApiCredentialConnection> {
    const { deps } = context;
    const connection = await listApiCredentials(deps.db.prisma, actorOf(context), page);
    const now = deps.clock.now();
    return { ...connection, nodes: connection.nodes.map((row) => credentialView(row, now)) };
  }

  @Mutation(() => IssuedApiCredential, { description: 'Creates an API credential for this organization. The secret is in the answer and nowhere else, ever.' })
  async createApiCredential(
    @Arg('input', () => CreateApiCredentialInput, { description: 'Name, scopes and optional expiry.' }) input: CreateApiCredentialInput,
    @Ctx() context: GraphQLContext,
  ): Promise<IssuedApiCredential> {
    const { deps } = context;
    const mode = credentialModeFor(deps.config.integrationMode);
    const { credential, secret } = await inTransaction(deps.db.prisma, (tx) =>
      createApiCredential(tx, actorOf(context), { name: input.name, scopes: input.scopes, expiresAt: input.expiresAt ?? null }, mode, deps.clock),
    );
    return { credential: credentialView(credential, deps.clock.now()), secret, previous: null };
  }

  @Mutation(() => IssuedApiCredential, {
    description: `Issues a replacement secret with the same name, scopes and expiry. The old secret keeps working for graceSeconds (0–${MAX_ROTATION_GRACE_SECONDS}), then stops.`,
  })
  async rotateApiCredential(
    @Arg('id', () => ID, { description: 'The credential to rotate.' }) id: string,
    @Arg('graceSeconds', () => Int, {
      defaultValue: DEFAULT_GRACE_SECONDS,
      description: `How long the old secret keeps working (0–${MAX_ROTATION_GRACE_SECONDS}).`,
    })
    graceSeconds: number,
    @Ctx() context: GraphQLContext,
  ): Promise<IssuedApiCredential> {
    const { deps } = context;
    const rotated = await inTransaction(deps.db.prisma, (tx) => rotateApiCredential(tx, actorOf(context), { id, graceSeconds }, deps.clock));
    deps.credentials?.invalidate(); // the old secret's kept row has no grace end yet
    const now = deps.clock.now();
    return { credential: credentialView(rotated.credential, now), secret: rotated.secret, previous: credentialView(rotated.previous, now) };
  }

  @Mutation(() => ApiCredential, { description: 'Revokes a credential: it stops working immediately. Revoking twice changes nothing.' })
  async revokeApiCredential(
    @Arg('id', () => ID, { description: 'The credential to revoke.' }) id: string,
    @Ctx() context: GraphQLContext,
  ): Promise<ApiCredential> {
    const { deps } = context;
    const revoked = await inTransaction(deps.db.prisma, (tx) => revokeApiCredential(tx, actorOf(context), id, deps.clock));
    deps.credentials?.invalidate(); // here and on every node, before anyone is told it is revoked
    return credentialView(revoked, deps.clock.now());
  }
}
