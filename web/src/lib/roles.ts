// Which dashboard pages each role may use: mirrors the permission table
// (server/src/access/permissions.ts) for navigation only — the
// server still enforces every call.
export type Role = 'OWNER' | 'ADMIN' | 'DISPATCHER' | 'ANALYST';

export type Capability =
  | 'inbox'
  | 'callbacks'
  | 'reports'
  | 'settings.read'
  | 'settings.write'
  | 'credentials'
  | 'members'
  | 'audit'
  | 'webhookLogs'
  | 'billing'
  | 'leads.write'
  | 'callbacks.write'
  | 'messages.send';

const ALL: Role[] = ['OWNER', 'ADMIN', 'DISPATCHER', 'ANALYST'];
const MANAGERS: Role[] = ['OWNER', 'ADMIN'];
const WORKERS: Role[] = ['OWNER', 'ADMIN', 'DISPATCHER'];
const EVIDENCE: Role[] = ['OWNER', 'ADMIN', 'ANALYST'];

const CAPABILITIES: Record<Capability, Role[]> = {
  inbox: ALL,
  callbacks: ALL,
  reports: ALL,
  'settings.read': ALL,
  'settings.write': MANAGERS,
  credentials: MANAGERS,
  members: MANAGERS,
  audit: EVIDENCE,
  webhookLogs: EVIDENCE,
  billing: EVIDENCE,
  'leads.write': WORKERS,
  'callbacks.write': WORKERS,
  'messages.send': WORKERS,
};

export function can(role: Role | null | undefined, capability: Capability): boolean {
  return !!role && CAPABILITIES[capability].includes(role);
}

export interface NavItem {
  to: string;
  label: string;
  capability: Capability;
}

export const NAV_ITEMS: NavItem[] = [
  { to: '/', label: 'Inbox', capability: 'inbox' },
  { to: '/callbacks', label: 'Callbacks', capability: 'callbacks' },
  { to: '/reports', label: 'Reports', capability: 'reports' },
  { to: '/settings', label: 'Settings', capability: 'settings.read' },
  { to: '/credentials', label: 'API credentials', capability: 'credentials' },
  { to: '/members', label: 'Members', capability: 'members' },
  { to: '/audit', label: 'Audit log', capability: 'audit' },
  { to: '/webhooks', label: 'Webhook log', capability: 'webhookLogs' },
  { to: '/billing', label: 'Billing', capability: 'billing' },
];

export function navFor(role: Role | null | undefined): NavItem[] {
  return NAV_ITEMS.filter((item) => can(role, item.capability));
}

/** Roles a member manager may hand out: only an OWNER makes OWNERs. */
export function assignableRoles(actor: Role | null | undefined): Role[] {
  if (actor === 'OWNER') return ['OWNER', 'ADMIN', 'DISPATCHER', 'ANALYST'];
  if (actor === 'ADMIN') return ['ADMIN', 'DISPATCHER', 'ANALYST'];
  return [];
}

/** How staff are named on every page: their name, else their sign-in email. */
export function memberName(member: { name?: string | null; email: string }): string {
  return member.name?.trim() || member.email;
}
