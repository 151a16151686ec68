import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../graphql/context';
import { actorOf } from '../graphql/context';
import { PageArgs } from '../graphql/connection';
import { Role } from '../graphql/enums';
import { inTransaction } from '../db/types';
import { inviteMember, listMembers, removeMember, resetMemberPassword, setMemberOnCall, updateMemberRole, updateMyProfile } from './members.service';
import { Member, MemberConnection, MemberInvitation, SetPasswordGrant, UpdateMyProfileInput } from './members.types';

@Resolver()
export class MembersResolver {
  @Query(() => MemberConnection, { description: "The organization's staff and their roles, oldest membership first. OWNER and ADMIN sessions only." })
  async members(@Args() page: PageArgs, @Ctx() context: GraphQLContext): Promise<MemberConnection> {
    return listMembers(context.deps.db.prisma, actorOf(context), page);
  }

  @Mutation(() => MemberInvitation, {
    description:
      'Invites a staff member: an INVITED membership and a one-time setPasswordToken to pass on (no email is sent). It grants nothing until accepted with setPassword; inviting a pending invitee again issues a new token. Only an OWNER can invite an OWNER.',
  })
  async inviteMember(
    @Arg('email', { description: "The invitee's email." }) email: string,
    @Arg('role', () => Role, { description: 'Their role.' }) role: Role,
    @Ctx() context: GraphQLContext,
    @Arg('name', () => String, { nullable: true, description: 'Their name (1–100 characters), shown in the members list; a new account starts with it.' })
    name?: string | null,
  ): Promise<MemberInvitation> {
    const { deps } = context;
    return inTransaction(deps.db.prisma, (tx) => inviteMember(tx, actorOf(context), { email, role, name }, deps.clock));
  }

  @Mutation(() => Member, {
    description:
      'Changes your own profile in the active organization: your name, the phone staff alerts are texted to, and which alerts you want. Audited as member.profile_updated (the phone number itself is not written to the audit trail).',
  })
  async updateMyProfile(
    @Arg('input', () => UpdateMyProfileInput, { description: 'What to change.' }) input: UpdateMyProfileInput,
    @Ctx() context: GraphQLContext,
  ): Promise<Member> {
    const { deps } = context;
    return inTransaction(deps.db.prisma, (tx) => updateMyProfile(tx, actorOf(context), input, deps.clock));
  }

  @Mutation(() => Member, {
    description:
      'Puts a member on call or takes them off: after business hours, staff alerts go only to members on call. OWNER and ADMIN sessions only; audited as member.on_call_changed.',
  })
  async setMemberOnCall(
    @Arg('membershipId', () => ID, { description: 'Member.id.' }) membershipId: string,
    @Arg('onCall', { description: 'true: on call.' }) onCall: boolean,
    @Ctx() context: GraphQLContext,
  ): Promise<Member> {
    const { deps } = context;
    return inTransaction(deps.db.prisma, (tx) => setMemberOnCall(tx, actorOf(context), { membershipId, onCall }, deps.clock));
  }

  @Mutation(() => SetPasswordGrant, {
    description:
      'A one-time set-password token (24 h) for a member locked out of their account; using it ends their sessions. ADMINs cannot reset OWNERs; nobody resets their own. Refused (FORBIDDEN) when the member also belongs to another organization: the password is theirs everywhere, so only the operator (callsnare user reset-password) can reset it. A member still INVITED gets a fresh invitation instead. Audited as member.password_reset.',
  })
  async resetMemberPassword(
    @Arg('membershipId', () => ID, { description: 'Member.id.' }) membershipId: string,
    @Ctx() context: GraphQLContext,
  ): Promise<SetPasswordGrant> {
    const { deps } = context;
    return inTransaction(deps.db.prisma, (tx) => resetMemberPassword(tx, actorOf(context), membershipId, deps.clock));
  }

  @Mutation(() => Member, { description: "Changes a member's role. ADMINs cannot change OWNERs or grant OWNER; the last OWNER cannot be demoted." })
  async updateMemberRole(
    @Arg('membershipId', () => ID, { description: 'Member.id.' }) membershipId: string,
    @Arg('role', () => Role, { description: 'The new role.' }) role: Role,
    @Ctx() context: GraphQLContext,
  ): Promise<Member> {
    const { deps } = context;
    return inTransaction(deps.db.prisma, (tx) => updateMemberRole(tx, actorOf(context), { membershipId, role }, deps.clock));
  }

  @Mutation(() => Member, {
    description: 'Removes a member or withdraws an invitation; returns the removed membership. ADMINs cannot remove OWNERs; the last OWNER cannot be removed.',
  })
  async removeMember(@Arg('membershipId', () => ID, { description: 'Member.id.' }) membershipId: string, @Ctx() context: GraphQLContext): Promise<Member> {
    const { deps } = context;
    return inTransaction(deps.db.prisma, (tx) => removeMember(tx, actorOf(context), membershipId, deps.clock));
  }
}
