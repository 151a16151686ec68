import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { ActorType } from '../graphql/enums';
import { Connection } from '../graphql/connection';

@ObjectType({
  description: 'One recorded action: who did what to which record, from where, with the fields it changed. Entries of an organization form a hash chain.',
})
export class AuditEntry {
  @Field(() => ID, { description: 'Entry id.' })
  id!: string;

  @Field(() => Int, { description: "Position in the organization's hash chain (1, 2, 3, …)." })
  seq!: number;

  @Field({ description: 'What happened, e.g. credential.created (the list is on /docs/actions).' })
  action!: string;

  @Field(() => ActorType, { description: 'Kind of actor.' })
  actorType!: ActorType;

  @Field(() => String, { nullable: true, description: 'User id, credential id or provider name; null for CallSnare itself.' })
  actorId!: string | null;

  @Field({ description: 'The actor as a person reads it: an email, "API credential Zapier sync (cs_test_AbCd1234…)", "Twilio".' })
  actorLabel!: string;

  @Field(() => String, { nullable: true, description: 'Kind of record acted on, e.g. ApiCredential, Membership, Lead.' })
  targetType!: string | null;

  @Field(() => String, { nullable: true, description: 'Id of the record acted on.' })
  targetId!: string | null;

  @Field(() => GraphQLJSONObject, { description: 'Changed fields as { field: { before, after } }. Never secrets or hashes.' })
  changes!: Record<string, unknown>;

  @Field(() => String, { nullable: true, description: 'The request that made the change (X-Request-Id).' })
  requestId!: string | null;

  @Field(() => String, { nullable: true, description: 'Client IP of that request.' })
  ip!: string | null;

  @Field(() => String, { nullable: true, description: 'User agent of that request.' })
  userAgent!: string | null;

  @Field({ description: 'When it happened.' })
  createdAt!: Date;

  @Field({
    description:
      "Keyed hash of this entry's content and prevHash: h2: followed by HMAC-SHA256, under the server's audit signing key, of a version line and the entry's RFC 8785 canonical JSON (/docs/security shows how to recompute it); h1: and bare hex (plain SHA-256) for entries written by earlier versions.",
  })
  hash!: string;

  @Field(() => String, { nullable: true, description: "The previous entry's hash; null for the first entry." })
  prevHash!: string | null;
}

@ObjectType({ description: 'A page of audit entries, newest first.' })
export class AuditEntryConnection extends Connection(AuditEntry) {}

@InputType({ description: 'Narrows auditEntries; every field is optional and they combine with AND.' })
export class AuditEntryFilter {
  @Field(() => String, { nullable: true, description: 'An action name, e.g. member.invited.' })
  action?: string | null;

  @Field(() => String, { nullable: true, description: 'Entries by this actor (user or credential id).' })
  actorId?: string | null;

  @Field(() => ActorType, { nullable: true, description: 'Entries by this kind of actor.' })
  actorType?: ActorType | null;

  @Field(() => String, { nullable: true, description: 'Entries about this kind of record.' })
  targetType?: string | null;

  @Field(() => String, { nullable: true, description: 'Entries about this record.' })
  targetId?: string | null;

  @Field(() => Date, { nullable: true, description: 'At or after this time.' })
  since?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Before this time.' })
  until?: Date | null;
}
