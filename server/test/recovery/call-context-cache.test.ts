// The call-context cache (recovery/call-context.ts): fresh entries are served
// without a query, invalidations drop them here and on every node listening,
// and a load that raced an invalidation is not kept.
import type { Database } from '../../src/db/client';
import { CallContextCache, liveBusInvalidations } from '../../src/recovery/call-context';
import { InMemoryLiveBus } from '../../src/live/live-bus';
import { openTestDatabase, testDatabaseKinds } from '../support/database';
import { createTestOrg } from '../support/fixtures';

jest.setTimeout(60_000);

describe.each(testDatabaseKinds)('call-context cache on %s', (kind) => {
  let db: Database;
  let now = 0;
  const tick = () => now;
  beforeAll(async () => {
    db = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await db.close();
  });

  async function orgWithLine() {
    const org = await createTestOrg(db, { forwardTo: '+13125550100' });
    return { orgId: org.orgId, trackingNumber: org.trackingNumber! };
  }
  const rename = (orgId: string, businessName: string) => db.prisma.orgSettings.update({ where: { orgId }, data: { businessName } });

  it('serves a fresh entry without asking the database, and asks again after the TTL', async () => {
    const { orgId, trackingNumber } = await orgWithLine();
    const cache = new CallContextCache({ ttlMs: 1000, maxEntries: 10, now: tick });
    expect((await cache.get(db.prisma, trackingNumber))?.line.orgId).toBe(orgId);
    await rename(orgId, 'Renamed HVAC');
    const spy = jest.spyOn(db.prisma, '$queryRaw');
    try {
      expect((await cache.get(db.prisma, trackingNumber))?.settings.businessName).not.toBe('Renamed HVAC');
      expect(spy).not.toHaveBeenCalled();
      now += 1000;
      expect((await cache.get(db.prisma, trackingNumber))?.settings.businessName).toBe('Renamed HVAC');
      expect(spy).toHaveBeenCalledTimes(1);
    } finally {
      spy.mockRestore();
    }
  });

  it('invalidate by org or by number drops the entry at once; other orgs keep theirs', async () => {
    const a = await orgWithLine();
    const b = await orgWithLine();
    const cache = new CallContextCache({ ttlMs: 60_000, maxEntries: 10, now: tick });
    await cache.get(db.prisma, a.trackingNumber);
    await cache.get(db.prisma, b.trackingNumber);
    await rename(a.orgId, 'A renamed');
    await rename(b.orgId, 'B renamed');
    cache.invalidate({ orgId: a.orgId });
    expect((await cache.get(db.prisma, a.trackingNumber))?.settings.businessName).toBe('A renamed');
    expect((await cache.get(db.prisma, b.trackingNumber))?.settings.businessName).not.toBe('B renamed');
    cache.invalidate({ trackingNumber: b.trackingNumber });
    expect((await cache.get(db.prisma, b.trackingNumber))?.settings.businessName).toBe('B renamed');
  });

  it('an invalidation published by another node reaches this one', async () => {
    const { orgId, trackingNumber } = await orgWithLine();
    const bus = new InMemoryLiveBus();
    const here = new CallContextCache({ ttlMs: 60_000, maxEntries: 10, now: tick, invalidations: liveBusInvalidations(bus) });
    const there = new CallContextCache({ ttlMs: 60_000, maxEntries: 10, now: tick, invalidations: liveBusInvalidations(bus) });
    await here.get(db.prisma, trackingNumber);
    await rename(orgId, 'Changed on the other node');
    there.invalidate({ orgId });
    await new Promise((resolve) => setImmediate(resolve)); // the bus delivers on a later tick
    expect((await here.get(db.prisma, trackingNumber))?.settings.businessName).toBe('Changed on the other node');
    here.close();
    there.close();
  });

  it('a load that started before an invalidation is returned but not kept', async () => {
    const { orgId, trackingNumber } = await orgWithLine();
    const cache = new CallContextCache({ ttlMs: 60_000, maxEntries: 10, now: tick });
    const loading = cache.get(db.prisma, trackingNumber);
    cache.invalidate({ orgId });
    await loading;
    await rename(orgId, 'After the race');
    expect((await cache.get(db.prisma, trackingNumber))?.settings.businessName).toBe('After the race');
  });

  it('keeps at most maxEntries, and never an unknown number', async () => {
    const lines = [await orgWithLine(), await orgWithLine(), await orgWithLine()];
    const cache = new CallContextCache({ ttlMs: 60_000, maxEntries: 2, now: tick });
    for (const line of lines) await cache.get(db.prisma, line.trackingNumber);
    await rename(lines[0]!.orgId, 'Evicted first');
    expect((await cache.get(db.prisma, lines[0]!.trackingNumber))?.settings.businessName).toBe('Evicted first');
    expect(await cache.get(db.prisma, '+13125559999')).toBeNull();
  });
});
