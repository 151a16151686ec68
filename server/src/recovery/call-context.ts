// What a provider delivery needs to know about the org it belongs to, found
// from the number that was called or texted (`To`). The org is never taken
// from anything else the provider sends (e.g. MessagingServiceSid).
//
// One SQL statement: every Twilio delivery starts here, so this is on the hot
// path of every webhook (a Prisma query with two nested relations cost ~5x more).
// CallContextCache keeps the answer per tracking number for a few seconds and
// drops it when settings, tracking lines or the subscription change.
import { Prisma, type PrismaClient } from '../generated/prisma/client';
import type { Tx } from '../db/types';
import type { TextBackSettings } from './text-back.policy';
import { KeptRows, type KeptRowsOptions } from '../common/kept-rows';

export type CallSettings = TextBackSettings & {
  textBackCooldownMinutes: number;
  maxAutomatedTextsPerDay: number;
  ringTimeoutSeconds: number;
  callScreeningEnabled: boolean;
  voicemailEnabled: boolean;
};

export interface CallContext {
  line: { id: string; orgId: string; number: string; forwardTo: string };
  settings: CallSettings;
  /** Tracking numbers and forward-to phones of the org: never texted. */
  ownNumbers: ReadonlySet<string>;
  /** The org's subscription as the plan gate reads it (null: none on file), read by the same statement. */
  subscription?: { status: string; pastDueSince: Date | null } | null;
  /** Which of the provider refs asked about (`seenRefs` option) are already applied (LeadEvent.providerRef). */
  seenRefs?: ReadonlySet<string>;
}

type Row = Omit<CallSettings, 'businessHours'> & {
  id: string;
  orgId: string;
  number: string;
  forwardTo: string;
  businessHours: unknown;
  ownNumbers: string[];
  subscriptionStatus: string | null;
  pastDueSince: Date | string | null;
  seenRefs: string[] | null;
};

/**
 * `seenRefs`: provider refs (exactly-once.ts) to look up in the same statement,
 * so a replayed delivery is recognised without another round trip.
 */
export async function findCallContext(
  db: PrismaClient | Tx,
  trackingNumber: string,
  options: { seenRefs?: readonly string[] } = {},
): Promise<CallContext | null> {
  const refs = options.seenRefs ?? [];
  const seen =
    refs.length > 0 ? Prisma.sql`ARRAY(SELECT e."providerRef" FROM "LeadEvent" e WHERE e."providerRef" IN (${Prisma.join(refs)}))` : Prisma.sql`NULL::text[]`;
  const [row] = await db.$queryRaw<Row[]>`
    SELECT l.id::text AS id, l."orgId"::text AS "orgId", l.number, l."forwardTo",
      s."businessName", s.timezone, s."textBackEnabled", s."businessHoursTemplate", s."afterHoursTemplate",
      s."businessHours", s."quietHoursEnabled", s."quietHoursStart", s."quietHoursEnd",
      s."textBackCooldownMinutes", s."maxAutomatedTextsPerDay", s."ringTimeoutSeconds", s."callbackSlaMinutes",
      s."callScreeningEnabled", s."voicemailEnabled",
      ARRAY(SELECT o.number FROM "TrackingLine" o WHERE o."orgId" = l."orgId"
            UNION SELECT o."forwardTo" FROM "TrackingLine" o WHERE o."orgId" = l."orgId") AS "ownNumbers",
      sub.status AS "subscriptionStatus", sub."pastDueSince" AS "pastDueSince",
      ${seen} AS "seenRefs"
    FROM "TrackingLine" l JOIN "OrgSettings" s ON s."orgId" = l."orgId"
      LEFT JOIN "Subscription" sub ON sub."orgId" = l."orgId"
    WHERE l.number = ${trackingNumber} AND l.active`;
  if (!row) return null;
  const { id, orgId, number, forwardTo, ownNumbers, businessHours, subscriptionStatus, pastDueSince, seenRefs, ...settings } = row;
  return {
    line: { id, orgId, number, forwardTo },
    settings: { ...settings, businessHours: parseJson(businessHours) as CallSettings['businessHours'] },
    ownNumbers: new Set(ownNumbers),
    subscription: subscriptionStatus === null ? null : { status: subscriptionStatus, pastDueSince: pastDueSince === null ? null : new Date(pastDueSince) },
    seenRefs: new Set(seenRefs ?? []),
  };
}

/** Drivers hand jsonb back parsed or as text, depending on the adapter. */
function parseJson(value: unknown): unknown {
  return typeof value === 'string' ? JSON.parse(value) : value;
}

/** What changed: everything cached for an org, or one tracking number. */
export type CallContextScope = { orgId: string } | { trackingNumber: string };

/**
 * How invalidations reach every node. In one process, `local`; across nodes a
 * bus (e.g. the LiveBus over Redis, see liveBusInvalidations) delivers what
 * another node published. A node always drops its own entries at once, before
 * it publishes: the writer's next request must not read the old context.
 */
export interface CallContextInvalidations {
  publish(scope: CallContextScope): void;
  /** Returns the unsubscribe function. */
  subscribe(listener: (scope: CallContextScope) => void): () => void;
}

/** Invalidations over a LiveBus-shaped channel (in memory today; Redis pub/sub when the bus is). */
export function liveBusInvalidations(bus: {
  publish(channel: string, message: Record<string, unknown>): void;
  subscribe(channel: string, listener: (message: Record<string, unknown>) => void): () => void;
}): CallContextInvalidations {
  const channel = 'call-context.invalidated';
  return {
    publish: (scope) => bus.publish(channel, { ...scope }),
    subscribe: (listener) =>
      bus.subscribe(channel, (message) => {
        if (typeof message.orgId === 'string') listener({ orgId: message.orgId });
        else if (typeof message.trackingNumber === 'string') listener({ trackingNumber: message.trackingNumber });
      }),
  };
}

export interface CallContextCacheOptions extends KeptRowsOptions {
  invalidations?: CallContextInvalidations;
}

export const DEFAULT_CALL_CONTEXT_CACHE: CallContextCacheOptions = { ttlMs: 5_000, maxEntries: 10_000 };

/**
 * Call contexts per tracking number, in this process (common/kept-rows.ts).
 * Writers of what a context holds (settings, tracking lines, subscription) call
 * invalidate() after their transaction committed. Only found contexts are kept
 * (an unknown number is asked again).
 */
export class CallContextCache {
  private readonly contexts: KeptRows<CallContext>;
  private readonly unsubscribe: () => void;

  constructor(private readonly options: CallContextCacheOptions = DEFAULT_CALL_CONTEXT_CACHE) {
    this.contexts = new KeptRows(options);
    this.unsubscribe = options.invalidations?.subscribe((scope) => this.drop(scope)) ?? (() => undefined);
  }

  /**
   * The context of `trackingNumber`, from the cache when fresh. `seenRefs` are
   * looked up only when the database is asked (a cached context has none:
   * applyOnce then looks its key up itself).
   */
  async get(db: PrismaClient | Tx, trackingNumber: string, options: { seenRefs?: readonly string[] } = {}): Promise<CallContext | null> {
    const context = await this.contexts.get(
      trackingNumber,
      () => findCallContext(db, trackingNumber, options),
      ({ seenRefs: _seen, ...shared }) => shared,
    );
    return context ?? null;
  }

  /** Drops what `scope` covers here and tells the other nodes. Call after the write committed. */
  invalidate(scope: CallContextScope): void {
    this.drop(scope);
    this.options.invalidations?.publish(scope);
  }

  close(): void {
    this.unsubscribe();
    this.contexts.drop();
  }

  private drop(scope: CallContextScope): void {
    if ('trackingNumber' in scope) this.contexts.drop((_context, number) => number === scope.trackingNumber);
    else this.contexts.drop((context) => context.line.orgId === scope.orgId);
  }
}
