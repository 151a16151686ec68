// The inbox's order: what needs action comes first.
export interface InboxLead {
  id: string;
  status: string;
  optedOut: boolean;
  lastActivityAt: string;
}

export type InboxReason = 'overdue' | 'new' | 'updated' | null;

/** Why a lead needs action now, most urgent reason first. */
export function inboxReason(lead: InboxLead, overdueLeadIds: ReadonlySet<string>, seen: Readonly<Record<string, string>>): InboxReason {
  if (overdueLeadIds.has(lead.id) && (lead.status === 'NEW' || lead.status === 'CONTACTED')) return 'overdue';
  if (lead.status === 'NEW') return 'new';
  if (isUpdatedSinceSeen(lead, seen)) return 'updated';
  return null;
}

export function isUpdatedSinceSeen(lead: InboxLead, seen: Readonly<Record<string, string>>): boolean {
  const lastSeen = seen[lead.id];
  return !lastSeen || new Date(lead.lastActivityAt).getTime() > new Date(lastSeen).getTime();
}

const RANK: Record<Exclude<InboxReason, null> | 'none', number> = { overdue: 0, new: 1, updated: 2, none: 3 };

/** Overdue callbacks, then new missed calls, then updated leads, then the rest; newest activity first within each. */
export function sortInbox<T extends InboxLead>(leads: readonly T[], overdueLeadIds: ReadonlySet<string>, seen: Readonly<Record<string, string>>): T[] {
  return [...leads].sort((a, b) => {
    const ra = RANK[inboxReason(a, overdueLeadIds, seen) ?? 'none'];
    const rb = RANK[inboxReason(b, overdueLeadIds, seen) ?? 'none'];
    if (ra !== rb) return ra - rb;
    return new Date(b.lastActivityAt).getTime() - new Date(a.lastActivityAt).getTime();
  });
}

const SEEN_KEY = 'callsnare.seenLeads';

/** Per-browser "read" markers: leadId -> the lastActivityAt the user last opened. */
export function loadSeen(): Record<string, string> {
  try {
    return JSON.parse(localStorage.getItem(SEEN_KEY) ?? '{}') as Record<string, string>;
  } catch {
    return {};
  }
}

export function markSeen(leadId: string, lastActivityAt: string): void {
  try {
    const seen = loadSeen();
    seen[leadId] = lastActivityAt;
    localStorage.setItem(SEEN_KEY, JSON.stringify(seen));
  } catch {
    // Private mode without storage: markers just don't persist.
  }
}
