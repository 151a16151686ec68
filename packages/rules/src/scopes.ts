// Roles and credential scopes (docs/api-conventions.md): defined here once, for the server
// and the dashboard. The server checks ROLES against its database enum at compile time.
export const ROLES = ['OWNER', 'ADMIN', 'DISPATCHER', 'ANALYST'] as const;
export type RoleName = (typeof ROLES)[number];

export const SCOPES = [
  'leads:read',
  'leads:write',
  'callbacks:read',
  'callbacks:write',
  'messages:send',
  'settings:read',
  'settings:write',
  'audit:read',
  'webhook_logs:read',
  'billing:read',
  'webhooks:read',
  'webhooks:write',
] as const;

export type Scope = (typeof SCOPES)[number];

/** What each scope lets a credential do (discovery pages and /actions.json). */
export const SCOPE_DESCRIPTIONS: Record<Scope, string> = {
  'leads:read': "Read leads, their events and messages, and the stats (a lead's callbacks also need callbacks:read).",
  'leads:write': "Change a lead's name or status and add notes.",
  'callbacks:read': "Read the callback queue (a callback's lead also needs leads:read).",
  'callbacks:write': 'Schedule, assign, complete and cancel callbacks.',
  'messages:send': 'Text a lead (opted-out callers are never texted).',
  'settings:read': 'Read settings and tracking lines.',
  'settings:write': 'Change settings.',
  'audit:read': 'Read the audit trail.',
  'webhook_logs:read': 'Read provider webhook logs.',
  'billing:read': 'Read subscription state and billing records.',
  'webhooks:read': 'Read outbound webhook endpoints (never their secrets) and every delivery with its attempts.',
  'webhooks:write': 'Add, change, delete and re-enable outbound webhook endpoints, rotate their signing secrets, and redeliver.',
};

/** What each role is for (discovery pages). */
export const ROLE_DESCRIPTIONS: Record<RoleName, string> = {
  OWNER: 'Runs the account: everything an ADMIN can do, plus managing other OWNERs.',
  ADMIN: 'Manages settings, staff (except OWNERs) and API credentials, and works the queue.',
  DISPATCHER: 'Works the queue: leads, messages and callbacks.',
  ANALYST: 'Reads everything for reporting, including the audit trail and webhook logs; changes nothing.',
};

export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}

/** Validates a requested scope list; returns the problems (empty when valid). */
export function scopeProblems(scopes: readonly string[]): string[] {
  const problems: string[] = [];
  if (scopes.length === 0) problems.push('at least one scope is required');
  for (const scope of scopes) {
    if (!isScope(scope)) problems.push(`unknown scope "${scope}" (known: ${SCOPES.join(', ')})`);
  }
  return problems;
}
