// The objects outbound webhook events carry in `data.object`: each object's state
// when the event was written, with the fields the API returns for it.
import type { CallbackOutcome, CallbackStatus, LeadStatus, MessageDirection, MessageKind, MessageStatus } from './generated/graphql.js';

/** A lead, in `lead.created`, `lead.updated` and `lead.opted_out` events. */
export interface WebhookLead {
  id: string;
  /** The caller's number, E.164. */
  phone: string;
  name: string | null;
  status: LeadStatus;
  optedOut: boolean;
  /** ISO 8601. */
  createdAt: string;
  lastActivityAt: string;
}

/** A text from the caller, in `message.received` events. */
export interface WebhookMessage {
  id: string;
  leadId: string;
  direction: MessageDirection;
  kind: MessageKind;
  body: string;
  status: MessageStatus;
  createdAt: string;
}

/** A callback, in `callback.created` and `callback.completed` events. */
export interface WebhookCallback {
  id: string;
  leadId: string;
  status: CallbackStatus;
  /** 1 for the first attempt after a missed call; retries after NO_ANSWER / LEFT_VOICEMAIL count up. */
  attempt: number;
  dueAt: string;
  scheduledFor: string | null;
  outcome: CallbackOutcome | null;
  notes: string | null;
  completedAt: string | null;
  createdAt: string;
}
