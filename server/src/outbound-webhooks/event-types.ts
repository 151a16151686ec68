// The outbound webhook event types: defined once. The API validates subscriptions against
// this list, the write paths name their type from it, and /docs/webhooks lists it.
export const WEBHOOK_EVENT_TYPES = ['lead.created', 'lead.updated', 'lead.opted_out', 'message.received', 'callback.created', 'callback.completed'] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** What each event says, and what `data.object` holds (/docs/webhooks, field descriptions). */
export const WEBHOOK_EVENT_DESCRIPTIONS: Record<WebhookEventType, { when: string; object: 'lead' | 'callback' | 'message' }> = {
  'lead.created': { when: 'A missed call opened a new lead.', object: 'lead' },
  'lead.updated': { when: "A lead's name or status changed (by staff, an API credential, a callback's outcome, or the caller replying).", object: 'lead' },
  'lead.opted_out': { when: 'The caller texted STOP (or the carrier reported an opt-out): nobody may text them until they opt back in.', object: 'lead' },
  'message.received': { when: 'The caller texted the shop.', object: 'message' },
  'callback.created': { when: 'A callback was opened: after a missed call, scheduled by staff, or the next attempt after no answer.', object: 'callback' },
  'callback.completed': { when: 'Staff recorded the outcome of a callback.', object: 'callback' },
};

export function isWebhookEventType(value: string): value is WebhookEventType {
  return (WEBHOOK_EVENT_TYPES as readonly string[]).includes(value);
}
