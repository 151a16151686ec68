import type { Tx } from '../db/types';
import { UsageError } from './runtime';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The org named by --org, or a usage error that says what is wrong with it. */
export function requireOrgIdFormat(orgId: string): void {
  if (!UUID.test(orgId)) throw new UsageError(`--org must be an organization id (a UUID), got "${orgId}"`);
}

export async function requireOrg(tx: Tx, orgId: string) {
  requireOrgIdFormat(orgId);
  const org = await tx.organization.findUnique({ where: { id: orgId }, select: { id: true, name: true } });
  if (!org) throw new UsageError(`no organization with id ${orgId}`);
  return org;
}
