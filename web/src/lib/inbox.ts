// How a lead in the inbox reads: what it needs now (from the server's flags;
// the order itself comes from the server's `inbox` query) and whether this
// staff member has seen its latest activity (server read state).
import type { LeadStatus } from '../generated/graphql';

export interface InboxLead {
  id: string;
  status: LeadStatus;
  needsReply: boolean;
  callbackOverdue: boolean;
  needsDecision: boolean;
  unread: boolean;
}

/** What the lead needs, most urgent first; null when nothing is waiting. */
export type InboxNeed = 'reply' | 'overdue' | 'decision' | 'new' | null;

const OPEN = new Set<LeadStatus>(['NEW', 'CONTACTED']);

export function inboxNeed(lead: InboxLead): InboxNeed {
  if (lead.needsReply) return 'reply';
  if (!OPEN.has(lead.status)) return null;
  if (lead.callbackOverdue) return 'overdue';
  if (lead.needsDecision) return 'decision';
  if (lead.status === 'NEW') return 'new';
  return null;
}

export const NEED_LABEL: Record<Exclude<InboxNeed, null>, string> = {
  reply: 'Needs reply',
  overdue: 'Callback overdue',
  decision: 'Needs a decision',
  new: 'New missed call',
};

/** The inbox view from the page's URL: the server's work order, or a filtered list. */
export interface InboxView {
  status: string;
  search: string;
  since: string;
  until: string;
  needsReply: boolean;
}

/** Unfiltered open leads come from `inbox` (work order); anything else from `leads(filter)`. */
export function usesWorkOrder(view: InboxView): boolean {
  return view.status === 'OPEN' && !view.search && !view.since && !view.until && !view.needsReply;
}

const PREVIEW_MAX = 140;

/** A caller's message on one line, cut at a word boundary. */
export function preview(text: string | null | undefined, max = PREVIEW_MAX): string | null {
  const line = text?.replace(/\s+/g, ' ').trim();
  if (!line) return null;
  if (line.length <= max) return line;
  const cut = line.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
