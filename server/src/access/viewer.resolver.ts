import { Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { GraphQLContext } from '../graphql/context';
import { DomainError } from '../common/errors';
import { Operation, Viewer } from './viewer.types';
import { viewerOf } from './viewer.service';
import { PERMISSIONS } from './permissions';
import { decideAccess } from './shield';
import { assignableRoles } from './members.service';
import { Role } from '../graphql/enums';

@Resolver(() => Viewer)
export class ViewerResolver {
  @Query(() => Viewer, { description: 'The calling identity. Answers for any valid staff session or API credential.' })
  async viewer(@Ctx() context: GraphQLContext): Promise<Viewer> {
    if (!context.identity) throw new DomainError('UNAUTHENTICATED', 'Sign in or send an API credential as a Bearer token');
    return viewerOf(context.deps.db.prisma, context.identity);
  }

  @FieldResolver(() => [Operation], {
    description:
      'The operations this identity may call now, in permission-table order: by role in the active organization for a staff session, by scope for an API credential. The same decision the server makes on every call (which it still checks), so a client can offer only what will be allowed. See /docs/permissions.',
  })
  capabilities(@Root() viewer: Viewer): Operation[] {
    return capabilitiesOf(viewer.identity);
  }

  @FieldResolver(() => [Role], {
    description:
      'Roles you may hand out in the active organization (inviteMember, updateMemberRole): any role for an OWNER, all but OWNER for an ADMIN, none otherwise (and none for credentials).',
  })
  assignableRoles(@Root() viewer: Viewer): Role[] {
    return viewer.identity.kind === 'user' ? assignableRoles(viewer.identity.role) : [];
  }
}

/** What `identity` may call: every row of the permission table the shield would let it through. */
export function capabilitiesOf(identity: Viewer['identity']): Operation[] {
  return PERMISSIONS.filter((row) => decideAccess(row, identity) === true).map((row) => row.name);
}
