// Builds the `viewer` answer for an identity (also returned by signIn and switchOrganization).
import type { PrismaClient } from '../generated/prisma/client';
import type { Identity } from '../graphql/context';
import type { Viewer } from './viewer.types';
import { ACCEPTED_MEMBERSHIP } from './staff';

export async function viewerOf(prisma: PrismaClient, identity: Identity): Promise<Viewer> {
  const organization = identity.orgId
    ? await prisma.organization.findUnique({ where: { id: identity.orgId }, select: { id: true, name: true } })
    : null;
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
  return {
    actorType: 'USER',
    label: user.email,
    organization,
    user: { id: user.id, email: user.email, name: user.name },
    role: identity.role,
    credential: null,
    scopes: [],
    memberships: user.memberships.map((membership) => ({ organization: membership.org, role: membership.role })),
  };
}
