// The `data` of each lead timeline event type, as the server writes it. `LeadEvent`
// is a union discriminated by `type`, so `if (event.type === 'CALL_MISSED')` types
// `event.data.callSid`. Every shape keeps an index signature: fields a newer
// server adds stay readable (as `unknown`), and code written against the old
// `Record<string, unknown>` type keeps compiling.
import type { CallbackOutcome, LeadEventFieldsFragment, LeadEventType, LeadStatus } from './generated/graphql.js';

/** Fields any event's data may carry beyond the documented ones (read them as `unknown`). */
interface OpenData {
  [field: string]: unknown;
}

/** Why a text-back was not sent. */
export type TextBackSkipReason = 'disabled' | 'opted_out' | 'own_number' | 'cooldown' | 'billing_paused';

export interface CallMissedData extends OpenData {
  /** The provider's call id. */
  callSid: string;
  /** The caller, E.164. */
  from: string;
  /** The tracking number called. */
  to: string;
  /** The shop phone the call was forwarded to. */
  forwardedTo: string;
  /** The provider's dial status, e.g. "no-answer", "busy". */
  dialStatus: string;
  ringSeconds: number | null;
  /** Present (true) when staff picked up but did not accept the call at the screening prompt. */
  notAcceptedAtScreening?: boolean;
}

export interface CallAnsweredData extends OpenData {
  callSid: string;
  from: string;
  to: string;
  durationSeconds: number | null;
  /** Answered on the forwarded leg, or accepted at the screening prompt. */
  via: 'dial' | 'screening';
}

export interface VoicemailRecordedData extends OpenData {
  callSid: string;
  recordingSid: string;
  recordingUrl: string;
  durationSeconds: number | null;
}

export interface TextBackQueuedData extends OpenData {
  messageId: string;
  callSid: string;
  template: 'business_hours' | 'after_hours';
  /** When quiet hours hold the text until later (ISO 8601); null when it leaves at once. */
  deferredUntil: string | null;
}

export interface TextBackSentData extends OpenData {
  messageId: string;
  providerSid: string;
  /** True when the send was confirmed by reconciling with the provider after a crash. */
  reconciled?: boolean;
}

export type TextBackSkippedData =
  | (OpenData & {
      /** A missed call that got no text-back. */
      callSid: string;
      reason: TextBackSkipReason;
      /** With reason "cooldown": the cooldown that applied. */
      cooldownMinutes?: number;
      /** With reason "billing_paused": why billing paused text-backs. */
      billing?: 'payment_overdue' | 'subscription_inactive';
    })
  | (OpenData & {
      /** A queued text-back withdrawn before it left because the caller opted out. */
      messageId: string;
      reason: 'opted_out';
    });

/** A text (a text-back or a staff text) that could not be delivered. */
export type MessageFailedData =
  | (OpenData & {
      /** The carrier reported it failed or undelivered. */
      messageId: string;
      providerSid: string;
      status: string;
      errorCode: string | null;
    })
  | (OpenData & {
      /** Sending failed: permanently, or after the last attempt. */
      messageId: string;
      attempts: number;
      errorCode: string | null;
      error: string;
      permanent: boolean;
    })
  | (OpenData & {
      /** Withdrawn before it left because the caller opted out. */
      messageId: string;
      reason: 'opted_out';
    });

export interface MessageSentData extends OpenData {
  messageId: string;
  body: string;
}

export interface MessageReceivedData extends OpenData {
  messageId: string;
  messageSid: string;
  body: string;
  mediaCount: number;
}

export interface HelpRequestedData extends OpenData {
  messageId: string;
}

export interface ConsentChangedData extends OpenData {
  /** What changed it: the keyword texted (STOP, START, …) or `carrier:<code>`. */
  cause: string;
  /** The message that caused it, when there is one. */
  messageId: string | null;
}

export interface StatusChangedData extends OpenData {
  from: LeadStatus;
  to: LeadStatus;
  /** Why CallSnare changed it (e.g. "caller replied", "callback BOOKED"); absent for a staff change without one. */
  reason?: string;
}

export interface LeadUpdatedData extends OpenData {
  name: { before: string | null; after: string | null };
}

export interface NoteAddedData extends OpenData {
  body: string;
}

export type CallbackOpenedData =
  | (OpenData & {
      /** The first attempt, opened by a missed call. */
      callbackId: string;
      callSid: string;
      attempt: number;
      dueAt: string;
      /** When the call came outside business hours: the next opening the due time counts from. */
      opensAt?: string;
    })
  | (OpenData & {
      /** The next attempt, opened after NO_ANSWER / LEFT_VOICEMAIL. */
      callbackId: string;
      attempt: number;
      retry: true;
      retryOf: string;
      outcome: CallbackOutcome;
      scheduledFor: string;
      dueAt: string;
    });

export interface CallbackScheduledData extends OpenData {
  callbackId: string;
  /** The agreed time, ISO 8601. */
  at: string;
  assigneeId: string | null;
}

export interface CallbackAssignedData extends OpenData {
  callbackId: string;
  /** null: unassigned. */
  assigneeId: string | null;
}

export interface CallbackCompletedData extends OpenData {
  callbackId: string;
  outcome: CallbackOutcome;
  notes: string | null;
  attempt: number;
  /** The retry this outcome opened, if any. */
  nextAttempt: { callbackId: string; attempt: number; scheduledFor: string } | null;
  /** Present (true) when the retries ran out and staff must decide what happens to the lead. */
  needsDecision?: boolean;
}

export interface CallbackCanceledData extends OpenData {
  callbackId: string;
  /** "lead closed" when closing the lead canceled it. */
  reason?: string;
}

export interface CallbackOverdueData extends OpenData {
  callbackId: string;
  dueAt: string;
  minutesLate: number;
}

/** The `data` of each `LeadEventType`. */
export interface LeadEventDataByType {
  CALL_MISSED: CallMissedData;
  CALL_ANSWERED: CallAnsweredData;
  VOICEMAIL_RECORDED: VoicemailRecordedData;
  TEXT_BACK_QUEUED: TextBackQueuedData;
  TEXT_BACK_SENT: TextBackSentData;
  TEXT_BACK_SKIPPED: TextBackSkippedData;
  TEXT_BACK_FAILED: MessageFailedData;
  MESSAGE_SENT: MessageSentData;
  MESSAGE_FAILED: MessageFailedData;
  MESSAGE_RECEIVED: MessageReceivedData;
  HELP_REQUESTED: HelpRequestedData;
  OPTED_OUT: ConsentChangedData;
  OPTED_IN: ConsentChangedData;
  STATUS_CHANGED: StatusChangedData;
  LEAD_UPDATED: LeadUpdatedData;
  NOTE_ADDED: NoteAddedData;
  CALLBACK_OPENED: CallbackOpenedData;
  CALLBACK_SCHEDULED: CallbackScheduledData;
  CALLBACK_ASSIGNED: CallbackAssignedData;
  CALLBACK_COMPLETED: CallbackCompletedData;
  CALLBACK_CANCELED: CallbackCanceledData;
  CALLBACK_OVERDUE: CallbackOverdueData;
}

/** The data of one event type, e.g. `LeadEventData<'CALL_MISSED'>`; every type's data without an argument. */
export type LeadEventData<TType extends LeadEventType = LeadEventType> = LeadEventDataByType[TType];

/** A timeline event of one type, e.g. `LeadEventOf<'NOTE_ADDED'>`. */
export type LeadEventOf<TType extends LeadEventType> = Omit<LeadEventFieldsFragment, 'type' | 'data'> & { type: TType; data: LeadEventDataByType[TType] };

/** One entry of a lead's timeline (CALL_MISSED, TEXT_BACK_SENT, NOTE_ADDED, …); `type` narrows `data`. */
export type LeadEvent = { [TType in LeadEventType]: LeadEventOf<TType> }[LeadEventType];
