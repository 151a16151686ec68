import { Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
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

  @Field(() => String, {
    nullable: true,
    description: "The person's name: their account's once they joined; for an INVITED member, the name given when inviting them (if any).",
  })
  name!: string | null;

  @Field(() => Role, { description: 'Role in this organization.' })
  role!: Role;

  @Field({ description: 'When the invitation was accepted (for an INVITED member: when they were invited).' })
  joinedAt!: Date;

  @Field(() => MemberStatus, { description: 'INVITED until the invitation is accepted, then ACTIVE.' })
  status!: MemberStatus;

  @Field(() => Date, { nullable: true, description: "When an INVITED member's token stops working (invite again for a new one); null once ACTIVE." })
  invitationExpiresAt!: Date | null;

  @Field({
    description: "True once this membership's invitation was accepted.",
    deprecationReason: "Use status. Says nothing about the person's account outside this organization.",
  })
  passwordSet!: boolean;

  @Field(() => String, {
    nullable: true,
    description: "The member's own phone for staff alerts (E.164). Shown to OWNERs, ADMINs and the member; null for anyone else, or when none is set.",
  })
  phone!: string | null;

  @Field({ description: 'Texts them an alert for every missed call (and overdue callback) they should hear about.' })
  alertOnMissedCall!: boolean;

  @Field({ description: 'Texts them an alert when a caller texts back.' })
  alertOnReply!: boolean;

  @Field({ description: 'On call: after business hours, staff alerts go only to members on call (to the OWNERs who opted in when nobody is).' })
  onCall!: boolean;
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

@InputType({ description: 'Changes to your own profile. Omitted fields stay as they are.' })
export class UpdateMyProfileInput {
  @Field(() => String, {
    nullable: true,
    description: "Your name as staff see it (1–100 characters; empty or null clears it). It is your account's: every organization you belong to shows it.",
  })
  name?: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Your mobile for staff alerts: E.164 (+13125550142) or a 10-digit US number in any usual format. Empty or null removes it (and needs the alerts off).',
  })
  phone?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Text me about missed calls and overdue callbacks (needs a phone).' })
  alertOnMissedCall?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: 'Text me when a caller texts back (needs a phone).' })
  alertOnReply?: boolean | null;
}

export const SetPasswordPurpose = { INVITATION: 'INVITATION', RESET: 'RESET' } as const;
export type SetPasswordPurpose = (typeof SetPasswordPurpose)[keyof typeof SetPasswordPurpose];
registerEnumType(SetPasswordPurpose, {
  name: 'SetPasswordPurpose',
  description: 'What a set-password token does.',
  valuesConfig: {
    INVITATION: { description: 'Accepts an invitation: a new account chooses its first password; an existing one gives its current password.' },
    RESET: { description: "Resets the account's password: no old password needed; every session of the account ends." },
  },
});

@ObjectType({ description: 'A one-time set-password token to pass on to a member (no email is sent): open /set-password?token=… with it.' })
export class SetPasswordGrant {
  @Field({ description: 'One-time token for setPassword, shown only here.' })
  setPasswordToken!: string;

  @Field({ description: 'When the token stops working (24 hours for a reset, 7 days for an invitation).' })
  expiresAt!: Date;

  @Field(() => SetPasswordPurpose, { description: 'RESET, or INVITATION when the member had not joined yet and got a fresh invitation instead.' })
  purpose!: SetPasswordPurpose;
}
