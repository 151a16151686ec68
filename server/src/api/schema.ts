// Assembles the executable schema from every domain's resolvers.
import 'reflect-metadata';
import { isObjectType, lexicographicSortSchema, printSchema, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { buildSchema, type PubSub } from 'type-graphql';
import { applyMiddleware } from 'graphql-middleware';
import '../graphql/enums';
import { ViewerResolver } from '../access/viewer.resolver';
import { SessionResolver } from '../access/session.resolver';
import { MembersResolver } from '../access/members.resolver';
import { CredentialsResolver } from '../access/credentials.resolver';
import { AuditResolver } from '../audit/audit.resolver';
import { directLeadResolvers, LeadsResolver } from '../leads/leads.resolver';
import { CallbacksResolver } from '../callbacks/callbacks.resolver';
import { LeadCallbacksResolver } from '../callbacks/lead-callbacks.resolver';
import { SettingsResolver, TrackingLineResolver } from '../settings/settings.resolver';
import { StatsResolver } from '../stats/stats.resolver';
import { WebhookLogsResolver } from '../webhook-log/webhook-logs.resolver';
import { BillingResolver } from '../billing/billing.resolver';
import { MessagingResolver } from '../messaging/messaging.resolver';
import { InboxUpdatesResolver } from '../leads/inbox-updates.resolver';
import { StaffAlertsResolver } from '../staff-alerts/staff-alerts.resolver';
import { NoticesResolver } from '../notices/notices.resolver';
import { WebhooksResolver } from '../outbound-webhooks/webhooks.resolver';
import { permissionShield } from '../access/shield';

export const resolvers = [
  ViewerResolver,
  SessionResolver,
  MembersResolver,
  CredentialsResolver,
  AuditResolver,
  LeadsResolver,
  CallbacksResolver,
  LeadCallbacksResolver,
  SettingsResolver,
  TrackingLineResolver,
  StatsResolver,
  WebhookLogsResolver,
  BillingResolver,
  MessagingResolver,
  StaffAlertsResolver,
  WebhooksResolver,
  NoticesResolver,
  InboxUpdatesResolver,
] as const;

let cached: Promise<GraphQLSchema> | null = null;

/**
 * type-graphql wants a PubSub once there is a subscription, even when every
 * @Subscription brings its own `subscribe` (ours read the LiveBus, AppDeps.live,
 * which is per app, not per schema). A topic-based subscription fails loudly.
 */
const noTopicPubSub: PubSub = {
  publish() {
    throw new Error('Publish on the LiveBus (AppDeps.live), after commit');
  },
  subscribe() {
    throw new Error('Subscriptions subscribe through the LiveBus: @Subscription({ subscribe })');
  },
};

/**
 * The schema is the same for every app instance in a process; build it once.
 * Every field runs behind the permission shield (access/shield.ts): deny unless
 * the permission table allows it.
 */
export function buildGraphQLSchema(): Promise<GraphQLSchema> {
  cached ??= buildSchema({ resolvers: [...resolvers], validate: false, emitSchemaFile: false, pubSub: noTopicPubSub }).then((schema) =>
    applyMiddleware(resolvedDirectly(schema, 'Lead', directLeadResolvers), permissionShield(schema)),
  );
  return cached;
}

/** Replaces type-graphql's resolvers of these fields of `typeName` (see directLeadResolvers); the fields and their arguments stay as declared. */
function resolvedDirectly<Source>(schema: GraphQLSchema, typeName: string, fields: Record<string, GraphQLFieldResolver<Source, never, never>>): GraphQLSchema {
  const type = schema.getType(typeName);
  if (!isObjectType(type)) throw new Error(`${typeName} is not an object type of the schema`);
  for (const [name, resolve] of Object.entries(fields)) {
    const field = type.getFields()[name];
    if (!field) throw new Error(`${typeName}.${name} is not in the schema`);
    field.resolve = resolve as GraphQLFieldResolver<unknown, unknown>;
  }
  return schema;
}

/** The SDL as checked in at the repository root (schema.graphql). */
export async function printGraphQLSchema(): Promise<string> {
  const schema = await buildGraphQLSchema();
  return `${printSchema(lexicographicSortSchema(schema)).trim()}\n`;
}
