import { Field, ID, InputType, ObjectType } from 'type-graphql';
import type { ApiCredential as ApiCredentialRow } from '../generated/prisma/client';
import { CredentialMode, CredentialStatus } from '../graphql/enums';
import { Connection } from '../graphql/connection';
import { credentialStatus } from './credentials.service';

@ObjectType({ description: 'An org-scoped API credential. Its secret is never shown again after creation or rotation.' })
export class ApiCredential {
  @Field(() => ID, { description: 'Credential id.' })
  id!: string;

  @Field({ description: 'What it is for, e.g. "Zapier sync".' })
  name!: string;

  @Field({ description: 'Public start of the secret (e.g. cs_test_AbCd1234), to recognise it.' })
  prefix!: string;

  @Field(() => CredentialMode, { description: 'TEST (cs_test_…) or LIVE (cs_live_…).' })
  mode!: CredentialMode;

  @Field(() => [String], { description: 'Scopes, fixed at creation.' })
  scopes!: string[];

  @Field(() => CredentialStatus, { description: 'Whether it works now, and if not, why.' })
  status!: CredentialStatus;

  @Field({ description: 'When it was created.' })
  createdAt!: Date;

  @Field(() => Date, { nullable: true, description: 'Last request made with it (updated at most once a minute).' })
  lastUsedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When it stops working on its own; null = never.' })
  expiresAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When it was revoked.' })
  revokedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'Set when rotated: the old secret works until then.' })
  graceUntil!: Date | null;

  @Field(() => ID, { nullable: true, description: 'The credential this one replaced, when it came from a rotation.' })
  rotatedFromId!: string | null;
}

export function credentialView(row: ApiCredentialRow, now: Date): ApiCredential {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    mode: row.mode,
    scopes: row.scopes,
    status: credentialStatus(row, now),
    createdAt: row.createdAt,
    lastUsedAt: row.lastUsedAt,
    expiresAt: row.expiresAt,
    revokedAt: row.revokedAt,
    graceUntil: row.graceUntil,
    rotatedFromId: row.rotatedFromId,
  };
}

@ObjectType({ description: 'A page of API credentials (whatever their status), newest first.' })
export class ApiCredentialConnection extends Connection(ApiCredential) {}

@ObjectType({ description: 'A newly issued secret: returned once, by createApiCredential and rotateApiCredential.' })
export class IssuedApiCredential {
  @Field(() => ApiCredential, { description: 'The credential the secret belongs to.' })
  credential!: ApiCredential;

  @Field({ description: 'The secret (cs_test_… or cs_live_…). Store it now: CallSnare keeps only its hash.' })
  secret!: string;

  @Field(() => ApiCredential, { nullable: true, description: 'For a rotation: the replaced credential, with its graceUntil.' })
  previous!: ApiCredential | null;
}

@InputType({ description: 'A new API credential.' })
export class CreateApiCredentialInput {
  @Field({ description: 'What it is for (1–100 characters).' })
  name!: string;

  @Field(() => [String], { description: 'Scopes from the published list (see /actions.json), e.g. ["leads:read"].' })
  scopes!: string[];

  @Field(() => Date, { nullable: true, description: 'When it should stop working; null = never.' })
  expiresAt?: Date | null;
}
