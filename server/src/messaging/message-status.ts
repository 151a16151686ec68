// Outbound message status as an ordered lifecycle. Provider callbacks arrive
// late and out of order, so a status only ever moves forward: a late `sent`
// never turns a DELIVERED message back into SENT.
import type { MessageStatus } from '../generated/prisma/enums';

/** Position in the lifecycle; terminal states share the last rank (the first one reported wins). */
const RANK: Record<MessageStatus, number> = {
  QUEUED: 0,
  SENDING: 1,
  SENT: 2,
  DELIVERED: 3,
  UNDELIVERED: 3,
  FAILED: 3,
  CANCELED: 3,
  RECEIVED: 3,
};

/** True when moving from `current` to `next` is progress (never sideways between terminal states). */
export function isForward(current: MessageStatus, next: MessageStatus): boolean {
  return RANK[next] > RANK[current];
}

/** Statuses a message can still leave; used as the guard of conditional updates. */
export function statusesBefore(next: MessageStatus): MessageStatus[] {
  return (Object.keys(RANK) as MessageStatus[]).filter((status) => RANK[status] < RANK[next]);
}

/**
 * Twilio's MessageStatus values mapped to ours. Everything Twilio reports
 * before `sent` means "the provider has it", which is our SENT.
 */
const TWILIO_STATUS: Record<string, MessageStatus> = {
  accepted: 'SENT',
  scheduled: 'SENT',
  queued: 'SENT',
  sending: 'SENT',
  sent: 'SENT',
  delivered: 'DELIVERED',
  read: 'DELIVERED',
  undelivered: 'UNDELIVERED',
  failed: 'FAILED',
  canceled: 'FAILED',
};

export function fromTwilioStatus(status: string): MessageStatus | null {
  return TWILIO_STATUS[status.toLowerCase()] ?? null;
}
