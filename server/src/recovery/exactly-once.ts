// Exactly-once effects under at-least-once delivery. Each provider delivery
// has a key derived from the provider's id (LeadEvent.providerRef, unique):
// the transaction that applies the delivery inserts the event carrying that
// key, so a replay - sequential or concurrent, in any process - fails on the
// key and rolls back everything it did. (docs/decisions/0005-outbox-and-idempotency.md)
import type { PrismaClient } from '../generated/prisma/client';
import { inTransaction, type Tx } from '../db/types';
import { isUniqueViolation } from '../common/errors';
import { crossTenant } from '../db/tenant-guard';

export type OnceResult<T> = { duplicate: false; result: T } | { duplicate: true; orgId: string };

/**
 * `checked`: the caller already looked the key up (findCallContext's seenRefs,
 * in the statement it ran anyway) and knows whether it was applied, for this orgId.
 */
export async function applyOnce<T>(
  prisma: PrismaClient,
  providerRef: string,
  apply: (tx: Tx) => Promise<T>,
  checked?: { applied: boolean; orgId: string },
): Promise<OnceResult<T>> {
  // Cheap path for the common replay (a retry after a timeout, a retry storm):
  // one indexed read (or none, when the caller already did it), no transaction.
  if (checked?.applied) return { duplicate: true, orgId: checked.orgId };
  const seen = checked ? null : await alreadyApplied(prisma, providerRef);
  if (seen) return seen;
  try {
    return { duplicate: false, result: await inTransaction(prisma, apply) };
  } catch (error) {
    // A concurrent replay committed first; the unique key stopped this one. Any
    // other unique violation (no key committed) is a real failure.
    if (isUniqueViolation(error)) {
      const raced = await alreadyApplied(prisma, providerRef);
      if (raced) return raced;
    }
    throw error;
  }
}

/**
 * After a write failed: when it failed on a unique key because a concurrent
 * delivery of `providerRef` committed first, that delivery's answer; else null.
 */
export async function appliedConcurrently(prisma: PrismaClient, providerRef: string, error: unknown): Promise<{ duplicate: true; orgId: string } | null> {
  if (!isUniqueViolation(error)) return null;
  return alreadyApplied(prisma, providerRef);
}

async function alreadyApplied(prisma: PrismaClient, providerRef: string): Promise<{ duplicate: true; orgId: string } | null> {
  // Before the org is known: the provider's id is unique across all shops, and the answer names the org.
  const event = await crossTenant('a provider id is unique across organizations', () =>
    prisma.leadEvent.findUnique({ where: { providerRef }, select: { orgId: true } }),
  );
  return event ? { duplicate: true, orgId: event.orgId } : null;
}

/** The keys, in one place. */
export const providerRefs = {
  callMissed: (callSid: string) => `call_missed:${callSid}`,
  callAnswered: (callSid: string) => `call_answered:${callSid}`,
  /** Staff pressed 1 at the call-screening prompt (keyed by the caller's leg, the parent call). */
  callAccepted: (parentCallSid: string) => `call_accepted:${parentCallSid}`,
  voicemail: (recordingSid: string) => `voicemail:${recordingSid}`,
  inboundSms: (messageSid: string) => `sms:${messageSid}`,
} as const;

/** Message.idempotencyKey values. */
export const messageKeys = {
  textBack: (callSid: string) => `textback:${callSid}`,
  helpReply: (messageSid: string) => `help:${messageSid}`,
} as const;
