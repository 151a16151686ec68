// Tenant isolation enforced in one place. Every Prisma query the running
// product makes on an org-owned model must name its organization: `orgId` in
// the `where` of a read, update or delete (alone or in a compound key such as
// orgId_userId), and in the `data` of a create. A query that does not is
// refused before it reaches the database, so a service that forgets the org
// fails its tests instead of reading another shop's rows.
// The few system paths that must find the organization from something global
// (a tracking number Twilio called, a credential's secret hash, a Stripe
// customer id, the outbox across all shops) say so with crossTenant(reason, fn).
// Raw SQL ($queryRaw, $executeRaw) is not seen here: each such statement names
// orgId itself (recovery/missed-call-writes.ts, the outbox claim).
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Database, PrismaClient } from './client';
import { shareDriver } from './prepared';

/** Models with an orgId column. A test compares this list with prisma/schema.prisma. */
export const ORG_OWNED_MODELS = [
  'Membership',
  'ApiCredential',
  'TrackingLine',
  'OrgSettings',
  'Lead',
  'LeadEvent',
  'Callback',
  'Message',
  'AuditEntry',
  'WebhookLog',
  'Subscription',
  'BillingRecord',
  'LeadRead',
  'StaffAlert',
  // Written only by the triggers on "Lead"; read per organization (leads totalCount).
  'LeadCount',
  // orgId is null for the operator's resets; lookups by token say crossTenant (access/password-resets.ts).
  'PasswordReset',
  'Notice',
  'WebhookEndpoint',
  'WebhookEvent',
  'WebhookDelivery',
  'IdempotencyKey',
] as const;

const orgOwned = new Set<string>(ORG_OWNED_MODELS);

const READS_AND_WRITES_BY_WHERE = new Set([
  'findUnique',
  'findUniqueOrThrow',
  'findFirst',
  'findFirstOrThrow',
  'findMany',
  'count',
  'aggregate',
  'groupBy',
  'update',
  'updateMany',
  'updateManyAndReturn',
  'delete',
  'deleteMany',
]);
const CREATES = new Set(['create', 'createMany', 'createManyAndReturn']);

/** Thrown for a query on an org-owned model that does not name its organization: a bug, never a client's fault. */
export class TenantScopeViolation extends Error {
  constructor(model: string, operation: string) {
    super(`${model}.${operation} without orgId: every query on an org-owned model names its organization (or runs inside crossTenant with a reason)`);
    this.name = 'TenantScopeViolation';
  }
}

const crossTenantReason = new AsyncLocalStorage<string>();

/**
 * Runs fn with the tenant guard lifted, for a system path that looks across
 * organizations by design. `reason` says why, for the next reader.
 */
export function crossTenant<T>(reason: string, fn: () => PromiseLike<T>): Promise<T> {
  // Awaited inside run(): Prisma's queries are lazy and start when awaited, so
  // returning the unawaited query would run it outside the lifted scope.
  return crossTenantReason.run(reason, async () => await fn());
}

/** The same database, with every org-owned query checked. */
export function withTenantGuard(db: Database): Database {
  const guarded = db.prisma.$extends({
    name: 'tenant-guard',
    query: {
      $allModels: {
        $allOperations({ model, operation, args, query }) {
          if (orgOwned.has(model) && !crossTenantReason.getStore() && !namesOrganization(operation, args)) {
            throw new TenantScopeViolation(model, operation);
          }
          return query(args);
        },
      },
    },
  });
  // Same runtime API as PrismaClient; the extension adds no methods, only the check.
  const prisma = guarded as unknown as PrismaClient;
  shareDriver(db.prisma, prisma);
  return { ...db, prisma };
}

function namesOrganization(operation: string, args: unknown): boolean {
  const a = (args ?? {}) as { where?: unknown; data?: unknown; create?: unknown };
  if (operation === 'upsert') return hasOrgKey(a.where) && hasOrgKey(a.create);
  if (READS_AND_WRITES_BY_WHERE.has(operation)) return hasOrgKey(a.where);
  if (CREATES.has(operation)) return Array.isArray(a.data) ? a.data.every(hasOrgKey) : hasOrgKey(a.data);
  return false;
}

/**
 * orgId (null counts: the org-less audit chain, an unmatched webhook), the org
 * relation, a compound key with orgId, or any of these inside AND. An
 * `orgId: undefined` does not count: Prisma drops it, and the query would run unscoped.
 */
function hasOrgKey(clause: unknown): boolean {
  if (!clause || typeof clause !== 'object') return false;
  return Object.entries(clause).some(([key, value]) => {
    if (value === undefined) return false;
    if (key === 'AND') return (Array.isArray(value) ? value : [value]).some(hasOrgKey);
    return key === 'orgId' || key === 'org' || key.startsWith('orgId_');
  });
}
