// What the inbox's live subscription carries: which lead changed, how, and
// when. One channel per organization, so a subscriber only ever hears its own.
import type { LiveBus } from './live-bus';

export const INBOX_UPDATE_KINDS = ['MISSED_CALL', 'REPLY_RECEIVED', 'CALLBACK_DUE', 'CALLBACK_OVERDUE', 'LEAD_CHANGED'] as const;
export type InboxUpdateKind = (typeof INBOX_UPDATE_KINDS)[number];

export interface InboxUpdateNotice {
  orgId: string;
  kind: InboxUpdateKind;
  leadId: string;
  at: Date;
}

export function inboxChannel(orgId: string): string {
  return `inbox:${orgId}`;
}

/** Call after the transaction committed. */
export function publishInboxUpdate(bus: LiveBus, notice: InboxUpdateNotice): void {
  bus.publish(inboxChannel(notice.orgId), { kind: notice.kind, leadId: notice.leadId, at: notice.at.toISOString(), orgId: notice.orgId });
}

export function subscribeInboxUpdates(bus: LiveBus, orgId: string, listener: (notice: InboxUpdateNotice) => void): () => void {
  return bus.subscribe(inboxChannel(orgId), (message) => {
    const { kind, leadId, at } = message;
    if (typeof leadId !== 'string' || typeof at !== 'string' || !INBOX_UPDATE_KINDS.includes(kind as InboxUpdateKind)) return;
    if (message.orgId !== orgId) return;
    listener({ orgId, kind: kind as InboxUpdateKind, leadId, at: new Date(at) });
  });
}
