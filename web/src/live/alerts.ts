// What a live inbox update tells the staff member who is not looking: which
// updates alert (a missed call, a caller's reply) and the words of the alert.
import { preview } from '../lib/inbox';
import { formatPhone } from '../lib/time';

export type InboxUpdateKindName = 'MISSED_CALL' | 'REPLY_RECEIVED' | 'CALLBACK_DUE' | 'CALLBACK_OVERDUE' | 'LEAD_CHANGED';

export interface AlertLead {
  id: string;
  phone: string;
  name?: string | null;
  lastInboundText?: string | null;
}

export interface InboxAlert {
  title: string;
  body: string;
  /** One notification per lead: a second reply replaces the first instead of stacking. */
  tag: string;
  leadId: string;
}

/** Only a new missed call and a caller's reply interrupt; the rest just refresh the lists. */
export function alertFor(kind: InboxUpdateKindName, lead: AlertLead): InboxAlert | null {
  const who = lead.name?.trim() ? `${lead.name.trim()} · ${formatPhone(lead.phone)}` : formatPhone(lead.phone);
  if (kind === 'MISSED_CALL')
    return { title: `Missed call from ${who}`, body: 'Reply or call back from the CallSnare inbox.', tag: `lead-${lead.id}`, leadId: lead.id };
  if (kind === 'REPLY_RECEIVED')
    return { title: `Reply from ${who}`, body: preview(lead.lastInboundText) ?? 'The caller texted back.', tag: `lead-${lead.id}`, leadId: lead.id };
  return null;
}
