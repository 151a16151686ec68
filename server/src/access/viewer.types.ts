import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { ActorType, Role } from '../graphql/enums';
import type { Identity } from '../common/identity';
import { Member } from './members.types';
import { PERMISSIONS } from './permissions';
import { StaffUser } from './staff.types';

/**
 * Every operation of the permission table, by name: what Viewer.capabilities lists.
 * Derived from the table, so a new row is a new value.
 */
export const Operation: Readonly<Record<string, string>> = Object.fromEntries(PERMISSIONS.map((row) => [row.name, row.name]));
export type Operation = string;
registerEnumType(Operation, {
  name: 'Operation',
  description: 'An operation of the API (a Query, Mutation or Subscription field), by name: what Viewer.capabilities lists.',
  valuesConfig: Object.fromEntries(PERMISSIONS.map((row) => [row.name, { description: row.description }])),
});

@ObjectType({ description: 'An organization (an HVAC shop) using CallSnare.' })
export class ViewerOrganization {
  @Field(() => ID, { description: 'Organization id.' })
  id!: string;

  @Field({ description: "The organization's name." })
  name!: string;
}

@ObjectType({ description: 'The API credential making the request.' })
export class ViewerCredential {
  @Field(() => ID, { description: 'Credential id.' })
  id!: string;

  @Field({ description: 'Name given at creation.' })
  name!: string;

  @Field({ description: 'Public start of the secret, for recognising it (e.g. cs_test_AbCd1234).' })
  prefix!: string;
}

@ObjectType({ description: 'An organization the signed-in user belongs to, and their role there.' })
export class ViewerMembership {
  @Field(() => ViewerOrganization, { description: 'The organization.' })
  organization!: ViewerOrganization;

  @Field(() => Role, { description: "The user's role in it." })
  role!: Role;
}

@ObjectType({ description: 'Who is calling the API, in which organization, with which permissions.' })
export class Viewer {
  @Field(() => ActorType, { description: 'USER for a staff session, CREDENTIAL for an API credential.' })
  actorType!: ActorType;

  @Field({ description: 'How this identity appears in the audit log.' })
  label!: string;

  @Field(() => ViewerOrganization, { nullable: true, description: 'The organization every request is scoped to (null for a user with no membership).' })
  organization!: ViewerOrganization | null;

  @Field(() => StaffUser, { nullable: true, description: 'The staff user, for a session.' })
  user!: StaffUser | null;

  @Field(() => Role, { nullable: true, description: "The user's role in the organization, for a session." })
  role!: Role | null;

  @Field(() => ViewerCredential, { nullable: true, description: 'The credential, for Bearer requests.' })
  credential!: ViewerCredential | null;

  @Field(() => [String], { description: 'Scopes granted to the credential; empty for sessions (roles apply instead).' })
  scopes!: string[];

  @Field(() => [ViewerMembership], {
    description: 'Every organization the signed-in user belongs to (switchOrganization picks the active one); empty for credentials.',
  })
  memberships!: ViewerMembership[];

  @Field(() => Member, {
    nullable: true,
    description:
      'Your own membership in the active organization: name, alert phone and preferences, on call (what updateMyProfile changes); null for credentials.',
  })
  member!: Member | null;

  /** Who asked; not a field: Viewer.capabilities (viewer.resolver.ts) is decided for it. */
  identity!: Identity;
}
