// Roles and credential scopes of CONTRACT §5: defined here once, imported everywhere.
import type { Role } from '../generated/prisma/enums';

export const ROLES = ['OWNER', 'ADMIN', 'DISPATCHER', 'ANALYST'] as const satisfies readonly Role[];

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
] as const;

export type Scope = (typeof SCOPES)[number];

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
