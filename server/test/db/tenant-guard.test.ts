// The tenant guard: every query the product makes on an org-owned model names
// its organization, or runs inside crossTenant() with a reason.
import fs from 'node:fs';
import path from 'node:path';
import type { Database } from '../../src/db/client';
import { ORG_OWNED_MODELS, TenantScopeViolation, crossTenant, withTenantGuard } from '../../src/db/tenant-guard';
import { repoRoot } from '../../src/common/paths';
import { openTestDatabase, testDatabaseKinds } from '../support/database';
import { createTestOrg } from '../support/fixtures';
import { createTestLead } from '../support/leads';

jest.setTimeout(60_000);

/** Models of prisma/schema.prisma that have an orgId column. */
function modelsWithOrgId(): string[] {
  const schema = fs.readFileSync(path.join(repoRoot(), 'prisma', 'schema.prisma'), 'utf8');
  return [...schema.matchAll(/^model (\w+) \{([\s\S]*?)^\}/gm)].filter(([, , body]) => /^\s+orgId\s/m.test(body!)).map(([, name]) => name!);
}

it('guards exactly the models that have an orgId column', () => {
  expect([...ORG_OWNED_MODELS].sort()).toEqual(modelsWithOrgId().sort());
});

describe.each(testDatabaseKinds)('tenant guard on %s', (kind) => {
  let db: Database;
  let guarded: Database;
  let orgId: string;
  let leadId: string;

  beforeAll(async () => {
    db = await openTestDatabase(kind);
    guarded = withTenantGuard(db);
    orgId = (await createTestOrg(db)).orgId;
    leadId = (await createTestLead(db, orgId, { name: 'Guarded' })).id;
  });
  afterAll(async () => {
    await db.close();
  });

  type Attempt = (prisma: Database['prisma'], ids: { orgId: string; leadId: string }) => Promise<unknown>;
  const attempts: [string, Attempt][] = [
    ['findMany without where', (prisma) => prisma.lead.findMany()],
    ['findUnique by id alone', (prisma, { leadId }) => prisma.lead.findUnique({ where: { id: leadId } })],
    ['count by phone', (prisma) => prisma.lead.count({ where: { phone: '+15555550100' } })],
    ['orgId: undefined (Prisma would drop it)', (prisma, { leadId }) => prisma.lead.findFirst({ where: { orgId: undefined, id: leadId } })],
    ['update by id alone', (prisma, { leadId }) => prisma.lead.update({ where: { id: leadId }, data: { name: 'Hijacked' } })],
    ['deleteMany by name', (prisma) => prisma.lead.deleteMany({ where: { name: 'Guarded' } })],
    [
      'create without orgId',
      (prisma, { leadId }) => prisma.leadEvent.create({ data: { leadId, type: 'NOTE_ADDED', actorType: 'SYSTEM', actorLabel: 'x' } as never }),
    ],
    ['orgId only inside OR', (prisma, { orgId, leadId }) => prisma.callback.findMany({ where: { OR: [{ orgId }, { leadId }] } })],
  ];

  it.each(attempts)('refuses %s on an org-owned model, and nothing changes', async (_label, attempt) => {
    await expect(attempt(guarded.prisma, { orgId, leadId })).rejects.toBeInstanceOf(TenantScopeViolation);
    expect(await db.prisma.lead.findUniqueOrThrow({ where: { id: leadId } })).toMatchObject({ name: 'Guarded' });
    expect(await db.prisma.leadEvent.count({ where: { leadId, type: 'NOTE_ADDED' } })).toBe(0);
  });

  it('lets queries that name the organization through, alone, in AND, or in a compound key', async () => {
    const { prisma } = guarded;
    expect(await prisma.lead.findFirst({ where: { id: leadId, orgId }, select: { name: true } })).toEqual({ name: 'Guarded' });
    expect(await prisma.lead.count({ where: { AND: [{ orgId }, { id: leadId }] } })).toBe(1);
    expect(await prisma.orgSettings.findUnique({ where: { orgId }, select: { orgId: true } })).toEqual({ orgId });
    // Models without an orgId (users, sessions, organizations) are not org-owned.
    expect(await prisma.organization.count({ where: { id: orgId } })).toBe(1);
  });

  it('lifts the guard inside crossTenant only, for the duration of that call', async () => {
    const { prisma } = guarded;
    const found = await crossTenant('test: a provider id names its organization', () =>
      prisma.lead.findUnique({ where: { id: leadId }, select: { orgId: true } }),
    );
    expect(found).toEqual({ orgId });
    await expect(prisma.lead.findUnique({ where: { id: leadId } })).rejects.toBeInstanceOf(TenantScopeViolation);
  });
});
