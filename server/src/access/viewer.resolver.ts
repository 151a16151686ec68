import { Ctx, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../graphql/context';
import { DomainError } from '../common/errors';
import { Viewer } from './viewer.types';
import { viewerOf } from './viewer.service';

@Resolver()
export class ViewerResolver {
  @Query(() => Viewer, { description: 'The calling identity. Answers for any valid staff session or API credential.' })
  async viewer(@Ctx() context: GraphQLContext): Promise<Viewer> {
    if (!context.identity) throw new DomainError('UNAUTHENTICATED', 'Sign in or send an API credential as a Bearer token');
    return viewerOf(context.deps.db.prisma, context.identity);
  }
}
