// The credentials behind Bearer secrets, kept a few seconds (access/credential-cache.ts):
// a kept row is used without a query, but its revocation, expiry and grace are checked
// on every request; revoking or rotating drops every row here and on every node; a load
// that raced a drop is not kept; unknown secrets are never kept. Through the API, a revoked
// key is refused on its next request: credentials.test.ts ("revoke").
import type { Database } from '../../src/db/client';
import { inTransaction } from '../../src/db/types';
import { ManualClock } from '../../src/common/clock';
import { systemActor } from '../../src/common/actor';
import { InMemoryLiveBus } from '../../src/live/live-bus';
import { CredentialCache, credentialBusInvalidations } from '../../src/access/credential-cache';
import {
  authenticateCredential,
  createApiCredential,
  revokeApiCredential,
  rotateApiCredential,
  type AuthenticatingCredential,
} from '../../src/access/credentials.service';
import { openTestDatabase, testDatabaseKinds } from '../support/database';
import { createTestOrg } from '../support/fixtures';

jest.setTimeout(60_000);

describe.each(testDatabaseKinds)('credential cache on %s', (kind) => {
  let db: Database;
  let orgId: string;
  let monotonic = 0;
  const tick = () => monotonic;
  const clock = new ManualClock('2026-03-02T09:00:00.000Z');
  const actor = () => systemActor(orgId, 'test');

  beforeAll(async () => {
    db = await openTestDatabase(kind);
    orgId = (await createTestOrg(db, { name: 'Cached Keys HVAC' })).orgId;
  });
  afterAll(async () => {
    await db.close();
  });

  const issue = (expiresAt: Date | null = null) =>
    inTransaction(db.prisma, (tx) => createApiCredential(tx, actor(), { name: 'partner', scopes: ['leads:read'], expiresAt }, 'TEST', clock));
  const cacheOf = (options: Partial<ConstructorParameters<typeof CredentialCache>[0]> = {}) =>
    new CredentialCache<AuthenticatingCredential>({ ttlMs: 60_000, maxEntries: 10, now: tick, ...options });
  const authenticate = (secret: string, cache: CredentialCache<AuthenticatingCredential>) => authenticateCredential(db.prisma, secret, 'TEST', clock, cache);
  /** Counts the lookups a cache makes (its load function), around the real one. */
  function counting(cache: CredentialCache<AuthenticatingCredential>) {
    let loads = 0;
    const get = cache.get.bind(cache);
    cache.get = (hash, load) => get(hash, () => ((loads += 1), load()));
    return () => loads;
  }

  it('uses a kept credential without reading it again, and reads it again after the TTL', async () => {
    const { secret, credential } = await issue();
    const cache = cacheOf({ ttlMs: 1_000 });
    const loads = counting(cache);
    expect((await authenticate(secret, cache))?.credentialId).toBe(credential.id);
    expect((await authenticate(secret, cache))?.credentialId).toBe(credential.id);
    expect(loads()).toBe(1);
    monotonic += 1_000;
    await authenticate(secret, cache);
    expect(loads()).toBe(2);
  });

  it('checks expiry and a rotation grace on every request, kept row or not', async () => {
    const expiring = await issue(new Date(clock.now().getTime() + 10_000));
    const cache = cacheOf();
    expect(await authenticate(expiring.secret, cache)).not.toBeNull();
    clock.advance(10_000);
    expect(await authenticate(expiring.secret, cache)).toBeNull();

    const rotating = await issue();
    expect(await authenticate(rotating.secret, cache)).not.toBeNull();
    await inTransaction(db.prisma, (tx) => rotateApiCredential(tx, actor(), { id: rotating.credential.id, graceSeconds: 30 }, clock));
    cache.invalidate();
    expect(await authenticate(rotating.secret, cache)).not.toBeNull(); // within its grace
    clock.advance(30_000);
    expect(await authenticate(rotating.secret, cache)).toBeNull();
  });

  it('a revocation dropped on one node is refused on the next request of every node on the bus', async () => {
    const { secret, credential } = await issue();
    const bus = new InMemoryLiveBus();
    const here = cacheOf({ invalidations: credentialBusInvalidations(bus) });
    const there = cacheOf({ invalidations: credentialBusInvalidations(bus) });
    expect(await authenticate(secret, here)).not.toBeNull();
    expect(await authenticate(secret, there)).not.toBeNull();
    await inTransaction(db.prisma, (tx) => revokeApiCredential(tx, actor(), credential.id, clock));
    there.invalidate();
    expect(await authenticate(secret, there)).toBeNull();
    await new Promise((resolve) => setImmediate(resolve)); // the bus delivers on a later tick
    expect(await authenticate(secret, here)).toBeNull();
    here.close();
    there.close();
  });

  it('a load that started before a drop is answered but not kept', async () => {
    const { secret } = await issue();
    const cache = cacheOf();
    const loads = counting(cache);
    const loading = authenticate(secret, cache);
    cache.invalidate();
    expect(await loading).not.toBeNull();
    await authenticate(secret, cache);
    expect(loads()).toBe(2);
  });

  it('never keeps an unknown secret', async () => {
    // A well-formed secret nobody issued: one that was, whose row is gone.
    const { secret, credential } = await issue();
    await db.prisma.apiCredential.delete({ where: { id: credential.id } });
    const cache = cacheOf();
    const loads = counting(cache);
    expect(await authenticate(secret, cache)).toBeNull();
    expect(await authenticate(secret, cache)).toBeNull();
    expect(loads()).toBe(2);
  });
});
