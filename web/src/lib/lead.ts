// Lead page rules that live in the UI: allowed status moves and how timeline events read.
export type LeadStatusName = 'NEW' | 'CONTACTED' | 'BOOKED' | 'LOST';

/** Mirrors UpdateLeadInput.status's documented transitions. */
export const STATUS_TRANSITIONS: Record<LeadStatusName, LeadStatusName[]> = {
  NEW: ['CONTACTED', 'BOOKED', 'LOST'],
  CONTACTED: ['BOOKED', 'LOST'],
  BOOKED: ['CONTACTED', 'LOST'],
  LOST: ['CONTACTED'],
};

const EVENT_LABELS: Record<string, string> = {
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

export function eventLabel(type: string): string {
  return EVENT_LABELS[type] ?? type.replace(/_/g, ' ').toLowerCase();
}

/** One line of detail for a timeline event, from its data. */
export function eventDetail(type: string, data: Record<string, unknown>): string {
  const str = (key: string) => (typeof data[key] === 'string' || typeof data[key] === 'number' ? String(data[key]) : undefined);
  switch (type) {
    case 'STATUS_CHANGED':
      return str('from') && str('to') ? `${str('from')} → ${str('to')}` : '';
    case 'NOTE_ADDED':
      return str('body') ?? '';
    case 'CALL_MISSED':
      return [str('from') && `from ${str('from')}`, str('dialCallStatus') ?? str('status')].filter(Boolean).join(' · ');
    case 'TEXT_BACK_SKIPPED':
      return str('reason') ?? '';
    case 'MESSAGE_RECEIVED':
    case 'MESSAGE_SENT':
    case 'TEXT_BACK_SENT':
    case 'TEXT_BACK_QUEUED':
      return str('body') ?? str('status') ?? '';
    case 'CALLBACK_COMPLETED':
      return [str('outcome'), str('notes')].filter(Boolean).join(' · ');
    case 'CALLBACK_SCHEDULED':
      return str('at') ?? str('scheduledFor') ?? '';
    default:
      return str('reason') ?? str('body') ?? '';
  }
}

export const CALLBACK_OUTCOMES = ['BOOKED', 'NO_ANSWER', 'LEFT_VOICEMAIL', 'NOT_INTERESTED', 'WRONG_NUMBER'] as const;
export type CallbackOutcomeName = (typeof CALLBACK_OUTCOMES)[number];

export function outcomeLabel(outcome: string): string {
  return outcome.charAt(0) + outcome.slice(1).toLowerCase().replace(/_/g, ' ');
}
