import { Ctx, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../graphql/context';
import { DomainError } from '../shared/errors';
import { Viewer } from './viewer.types';

@Resolver()
export class ViewerResolver {
  @Query(() => Viewer, { description: 'The calling identity. Answers for any valid staff session or API credential.' })
  async viewer(@Ctx() context: GraphQLContext): Promise<Viewer> {
    const identity = context.identity;
    if (!identity) throw new DomainError('UNAUTHENTICATED', 'Sign in or send an API credential as a Bearer token');
    const prisma = context.deps.db.prisma;
    const organization = identity.orgId
      ? await prisma.organization.findUnique({ where: { id: identity.orgId }, select: { id: true, name: true } })
      : null;
    if (identity.kind === 'credential') {
      return {
        actorType: 'CREDENTIAL',
        label: `API credential ${identity.name} (${identity.prefix}…)`,
        organization,
        user: null,
        role: null,
        credential: { id: identity.credentialId, name: identity.name, prefix: identity.prefix },
        scopes: identity.scopes,
      };
    }
    const user = await prisma.user.findUniqueOrThrow({ where: { id: identity.userId }, select: { id: true, email: true, name: true } });
    return { actorType: 'USER', label: user.email, organization, user, role: identity.role, credential: null, scopes: [] };
  }
}
