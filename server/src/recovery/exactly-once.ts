// Exactly-once effects under at-least-once delivery. Each provider delivery
// has a key derived from the provider's id (LeadEvent.providerRef, unique):
// the transaction that applies the delivery inserts the event carrying that
// key, so a replay - sequential or concurrent, in any process - fails on the
// key and rolls back everything it did. (docs/decisions/0005-outbox-and-idempotency.md)
import type { PrismaClient } from '../generated/prisma/client';
import { inTransaction, type Tx } from '../db/types';
import { isUniqueViolation } from '../shared/errors';

export type OnceResult<T> = { duplicate: false; result: T } | { duplicate: true; orgId: string };

export async function applyOnce<T>(prisma: PrismaClient, providerRef: string, apply: (tx: Tx) => Promise<T>): Promise<OnceResult<T>> {
  // Cheap path for the common replay (a retry after a timeout, a retry storm):
  // one indexed read, no transaction.
  const seen = await alreadyApplied(prisma, providerRef);
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

async function alreadyApplied(prisma: PrismaClient, providerRef: string): Promise<{ duplicate: true; orgId: string } | null> {
  const event = await prisma.leadEvent.findUnique({ where: { providerRef }, select: { orgId: true } });
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
