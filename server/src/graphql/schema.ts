// Assembles the executable schema from every domain's resolvers.
import 'reflect-metadata';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { applyMiddleware } from 'graphql-middleware';
import './enums';
import { ViewerResolver } from '../access/viewer.resolver';
import { SessionResolver } from '../access/session.resolver';
import { MembersResolver } from '../access/members.resolver';
import { CredentialsResolver } from '../access/credentials.resolver';
import { AuditResolver } from '../audit/audit.resolver';
import { LeadsResolver } from '../leads/leads.resolver';
import { CallbacksResolver } from '../callbacks/callbacks.resolver';
import { SettingsResolver } from '../settings/settings.resolver';
import { StatsResolver } from '../stats/stats.resolver';
import { WebhookLogsResolver } from '../webhooks/webhook-logs.resolver';
import { BillingResolver } from '../billing/billing.resolver';
import { MessagingResolver } from '../messaging/messaging.resolver';
import { permissionShield } from '../access/shield';

export const resolvers = [
  ViewerResolver,
  SessionResolver,
  MembersResolver,
  CredentialsResolver,
  AuditResolver,
  LeadsResolver,
  CallbacksResolver,
  SettingsResolver,
  StatsResolver,
  WebhookLogsResolver,
  BillingResolver,
  MessagingResolver,
] as const;

let cached: Promise<GraphQLSchema> | null = null;

/**
 * The schema is the same for every app instance in a process; build it once.
 * Every field runs behind the permission shield (access/shield.ts): deny unless
 * the permission table allows it.
 */
export function buildGraphQLSchema(): Promise<GraphQLSchema> {
  cached ??= buildSchema({ resolvers: [...resolvers], validate: false, emitSchemaFile: false }).then((schema) =>
    applyMiddleware(schema, permissionShield(schema)),
  );
  return cached;
}

/** The SDL as checked in at the repository root (schema.graphql). */
export async function printGraphQLSchema(): Promise<string> {
  const schema = await buildGraphQLSchema();
  return `${printSchema(lexicographicSortSchema(schema)).trim()}\n`;
}
