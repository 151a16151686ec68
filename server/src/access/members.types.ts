import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Role } from '../graphql/enums';
import { Connection } from '../graphql/connection';

export const MemberStatus = { INVITED: 'INVITED', ACTIVE: 'ACTIVE' } as const;
export type MemberStatus = (typeof MemberStatus)[keyof typeof MemberStatus];
registerEnumType(MemberStatus, {
  name: 'MemberStatus',
  description: 'Whether a membership is usable yet.',
  valuesConfig: {
    INVITED: { description: 'Invited; grants nothing until the invitee accepts with their one-time token (setPassword).' },
    ACTIVE: { description: 'Accepted: the member can sign in to this organization.' },
  },
});

@ObjectType({ description: 'A staff member of the organization (a membership), or an invitation not accepted yet.' })
export class Member {
  @Field(() => ID, { description: 'Membership id (what updateMemberRole and removeMember take).' })
  id!: string;

  @Field(() => ID, { description: 'User id.' })
  userId!: string;

  @Field({ description: 'Sign-in email.' })
  email!: string;

  @Field(() => String, { nullable: true, description: 'Display name.' })
  name!: string | null;

  @Field(() => Role, { description: 'Role in this organization.' })
  role!: Role;

  @Field({ description: 'When the invitation was accepted (for an INVITED member: when they were invited).' })
  joinedAt!: Date;

  @Field(() => MemberStatus, { description: 'INVITED until the invitation is accepted, then ACTIVE.' })
  status!: MemberStatus;

  @Field(() => Date, { nullable: true, description: 'When an INVITED member\'s token stops working (invite again for a new one); null once ACTIVE.' })
  invitationExpiresAt!: Date | null;

  @Field({
    description: 'True once this membership\'s invitation was accepted.',
    deprecationReason: 'Use status. Says nothing about the person\'s account outside this organization.',
  })
  passwordSet!: boolean;
}

@ObjectType({ description: 'A page of members, oldest membership first.' })
export class MemberConnection extends Connection(Member) {}

@ObjectType({ description: 'The result of inviting a member.' })
export class MemberInvitation {
  @Field(() => Member, { description: 'The new membership, INVITED until accepted.' })
  member!: Member;

  @Field(() => String, {
    nullable: true,
    description:
      'One-time token for setPassword, shown only here: pass it to the invitee (no email is sent). It accepts this membership and no other. Always present; nullable for older clients.',
  })
  setPasswordToken!: string | null;

  @Field(() => Date, { nullable: true, description: 'When setPasswordToken stops working (7 days).' })
  setPasswordExpiresAt!: Date | null;
}
