// "Needs your attention" for one staff member: the number in the tab title.
import type { LeadStatus } from '../generated/graphql';

export interface AttentionLead {
  id: string;
  status: LeadStatus;
  needsReply: boolean;
  unread: boolean;
}

/**
 * Callers waiting for an answer (everyone's work, read or not) plus new missed
 * calls this staff member has not opened yet. `needsReplyTotal` is the server's
 * count; `inboxHead` is the top of the inbox in work order (replies, overdue,
 * then new missed calls), which holds the unread missed calls that matter.
 */
export function attentionCount(needsReplyTotal: number, inboxHead: readonly AttentionLead[]): number {
  const newUnread = inboxHead.filter((lead) => !lead.needsReply && lead.status === 'NEW' && lead.unread).length;
  return needsReplyTotal + newUnread;
}
