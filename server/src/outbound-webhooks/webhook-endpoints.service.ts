// Outbound webhook endpoints of an organization: adding, changing, deleting, rotating the
// signing secret, and reading deliveries. OWNER/ADMIN staff, or credentials with
// webhooks:read / webhooks:write (the shield checks first; these guards repeat it for the
// CLI and tests). Every change is audited. docs/decisions/0022-outbound-webhooks.md
import type { Tx } from '../db/types';
import type { Prisma, WebhookEndpoint as EndpointRow } from '../generated/prisma/client';
import type { WebhookDeliveryStatus } from '../generated/prisma/enums';
import type { Actor } from '../common/actor';
import { systemClock, type Clock } from '../common/clock';
import type { IntegrationMode } from '../config';
import { recordAudit, type AuditChanges } from '../audit/audit.service';
import { DomainError, notFound } from '../common/errors';
import { isUuid } from '../common/ids';
import { paginate, type Page } from '../db/pagination';
import { isWebhookEventType, WEBHOOK_EVENT_TYPES } from './event-types';
import { endpointHostProblem, endpointUrlProblem, systemResolver, type HostResolver } from './endpoint-address';
import { issueWebhookSecret, sealWebhookSecret } from './webhook-secret';

/** Endpoints one organization may have. */
export const MAX_ENDPOINTS_PER_ORG = 16;
/** How long a rotated-out secret keeps signing next to the new one. */
export const SECRET_ROTATION_GRACE_MS = 24 * 60 * 60 * 1000;
const MAX_DESCRIPTION = 200;

const MANAGERS = ['OWNER', 'ADMIN'];

/** Managers, CallSnare itself, or a credential holding webhooks:<access>. */
export function requireWebhookAccess(actor: Actor, access: 'read' | 'write'): void {
  if (actor.type === 'SYSTEM') return;
  if (actor.type === 'USER' && actor.role && MANAGERS.includes(actor.role)) return;
  const scope = `webhooks:${access}`;
  if (actor.type === 'CREDENTIAL') {
    if (actor.scopes?.includes(scope)) return;
    throw new DomainError('FORBIDDEN', `This credential lacks the scope ${scope}`, { requiredScope: scope });
  }
  throw new DomainError('FORBIDDEN', 'Outbound webhooks need the OWNER or ADMIN role', { requiredRoles: MANAGERS });
}

/** A refused input: BAD_USER_INPUT with the field and a `reason` a program can branch on. */
function refused(reason: string, field: string, message: string): DomainError {
  return new DomainError('BAD_USER_INPUT', message, { reason, fields: { [field]: message } });
}

export interface UrlCheck {
  mode: IntegrationMode;
  resolve?: HostResolver;
}

/**
 * The URL as it will be stored, or a refusal: format and scheme, then (live mode) every
 * address its host resolves to must be public. Runs before the transaction: it may ask DNS.
 */
export async function checkEndpointUrl(raw: string, check: UrlCheck): Promise<string> {
  const url = raw.trim();
  const problem = endpointUrlProblem(url, check.mode);
  if (problem) throw refused('INVALID_URL', 'url', `url: ${problem}`);
  const hostProblem = await endpointHostProblem(new URL(url).hostname, check.mode, check.resolve ?? systemResolver);
  if (hostProblem) throw refused('URL_NOT_PUBLIC', 'url', `url: ${hostProblem}; live servers deliver only to public addresses`);
  return new URL(url).toString();
}

function checkedEvents(events: readonly string[]): string[] {
  const unknown = events.filter((type) => !isWebhookEventType(type));
  if (unknown.length > 0) {
    throw refused('UNKNOWN_EVENT_TYPE', 'events', `unknown event type ${unknown.map((t) => `"${t}"`).join(', ')} (known: ${WEBHOOK_EVENT_TYPES.join(', ')})`);
  }
  if (events.length === 0) throw refused('NO_EVENT_TYPES', 'events', `choose at least one event type (${WEBHOOK_EVENT_TYPES.join(', ')})`);
  return WEBHOOK_EVENT_TYPES.filter((type) => events.includes(type));
}

function checkedDescription(description: string | null | undefined): string | null {
  const text = description?.trim() ?? '';
  if (text.length > MAX_DESCRIPTION) throw refused('DESCRIPTION_TOO_LONG', 'description', `description must be at most ${MAX_DESCRIPTION} characters`);
  return text === '' ? null : text;
}

export async function listWebhookEndpoints(tx: Tx, actor: Actor): Promise<EndpointRow[]> {
  requireWebhookAccess(actor, 'read');
  return tx.webhookEndpoint.findMany({ where: { orgId: actor.orgId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
}

export interface CreateEndpointInput {
  /** Checked with checkEndpointUrl first. */
  url: string;
  events: readonly string[];
  description?: string | null;
}

/** Adds an endpoint and returns its secret: the only time it is ever available. */
export async function createWebhookEndpoint(
  tx: Tx,
  actor: Actor,
  input: CreateEndpointInput,
  clock: Clock = systemClock,
): Promise<{ endpoint: EndpointRow; secret: string }> {
  requireWebhookAccess(actor, 'write');
  const events = checkedEvents(input.events);
  const description = checkedDescription(input.description);
  // Concurrent creations of one organization count one after the other.
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${'webhook-endpoints:' + actor.orgId}))`;
  const existing = await tx.webhookEndpoint.count({ where: { orgId: actor.orgId } });
  if (existing >= MAX_ENDPOINTS_PER_ORG) {
    throw new DomainError('BAD_USER_INPUT', `an organization can have at most ${MAX_ENDPOINTS_PER_ORG} webhook endpoints; delete one first`, {
      reason: 'TOO_MANY_ENDPOINTS',
      limit: MAX_ENDPOINTS_PER_ORG,
    });
  }
  const secret = issueWebhookSecret();
  const now = clock.now();
  const endpoint = await tx.webhookEndpoint.create({
    data: {
      orgId: actor.orgId,
      url: input.url,
      description,
      events,
      secret: sealWebhookSecret(secret),
      createdById: actor.type === 'USER' ? actor.id : null,
      createdAt: now,
    },
  });
  await recordAudit(
    tx,
    actor,
    {
      action: 'webhook_endpoint.created',
      target: { type: 'WebhookEndpoint', id: endpoint.id },
      changes: { url: { before: null, after: endpoint.url }, events: { before: null, after: events }, description: { before: null, after: description } },
    },
    clock,
  );
  return { endpoint, secret };
}

/** Tenant isolation: another organization's endpoint is NOT_FOUND, like a missing one. */
export async function findWebhookEndpoint(tx: Tx, actor: Actor, id: string): Promise<EndpointRow> {
  const endpoint = isUuid(id) ? await tx.webhookEndpoint.findFirst({ where: { id, orgId: actor.orgId } }) : null;
  if (!endpoint) throw notFound('Webhook endpoint');
  return endpoint;
}

export interface UpdateEndpointInput {
  /** Checked with checkEndpointUrl first. */
  url?: string | null;
  events?: readonly string[] | null;
  description?: string | null;
  enabled?: boolean | null;
}

export async function updateWebhookEndpoint(tx: Tx, actor: Actor, id: string, input: UpdateEndpointInput, clock: Clock = systemClock): Promise<EndpointRow> {
  requireWebhookAccess(actor, 'write');
  const endpoint = await findWebhookEndpoint(tx, actor, id);
  const now = clock.now();
  const data: Prisma.WebhookEndpointUpdateInput = {};
  const changes: AuditChanges = {};
  if (input.url && input.url !== endpoint.url) {
    data.url = input.url;
    changes.url = { before: endpoint.url, after: input.url };
  }
  if (input.events) {
    const events = checkedEvents(input.events);
    if (events.join() !== endpoint.events.join()) {
      data.events = events;
      changes.events = { before: endpoint.events, after: events };
    }
  }
  if (input.description !== undefined && input.description !== null) {
    const description = checkedDescription(input.description);
    if (description !== endpoint.description) {
      data.description = description;
      changes.description = { before: endpoint.description, after: description };
    }
  }
  if (input.enabled !== undefined && input.enabled !== null && input.enabled !== endpoint.enabled) {
    changes.enabled = { before: endpoint.enabled, after: input.enabled };
    // Re-enabled: a fresh start, failures forgotten. Disabled: nothing more goes out.
    Object.assign(
      data,
      input.enabled
        ? { enabled: true, disabledAt: null, disabledReason: null, consecutiveFailures: 0, failingSince: null }
        : { enabled: false, disabledAt: now, disabledReason: `disabled by ${actor.label}` },
    );
  }
  if (Object.keys(changes).length === 0) return endpoint;
  const updated = await tx.webhookEndpoint.update({ where: { id: endpoint.id, orgId: actor.orgId }, data });
  if (input.enabled === false && endpoint.enabled) await failPendingDeliveries(tx, actor.orgId, endpoint.id, 'the endpoint was disabled', now);
  await recordAudit(tx, actor, { action: 'webhook_endpoint.updated', target: { type: 'WebhookEndpoint', id: endpoint.id }, changes }, clock);
  return updated;
}

/** Removes an endpoint; its deliveries and their attempts go with it. Returns it as it was. */
export async function deleteWebhookEndpoint(tx: Tx, actor: Actor, id: string, clock: Clock = systemClock): Promise<EndpointRow> {
  requireWebhookAccess(actor, 'write');
  const endpoint = await findWebhookEndpoint(tx, actor, id);
  await tx.webhookEndpoint.deleteMany({ where: { id: endpoint.id, orgId: actor.orgId } });
  await recordAudit(
    tx,
    actor,
    {
      action: 'webhook_endpoint.deleted',
      target: { type: 'WebhookEndpoint', id: endpoint.id },
      changes: { url: { before: endpoint.url, after: null }, events: { before: endpoint.events, after: null } },
    },
    clock,
  );
  return endpoint;
}

/**
 * A new secret for the endpoint. The current one keeps signing next to it (a second v1 in
 * CallSnare-Signature) for SECRET_ROTATION_GRACE_MS, so the receiver can switch without
 * dropping events; rotating again during that time retires the oldest at once.
 */
export async function rotateWebhookEndpointSecret(
  tx: Tx,
  actor: Actor,
  id: string,
  clock: Clock = systemClock,
): Promise<{ endpoint: EndpointRow; secret: string }> {
  requireWebhookAccess(actor, 'write');
  const endpoint = await findWebhookEndpoint(tx, actor, id);
  const secret = issueWebhookSecret();
  const previousSecretExpiresAt = new Date(clock.now().getTime() + SECRET_ROTATION_GRACE_MS);
  const rotated = await tx.webhookEndpoint.update({
    where: { id: endpoint.id, orgId: actor.orgId },
    data: { secret: sealWebhookSecret(secret), previousSecret: endpoint.secret, previousSecretExpiresAt },
  });
  await recordAudit(
    tx,
    actor,
    {
      action: 'webhook_endpoint.secret_rotated',
      target: { type: 'WebhookEndpoint', id: endpoint.id },
      changes: { previousSecretExpiresAt: { before: endpoint.previousSecretExpiresAt?.toISOString() ?? null, after: previousSecretExpiresAt.toISOString() } },
    },
    clock,
  );
  return { endpoint: rotated, secret };
}

/** Pending deliveries of an endpoint that will not be tried any more: FAILED, saying why. */
export async function failPendingDeliveries(tx: Tx, orgId: string, endpointId: string, reason: string, now: Date): Promise<number> {
  const { count } = await tx.webhookDelivery.updateMany({
    where: { orgId, endpointId, status: 'PENDING' },
    data: { status: 'FAILED', nextAttemptAt: null, claimedAt: null, claimedBy: null, lastError: reason, updatedAt: now },
  });
  return count;
}

export interface DeliveryListFilter {
  endpointId?: string | null;
  eventType?: string | null;
  status?: WebhookDeliveryStatus | null;
}

export const deliveryInclude = {
  endpoint: true,
  attemptLog: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], take: 50 },
} as const satisfies Prisma.WebhookDeliveryInclude;

export type DeliveryRow = Prisma.WebhookDeliveryGetPayload<{ include: typeof deliveryInclude }> & { event: { payload: Prisma.JsonValue } };

const deliveryFields = { ...deliveryInclude, event: { select: { payload: true } } } as const;

export async function listWebhookDeliveries(
  tx: Tx,
  actor: Actor,
  filter: DeliveryListFilter | null,
  page: { first?: number | null; after?: string | null },
): Promise<Page<DeliveryRow>> {
  requireWebhookAccess(actor, 'read');
  const and: Prisma.WebhookDeliveryWhereInput[] = [{ orgId: actor.orgId }];
  if (filter?.endpointId) and.push(isUuid(filter.endpointId) ? { endpointId: filter.endpointId } : { id: { in: [] } });
  if (filter?.eventType) and.push({ eventType: filter.eventType });
  if (filter?.status) and.push({ status: filter.status });
  return paginate<DeliveryRow, Prisma.WebhookDeliveryWhereInput>({
    ...page,
    sortKey: 'createdAt',
    direction: 'desc',
    where: { AND: and, orgId: actor.orgId },
    findMany: (args) => tx.webhookDelivery.findMany({ ...args, include: deliveryFields }),
    count: (args) => tx.webhookDelivery.count(args),
  });
}

export async function getWebhookDelivery(tx: Tx, actor: Actor, id: string): Promise<DeliveryRow> {
  const delivery = isUuid(id) ? await tx.webhookDelivery.findFirst({ where: { id, orgId: actor.orgId }, include: deliveryFields }) : null;
  if (!delivery) throw notFound('Webhook delivery');
  return delivery;
}
