// What the dashboard offers each member. The server says which operations the
// signed-in member may call (viewer.capabilities, decided by its permission table)
// and which roles they may hand out (viewer.assignableRoles); nothing here copies
// those rules. Pages ask `can('updateLead')`; the server still enforces every call.
import type { Operation } from '../generated/graphql';

/** Whether the member may call an operation, from the viewer's capabilities. */
export type Can = (operation: Operation) => boolean;

export function canFrom(capabilities: readonly Operation[]): Can {
  const allowed = new Set(capabilities);
  return (operation) => allowed.has(operation);
}

export interface NavItem {
  to: string;
  label: string;
  /** The query the page reads: the page is offered when the member may call it. */
  operation: Operation;
}

export const NAV_ITEMS: readonly NavItem[] = [
  { to: '/', label: 'Inbox', operation: 'inbox' },
  { to: '/callbacks', label: 'Callbacks', operation: 'callbacks' },
  { to: '/reports', label: 'Reports', operation: 'stats' },
  { to: '/settings', label: 'Settings', operation: 'settings' },
  { to: '/credentials', label: 'API credentials', operation: 'apiCredentials' },
  { to: '/members', label: 'Members', operation: 'members' },
  { to: '/audit', label: 'Audit log', operation: 'auditEntries' },
  { to: '/webhooks', label: 'Webhook log', operation: 'webhookLogs' },
  { to: '/billing', label: 'Billing', operation: 'billing' },
];

export function navFor(can: Can): NavItem[] {
  return NAV_ITEMS.filter((item) => can(item.operation));
}

/** How staff are named on every page: their name, else their sign-in email. */
export function memberName(member: { name?: string | null; email: string }): string {
  return member.name?.trim() || member.email;
}
