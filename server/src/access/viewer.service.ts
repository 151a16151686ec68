// Builds the `viewer` answer for an identity (also returned by signIn and switchOrganization).
import type { PrismaClient } from '../generated/prisma/client';
import type { Identity } from '../common/identity';
import type { Viewer } from './viewer.types';
import { ACCEPTED_MEMBERSHIP } from './staff';
import { staffLabel } from '../common/actor';
import { myMembership } from './members.service';

export async function viewerOf(prisma: PrismaClient, identity: Identity): Promise<Viewer> {
  const organization = identity.orgId ? await prisma.organization.findUnique({ where: { id: identity.orgId }, select: { id: true, name: true } }) : null;
  if (identity.kind === 'credential') {
    return {
      actorType: 'CREDENTIAL',
      label: `API credential ${identity.name} (${identity.prefix}…)`,
      organization,
      user: null,
      role: null,
      credential: { id: identity.credentialId, name: identity.name, prefix: identity.prefix },
      scopes: identity.scopes,
      memberships: [],
      member: null,
      identity,
    };
  }
  const user = await prisma.user.findUniqueOrThrow({
    where: { id: identity.userId },
    select: {
      id: true,
      email: true,
      name: true,
      memberships: {
        where: ACCEPTED_MEMBERSHIP,
        select: { role: true, org: { select: { id: true, name: true } } },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      },
    },
  });
  const label = staffLabel(user);
  const member =
    identity.orgId && identity.role
      ? await myMembership(prisma, { type: 'USER', id: user.id, label, orgId: identity.orgId, role: identity.role, request: {} })
      : null;
  return {
    actorType: 'USER',
    label,
    organization,
    user: { id: user.id, email: user.email, name: user.name },
    role: identity.role,
    credential: null,
    scopes: [],
    memberships: user.memberships.map((membership) => ({ organization: membership.org, role: membership.role })),
    member,
    identity,
  };
}
