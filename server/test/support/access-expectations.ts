// What the permission table says a caller should get, computed from the table
// row itself, independently of the shield's own decision function.
import type { Role } from '../../src/generated/prisma/enums';
import type { OperationPermission } from '../../src/access/permissions';
import type { Scope } from '../../src/access/scopes';

export type Caller = { kind: 'none' } | { kind: 'session'; role: Role } | { kind: 'credential'; scopes: Scope[]; label: string };

export type Expected = { verdict: 'allowed' } | { verdict: 'UNAUTHENTICATED' } | { verdict: 'FORBIDDEN'; extensions: Record<string, unknown> };

export function expectedFor(row: OperationPermission, caller: Caller): Expected {
  if (row.status === 'public') return { verdict: 'allowed' };
  if (caller.kind === 'none') return { verdict: 'UNAUTHENTICATED' };
  if (caller.kind === 'session') {
    if (row.roles === 'any' || row.roles.includes(caller.role)) return { verdict: 'allowed' };
    return { verdict: 'FORBIDDEN', extensions: { requiredRoles: [...row.roles] } };
  }
  if (row.status === 'internal') return { verdict: 'FORBIDDEN', extensions: { requiredIdentity: 'session' } };
  if (row.scope === null || caller.scopes.includes(row.scope)) return { verdict: 'allowed' };
  return { verdict: 'FORBIDDEN', extensions: { requiredScope: row.scope } };
}

export function describeCaller(caller: Caller): string {
  if (caller.kind === 'none') return 'no identity';
  if (caller.kind === 'session') return `${caller.role} session`;
  return `credential with ${caller.label}`;
}
