// What a provider delivery needs to know about the org it belongs to, found
// from the number that was called or texted (`To`). The org is never taken
// from anything else the provider sends (e.g. MessagingServiceSid).
//
// One SQL statement: every Twilio delivery starts here, so this is on the hot
// path of every webhook (a Prisma query with two nested relations cost ~5x more).
import { Prisma, type PrismaClient } from '../generated/prisma/client';
import type { Tx } from '../db/types';
import type { TextBackSettings } from './text-back.policy';

export type CallSettings = TextBackSettings & {
  textBackCooldownMinutes: number;
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
      s."textBackCooldownMinutes", s."ringTimeoutSeconds", s."callbackSlaMinutes",
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
