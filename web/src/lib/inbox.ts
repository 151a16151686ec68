// How a lead in the inbox reads: what it needs now (from the server's flags;
// the order itself comes from the server's `inbox` query) and whether this
// staff member has seen its latest activity (server read state).
export interface InboxLead {
  id: string;
  status: string;
  needsReply: boolean;
  callbackOverdue: boolean;
  needsDecision: boolean;
  unread: boolean;
}

/** What the lead needs, most urgent first; null when nothing is waiting. */
export type InboxNeed = 'reply' | 'overdue' | 'decision' | 'new' | null;

const OPEN = new Set(['NEW', 'CONTACTED']);

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

// ── Until the inbox page reads `inbox(first, after)`: the browser-side order and
// per-browser seen markers it still uses. Removed with that switch.
export type InboxReason = 'overdue' | 'new' | 'updated' | null;
interface LegacyInboxLead {
  id: string;
  status: string;
  lastActivityAt: string;
}
export function inboxReason(lead: LegacyInboxLead, overdueLeadIds: ReadonlySet<string>, seen: Readonly<Record<string, string>>): InboxReason {
  if (overdueLeadIds.has(lead.id) && (lead.status === 'NEW' || lead.status === 'CONTACTED')) return 'overdue';
  if (lead.status === 'NEW') return 'new';
  const lastSeen = seen[lead.id];
  if (!lastSeen || new Date(lead.lastActivityAt).getTime() > new Date(lastSeen).getTime()) return 'updated';
  return null;
}
const RANK: Record<Exclude<InboxReason, null> | 'none', number> = { overdue: 0, new: 1, updated: 2, none: 3 };
export function sortInbox<T extends LegacyInboxLead>(leads: readonly T[], overdueLeadIds: ReadonlySet<string>, seen: Readonly<Record<string, string>>): T[] {
  return [...leads].sort((a, b) => {
    const ra = RANK[inboxReason(a, overdueLeadIds, seen) ?? 'none'];
    const rb = RANK[inboxReason(b, overdueLeadIds, seen) ?? 'none'];
    if (ra !== rb) return ra - rb;
    return new Date(b.lastActivityAt).getTime() - new Date(a.lastActivityAt).getTime();
  });
}
export function loadSeen(): Record<string, string> {
  try {
    return JSON.parse(localStorage.getItem('callsnare.seenLeads') ?? '{}') as Record<string, string>;
  } catch {
    return {};
  }
}
