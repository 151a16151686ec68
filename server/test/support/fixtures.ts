// Small builders for test data, going through the real services.
import type { Database } from '../../src/db/client';
import { inTransaction } from '../../src/db/types';
import { createOrganization } from '../../src/organizations/organizations.service';
import { createApiCredential } from '../../src/access/credentials.service';
import { systemActor } from '../../src/shared/actor';
import type { Scope } from '../../src/access/scopes';

let counter = 0;

export async function createTestOrg(db: Database, overrides: { name?: string; trackingNumber?: string; forwardTo?: string } = {}) {
  counter += 1;
  const suffix = `${process.pid}${counter}`.slice(-4).padStart(4, '0');
  return inTransaction(db.prisma, (tx) =>
    createOrganization(tx, { label: 'test' }, {
      name: overrides.name ?? `Test HVAC ${counter}`,
      ownerEmail: `owner${counter}-${process.pid}@test.example`,
      ownerPassword: 'correct horse battery',
      trackingLine: { number: overrides.trackingNumber ?? `+1500555${suffix}`, forwardTo: overrides.forwardTo ?? '+15005550001' },
    }),
  );
}

export async function createTestCredential(db: Database, orgId: string, scopes: Scope[], name = 'test credential') {
  return inTransaction(db.prisma, (tx) => createApiCredential(tx, systemActor(orgId, 'test'), { name, scopes }, 'TEST'));
}
