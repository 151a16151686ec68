// How a lead's timeline reads (in words: dial results, skip reasons and outcomes; times
// through the caller's formatter, never raw ISO). Which status moves are allowed is the
// server's answer (Lead.allowedTransitions), not decided here.
import type { CallbackOutcome, LeadEventType } from '../generated/graphql';

/** A label per event type: a type the server adds fails the typecheck until it has one. */
const EVENT_LABELS: Record<LeadEventType, string> = {
  CALL_MISSED: 'Missed call',
  CALL_ANSWERED: 'Call answered',
  TEXT_BACK_QUEUED: 'Text-back queued',
  TEXT_BACK_SENT: 'Text-back sent',
  TEXT_BACK_FAILED: 'Text-back failed',
  TEXT_BACK_SKIPPED: 'Text-back skipped',
  MESSAGE_RECEIVED: 'Reply received',
  MESSAGE_SENT: 'Message sent',
  MESSAGE_FAILED: 'Message failed',
  NOTE_ADDED: 'Note',
  STATUS_CHANGED: 'Status changed',
  LEAD_UPDATED: 'Lead updated',
  CALLBACK_OPENED: 'Callback opened',
  CALLBACK_SCHEDULED: 'Callback scheduled',
  CALLBACK_ASSIGNED: 'Callback assigned',
  CALLBACK_COMPLETED: 'Callback completed',
  CALLBACK_CANCELED: 'Callback canceled',
  CALLBACK_OVERDUE: 'Callback overdue',
  OPTED_OUT: 'Opted out (STOP)',
  OPTED_IN: 'Opted back in',
  HELP_REQUESTED: 'Asked for HELP',
  VOICEMAIL_RECORDED: 'Voicemail',
};

export function eventLabel(type: LeadEventType): string {
  return EVENT_LABELS[type];
}

/**
 * Twilio's DialCallStatus for a call nobody took (the server's MISSED_DIAL_STATUSES, and
 * "completed" when call screening was on and nobody pressed 1).
 */
const NOT_ACCEPTED_AT_SCREENING = 'Nobody pressed 1 at the screening prompt (a voicemail box may have picked up)';

export const DIAL_OUTCOMES: Record<string, string> = {
  'no-answer': 'Nobody answered',
  busy: 'The line was busy',
  failed: 'The call could not be connected',
  canceled: 'The caller hung up before anyone answered',
  completed: NOT_ACCEPTED_AT_SCREENING,
};

type EventData = Record<string, unknown>;

/** Why no automatic text went out (TextBackSkipReason on the server), as staff would say it. */
export const SKIP_REASONS: Record<string, (data: EventData) => string> = {
  opted_out: () => 'The caller has opted out (texted STOP): nothing is sent until they text START.',
  own_number: () => "The call came from one of the shop's own numbers.",
  disabled: () => 'Automatic text-backs are turned off in Settings.',
  cooldown: (data) => {
    const minutes = num(data, 'cooldownMinutes');
    return minutes
      ? `This caller was already texted in the last ${formatMinutes(minutes)} (the text-back cooldown).`
      : 'This caller was already texted recently (the text-back cooldown).';
  },
  frequency_cap: (data) => {
    const cap = num(data, 'maxAutomatedTextsPerDay');
    return cap
      ? `This caller already got ${cap} automatic ${cap === 1 ? 'text' : 'texts'} in the last 24 hours (the daily limit in Settings).`
      : 'This caller already got the most automatic texts allowed in 24 hours (the daily limit in Settings).';
  },
  billing_paused: (data) =>
    data.billing === 'payment_overdue'
      ? 'Text-backs are paused: a payment is overdue (see Billing).'
      : data.billing === 'subscription_inactive'
        ? 'Text-backs are paused: the subscription is not active (see Billing).'
        : 'Text-backs are paused by the billing plan (see Billing).',
};

export function skipReasonWords(data: EventData): string {
  const reason = str(data, 'reason');
  if (!reason) return 'No reason was recorded.';
  return SKIP_REASONS[reason]?.(data) ?? `Skipped (${reason.replace(/_/g, ' ')}).`;
}

export function dialOutcomeWords(data: EventData): string {
  const status = str(data, 'dialStatus') ?? str(data, 'status');
  if (data.notAcceptedAtScreening === true) return NOT_ACCEPTED_AT_SCREENING;
  if (!status) return '';
  return DIAL_OUTCOMES[status] ?? `Call ended: ${status.replace(/-/g, ' ')}`;
}

export interface EventWording {
  /** Formats an ISO instant for people (the shop's zone); never shown raw. */
  time: (iso: string) => string;
  /** A staff member's name from their user id, when known. */
  person?: (userId: string) => string | undefined;
}

/** One line of detail for a timeline event, from its data. */
export function eventDetail(type: LeadEventType, data: EventData, wording: EventWording): string {
  const when = (key: string) => {
    const iso = str(data, key);
    return iso && !Number.isNaN(Date.parse(iso)) ? wording.time(iso) : undefined;
  };
  const attempt = num(data, 'attempt');
  const attemptNote = attempt && attempt > 1 ? `attempt ${attempt}` : undefined;
  switch (type) {
    case 'CALL_MISSED': {
      const rang = num(data, 'ringSeconds');
      return join([dialOutcomeWords(data), rang ? `rang ${rang} s` : undefined]);
    }
    case 'CALL_ANSWERED':
      return join([data.via === 'screening' ? 'Accepted at the screening prompt' : undefined, duration(num(data, 'durationSeconds'), 'talked')]);
    case 'TEXT_BACK_SKIPPED':
      return skipReasonWords(data);
    case 'TEXT_BACK_QUEUED': {
      const template = data.template === 'after_hours' ? 'After-hours text' : data.template === 'business_hours' ? 'Business-hours text' : undefined;
      const heldUntil = when('deferredUntil');
      return join([template, heldUntil ? `held for quiet hours until ${heldUntil}` : undefined, str(data, 'body')]);
    }
    case 'TEXT_BACK_SENT':
    case 'MESSAGE_SENT':
      return str(data, 'body') ?? '';
    case 'TEXT_BACK_FAILED':
    case 'MESSAGE_FAILED':
      return failureWords(data);
    case 'MESSAGE_RECEIVED': {
      const media = num(data, 'mediaCount');
      return join([str(data, 'body'), media ? `${media} attachment${media === 1 ? '' : 's'}` : undefined]);
    }
    case 'NOTE_ADDED':
      return str(data, 'body') ?? '';
    case 'STATUS_CHANGED': {
      const from = str(data, 'from');
      const to = str(data, 'to');
      return join([from && to ? `${statusWord(from)} → ${statusWord(to)}` : undefined, str(data, 'reason')]);
    }
    case 'LEAD_UPDATED': {
      const name = data.name as { before?: unknown; after?: unknown } | undefined;
      if (!name || typeof name !== 'object') return '';
      const before = typeof name.before === 'string' && name.before ? `“${name.before}”` : 'no name';
      const after = typeof name.after === 'string' && name.after ? `“${name.after}”` : 'no name';
      return `Name: ${before} → ${after}`;
    }
    case 'CALLBACK_OPENED':
      return join([attemptNote, when('dueAt') ? `due ${when('dueAt')}` : undefined]);
    case 'CALLBACK_SCHEDULED':
      return join([attemptNote, when('at') ? `for ${when('at')}` : undefined, assigneeWords(data, wording, true)]);
    case 'CALLBACK_ASSIGNED':
      return assigneeWords(data, wording, false) ?? '';
    case 'CALLBACK_COMPLETED': {
      const outcome = str(data, 'outcome');
      return join([attemptNote, outcome ? outcomeLabel(outcome) : undefined, str(data, 'notes')]);
    }
    case 'CALLBACK_CANCELED':
      return data.reason === 'lead closed' ? 'The lead was closed' : (str(data, 'reason') ?? '');
    case 'CALLBACK_OVERDUE':
      return join([attemptNote, when('dueAt') ? `was due ${when('dueAt')}` : undefined]);
    case 'OPTED_OUT':
    case 'OPTED_IN':
      return consentWords(str(data, 'cause'));
    case 'HELP_REQUESTED':
      return 'The caller texted HELP; the help text was sent.';
    case 'VOICEMAIL_RECORDED':
      return duration(num(data, 'durationSeconds'), 'length') ?? '';
    default:
      return str(data, 'reason') ?? str(data, 'body') ?? '';
  }
}

function failureWords(data: EventData): string {
  if (data.reason === 'opted_out') return 'Not sent: the caller opted out before it left.';
  const code = str(data, 'errorCode');
  const status = str(data, 'status');
  return join([
    status ? `The carrier reported it ${status.toLowerCase()}` : 'Not sent',
    code ? `error ${code}` : undefined,
    data.permanent === false ? 'gave up after retries' : undefined,
  ]);
}

function consentWords(cause: string | undefined): string {
  if (!cause) return '';
  if (cause.startsWith('carrier:')) return `The carrier reports this number has opted out (error ${cause.slice('carrier:'.length)}).`;
  return `The caller texted ${cause.toUpperCase()}.`;
}

function assigneeWords(data: EventData, wording: EventWording, onlyWhenSet: boolean): string | undefined {
  if (!('assigneeId' in data)) return undefined;
  const id = str(data, 'assigneeId');
  if (!id) return onlyWhenSet ? undefined : 'Now unassigned';
  const name = wording.person?.(id);
  return name ? `to ${name}` : 'to a staff member';
}

function duration(seconds: number | undefined, label: string): string | undefined {
  if (seconds === undefined) return undefined;
  return seconds < 60 ? `${label} ${seconds} s` : `${label} ${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

export function formatMinutes(minutes: number): string {
  if (minutes % 1440 === 0) return `${minutes / 1440} day${minutes === 1440 ? '' : 's'}`;
  if (minutes % 60 === 0) return `${minutes / 60} hour${minutes === 60 ? '' : 's'}`;
  if (minutes > 60) return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}

function statusWord(status: string): string {
  return status.charAt(0) + status.slice(1).toLowerCase();
}

function str(data: EventData, key: string): string | undefined {
  const value = data[key];
  return typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? String(value) : undefined;
}

function num(data: EventData, key: string): number | undefined {
  const value = data[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function join(parts: (string | undefined)[]): string {
  return parts.filter(Boolean).join(' · ');
}

/** Every callback outcome, in the order staff are offered them: a new outcome fails the typecheck here. */
const OFFERED_OUTCOMES: Record<CallbackOutcome, true> = { BOOKED: true, NO_ANSWER: true, LEFT_VOICEMAIL: true, NOT_INTERESTED: true, WRONG_NUMBER: true };
export const CALLBACK_OUTCOMES = Object.keys(OFFERED_OUTCOMES) as CallbackOutcome[];

/** "NO_ANSWER" -> "No answer" (also for an outcome read from an event's data). */
export function outcomeLabel(outcome: string): string {
  return outcome.charAt(0) + outcome.slice(1).toLowerCase().replace(/_/g, ' ');
}

/**
 * The callback retry cadence as staff type it: "60, 240", or with units "1h, 4h, 1d".
 * Returns the minutes, or the problem with the text (the server checks the limits again).
 */
export function parseRetryMinutes(text: string): { minutes: number[] } | { problem: string } {
  const parts = text.split(/[,\s]+/).filter(Boolean);
  const minutes: number[] = [];
  for (const part of parts) {
    const m = /^(\d+)\s*(m|min|h|d)?$/i.exec(part);
    if (!m) return { problem: `"${part}" is not a number of minutes (e.g. 60, 4h, 1d)` };
    const unit = (m[2] ?? 'm').toLowerCase();
    minutes.push(Number(m[1]) * (unit === 'h' ? 60 : unit === 'd' ? 1440 : 1));
  }
  return { minutes };
}

/** "Attempt 2 1 hour after attempt 1, attempt 3 4 hours after attempt 2; then the lead needs a decision." */
export function describeRetryCadence(minutes: readonly number[]): string {
  if (minutes.length === 0) return 'No retries: after one unanswered callback the lead needs a decision.';
  const steps = minutes.map((wait, i) => `attempt ${i + 2} ${formatMinutes(wait)} after attempt ${i + 1}`);
  const text = steps.join(', ');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}; after that the lead needs a decision. Retries wait for business hours.`;
}
