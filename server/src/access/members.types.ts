import { Field, ID, ObjectType } from 'type-graphql';
import { Role } from '../graphql/enums';
import { Connection } from '../graphql/connection';

@ObjectType({ description: 'A staff member of the organization (a membership).' })
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

  @Field({ description: 'When the membership was created.' })
  joinedAt!: Date;

  @Field({ description: 'False while an invited user has not set a password yet.' })
  passwordSet!: boolean;
}

@ObjectType({ description: 'A page of members, oldest membership first.' })
export class MemberConnection extends Connection(Member) {}

@ObjectType({ description: 'The result of inviting a member.' })
export class MemberInvitation {
  @Field(() => Member, { description: 'The new membership.' })
  member!: Member;

  @Field(() => String, {
    nullable: true,
    description:
      'One-time token for setPassword, shown only here: pass it to the invitee. Null when the user already has a password (they sign in with it).',
  })
  setPasswordToken!: string | null;

  @Field(() => Date, { nullable: true, description: 'When setPasswordToken stops working.' })
  setPasswordExpiresAt!: Date | null;
}
