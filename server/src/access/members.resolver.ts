import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../graphql/context';
import { actorOf } from '../graphql/context';
import { PageArgs } from '../graphql/connection';
import { Role } from '../graphql/enums';
import { inTransaction } from '../db/types';
import { inviteMember, listMembers, removeMember, updateMemberRole } from './members.service';
import { Member, MemberConnection, MemberInvitation } from './members.types';

@Resolver()
export class MembersResolver {
  @Query(() => MemberConnection, { description: 'The organization\'s staff and their roles, oldest membership first. OWNER and ADMIN sessions only.' })
  async members(@Args() page: PageArgs, @Ctx() context: GraphQLContext): Promise<MemberConnection> {
    return listMembers(context.deps.db.prisma, actorOf(context), page);
  }

  @Mutation(() => MemberInvitation, {
    description:
      'Invites a staff member: an INVITED membership and a one-time setPasswordToken to pass on (no email is sent). It grants nothing until accepted with setPassword; inviting a pending invitee again issues a new token. Only an OWNER can invite an OWNER.',
  })
  async inviteMember(
    @Arg('email', { description: 'The invitee\'s email.' }) email: string,
    @Arg('role', () => Role, { description: 'Their role.' }) role: Role,
    @Ctx() context: GraphQLContext,
  ): Promise<MemberInvitation> {
    const { deps } = context;
    return inTransaction(deps.db.prisma, (tx) => inviteMember(tx, actorOf(context), { email, role }, deps.clock));
  }

  @Mutation(() => Member, { description: 'Changes a member\'s role. ADMINs cannot change OWNERs or grant OWNER; the last OWNER cannot be demoted.' })
  async updateMemberRole(
    @Arg('membershipId', () => ID, { description: 'Member.id.' }) membershipId: string,
    @Arg('role', () => Role, { description: 'The new role.' }) role: Role,
    @Ctx() context: GraphQLContext,
  ): Promise<Member> {
    const { deps } = context;
    return inTransaction(deps.db.prisma, (tx) => updateMemberRole(tx, actorOf(context), { membershipId, role }, deps.clock));
  }

  @Mutation(() => Member, { description: 'Removes a member or withdraws an invitation; returns the removed membership. ADMINs cannot remove OWNERs; the last OWNER cannot be removed.' })
  async removeMember(
    @Arg('membershipId', () => ID, { description: 'Member.id.' }) membershipId: string,
    @Ctx() context: GraphQLContext,
  ): Promise<Member> {
    const { deps } = context;
    return inTransaction(deps.db.prisma, (tx) => removeMember(tx, actorOf(context), membershipId, deps.clock));
  }
}
