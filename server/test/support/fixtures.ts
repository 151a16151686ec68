// Small builders for test data, going through the real services.
import type { Database } from '../../src/db/client';
import { inTransaction } from '../../src/db/types';
import { createOrganization } from '../../src/organizations/organizations.service';
import { createApiCredential } from '../../src/access/credentials.service';
import { systemActor } from '../../src/common/actor';
import type { Scope } from '../../src/access/scopes';

let counter = 0;
/**
 * Each test file has its own database and its own count, so counter-based numbers
 * never collide within a database. The exchange is picked away from 555, the one
 * tests spell out by hand (+1500555…).
 */
const exchange = 600 + (process.pid % 400);

export async function createTestOrg(db: Database, overrides: { name?: string; trackingNumber?: string; forwardTo?: string } = {}) {
  counter += 1;
  if (counter > 9999) throw new Error('createTestOrg: more than 9,999 organizations in one test file');
  return inTransaction(db.prisma, (tx) =>
    createOrganization(
      tx,
      { label: 'test' },
      {
        name: overrides.name ?? `Test HVAC ${counter}`,
        ownerEmail: `owner${counter}-${process.pid}@test.example`,
        ownerPassword: 'correct horse battery',
        trackingLine: {
          number: overrides.trackingNumber ?? `+1500${exchange}${String(counter).padStart(4, '0')}`,
          forwardTo: overrides.forwardTo ?? '+15005550001',
        },
      },
    ),
  );
}

export async function createTestCredential(db: Database, orgId: string, scopes: Scope[], name = 'test credential') {
  return inTransaction(db.prisma, (tx) => createApiCredential(tx, systemActor(orgId, 'test'), { name, scopes }, 'TEST'));
}
