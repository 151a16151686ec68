// Service-side guards for staff-only actions. Shield already enforces the
// permission table at the edge; services repeat the few rules that do not
// depend on the edge (credentials never manage credentials or members), so the
// CLI, tests and any future caller get the same answer.
import { Prisma } from '../generated/prisma/client';
import type { Role } from '../generated/prisma/enums';
import type { Actor } from '../common/actor';
import { DomainError } from '../common/errors';

const MANAGERS: readonly Role[] = ['OWNER', 'ADMIN'];

/** Staff OWNER/ADMIN, or CallSnare itself (operator CLI, seeding). Never a credential. */
export function requireManager(actor: Actor, what: string): void {
  if (actor.type === 'SYSTEM') return;
  if (actor.type === 'USER' && actor.role && MANAGERS.includes(actor.role)) return;
  if (actor.type === 'CREDENTIAL') {
    throw new DomainError('FORBIDDEN', `API credentials cannot manage ${what}`, { requiredIdentity: 'session' });
  }
  throw new DomainError('FORBIDDEN', `Managing ${what} needs the OWNER or ADMIN role`, { requiredRoles: [...MANAGERS] });
}

/**
 * The one filter for memberships that grant access. A membership whose
 * invitation was not accepted yet grants nothing: sign-in, sessions, switching
 * organization and assignments all read memberships through this.
 */
export const ACCEPTED_MEMBERSHIP = { acceptedAt: { not: null } } as const;

/** ACCEPTED_MEMBERSHIP for a statement written in SQL, on the Membership row named `alias`. */
export function acceptedMembershipSql(alias: string): Prisma.Sql {
  return Prisma.raw(`${alias}."acceptedAt" IS NOT NULL`);
}
