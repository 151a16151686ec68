// The objects outbound webhook events carry in `data.object`: the lead, callback or
// message as it is when the event is sent out (its current state, not a diff), with
// `object` naming which. Date-times are ISO 8601 strings, as in the API.
import type { CallbackOutcome, CallbackStatus, LeadStatus, MessageDirection, MessageKind, MessageStatus } from './generated/graphql.js';

/** A lead, in `lead.created`, `lead.updated` and `lead.opted_out` events. */
export interface WebhookLead {
  object: 'lead';
  id: string;
  /** The caller's number, E.164. */
  phone: string;
  name: string | null;
  status: LeadStatus;
  optedOut: boolean;
  /** The caller texted last and nobody has answered yet. */
  needsReply: boolean;
  /** Its open callback is past due. */
  callbackOverdue: boolean;
  /** The callback attempts ran out: staff must decide what happens to the lead. */
  needsDecision: boolean;
  createdAt: string;
  lastActivityAt: string;
  /** When the lead last changed: compare it with what you stored to skip stale deliveries. */
  updatedAt: string;
}

/** A text from the caller, in `message.received` events. */
export interface WebhookMessage {
  object: 'message';
  id: string;
  leadId: string;
  direction: MessageDirection;
  kind: MessageKind;
  body: string;
  status: MessageStatus;
  /** Sender, E.164 (the caller, for a received text). */
  from: string;
  /** Recipient, E.164 (the tracking number, for a received text). */
  to: string;
  createdAt: string;
}

/** A callback, in `callback.created` and `callback.completed` events. */
export interface WebhookCallback {
  object: 'callback';
  id: string;
  leadId: string;
  status: CallbackStatus;
  /** 1 for the first attempt; the retries after NO_ANSWER / LEFT_VOICEMAIL count up. */
  attempt: number;
  dueAt: string;
  scheduledFor: string | null;
  assigneeId: string | null;
  outcome: CallbackOutcome | null;
  notes: string | null;
  completedAt: string | null;
  canceledAt: string | null;
  createdAt: string;
  updatedAt: string;
}
