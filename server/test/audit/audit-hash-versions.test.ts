// Audit hash versions: rows written before (legacy SHA-256, then "h1:") still
// verify after new entries are hashed "h2:" over RFC 8785 canonical JSON; an
// outsider with the key reproduces an h2 hash with any JCS implementation;
// a changed row of any version breaks the chain; an older version after a newer
// one is a downgrade. The fixture's hashes were computed by the hand-written
// sorted-keys JSON that canonicalize replaced (commit 146e081).
import crypto from 'node:crypto';
import canonicalize from 'canonicalize';
import type { Database } from '../../src/db/client';
import { inTransaction } from '../../src/db/types';
import { systemActor } from '../../src/common/actor';
import { chainedFieldsOf, h1AuditHash, legacyAuditHash, recordAudit, verifyAuditChain, type ChainedFields } from '../../src/audit/audit.service';
import { openTestDatabase, testDatabaseKinds } from '../support/database';
import { TEST_AUDIT_SIGNING_KEY, TEST_AUDIT_SIGNING_KEY_HEX } from '../support/audit-signing-key';

jest.setTimeout(60_000);

const ORG = '0190f3a0-1111-7000-8000-00000000a0d1';

/** Three rows as earlier versions wrote them: two legacy SHA-256 rows, then one h1 row. */
const FIXTURE: ChainedFields[] = [
  {
    orgId: ORG,
    seq: 1,
    action: 'org.created',
    actorType: 'SYSTEM',
    actorId: null,
    actorLabel: 'system',
    targetType: 'organization',
    targetId: ORG,
    changes: {},
    requestId: null,
    ip: null,
    userAgent: null,
    createdAt: new Date('2025-11-02T06:30:00.125Z'),
    prevHash: null,
  },
  {
    orgId: ORG,
    seq: 2,
    action: 'settings.updated',
    actorType: 'USER',
    actorId: '0190f3a0-2222-7000-8000-000000000001',
    actorLabel: 'Renée Ødegård 🔧',
    targetType: 'settings',
    targetId: ORG,
    changes: {
      timeZone: { before: 'America/Chicago', after: 'America/Denver' },
      slaMinutes: { before: 15, after: 7.5 },
      quietHours: { before: null, after: { start: '21:00', end: '08:00', enabled: true } },
      Zeta: { before: [1, 'a', null], after: [] },
      é: { before: 'x\ny "q" \\ \t', after: 1e21 },
    },
    requestId: 'req-1',
    ip: '203.0.113.7',
    userAgent: 'Mozilla/5.0 (X11)',
    createdAt: new Date('2025-11-02T07:45:10.001Z'),
    prevHash: 'b1a887dd0eaec4a812e45d4c56e61cae332ad89851469b0b990a7f87caaf0ac3',
  },
  {
    orgId: ORG,
    seq: 3,
    action: 'credential.created',
    actorType: 'CREDENTIAL',
    actorId: '0190f3a0-3333-7000-8000-000000000002',
    actorLabel: 'Zapier',
    targetType: 'credential',
    targetId: '0190f3a0-4444-7000-8000-000000000003',
    changes: { name: { before: null, after: 'Reports' }, scopes: { before: null, after: ['leads:read', 'calls:read'] } },
    requestId: null,
    ip: '::1',
    userAgent: null,
    createdAt: new Date('2026-03-08T08:15:00.999Z'),
    prevHash: '05e06eca3ac4ced89c5df33e0b620d19a4b16dc4f62cc62185b97fd8e00a56f1',
  },
];
const FIXTURE_HASHES = [
  'b1a887dd0eaec4a812e45d4c56e61cae332ad89851469b0b990a7f87caaf0ac3',
  '05e06eca3ac4ced89c5df33e0b620d19a4b16dc4f62cc62185b97fd8e00a56f1',
  'h1:53ed7ba53f2c0410386664844bc757ccf8a71709e5175cb5e2eab143725dba2b',
];

describe.each(testDatabaseKinds)('audit hash versions on %s', (kind) => {
  let db: Database;

  async function insertRow(fields: ChainedFields, hash: string): Promise<void> {
    await db.prisma.auditEntry.create({
      data: { ...fields, actorType: fields.actorType as 'SYSTEM' | 'USER' | 'CREDENTIAL', changes: fields.changes as object, hash },
    });
  }

  async function entries() {
    return db.prisma.auditEntry.findMany({ where: { orgId: ORG }, orderBy: { seq: 'asc' } });
  }

  /** Two new entries written the way the services write them. */
  async function appendNewEntries(): Promise<void> {
    for (const name of ['Backup', 'Reports v2']) {
      await inTransaction(db.prisma, (tx) =>
        recordAudit(tx, systemActor(ORG, 'test'), {
          action: 'credential.created',
          target: { type: 'credential', id: ORG },
          changes: { name: { before: null, after: name } },
        }),
      );
    }
  }

  beforeEach(async () => {
    db = await openTestDatabase(kind);
    await db.prisma.organization.create({ data: { id: ORG, name: 'Hash Versions HVAC' } });
    for (const [index, fields] of FIXTURE.entries()) await insertRow(fields, FIXTURE_HASHES[index]!);
  });
  afterEach(async () => {
    await db.close();
  });

  it('the fixture is what the earlier versions wrote: legacy SHA-256 and h1 hashes recompute to the stored ones', () => {
    expect(FIXTURE.slice(0, 2).map((fields) => legacyAuditHash(fields))).toEqual(FIXTURE_HASHES.slice(0, 2));
    expect(h1AuditHash(FIXTURE[2]!, TEST_AUDIT_SIGNING_KEY)).toBe(FIXTURE_HASHES[2]);
  });

  it('legacy and h1 rows read back from the database still verify, and new entries continue the chain as h2', async () => {
    expect(await verifyAuditChain(db.prisma, ORG)).toEqual({ ok: true, entries: 3 });
    await appendNewEntries();
    const rows = await entries();
    expect(rows.map((row) => row.hash.slice(0, 3))).toEqual([FIXTURE_HASHES[0]!.slice(0, 3), FIXTURE_HASHES[1]!.slice(0, 3), 'h1:', 'h2:', 'h2:']);
    expect(rows[3]!.prevHash).toBe(FIXTURE_HASHES[2]);
    expect(await verifyAuditChain(db.prisma, ORG)).toEqual({ ok: true, entries: 5 });
  });

  it('an outsider with the key reproduces an h2 hash: HMAC-SHA256 of the domain line and the RFC 8785 JSON of the row', async () => {
    await appendNewEntries();
    const row = (await entries())[3]!;
    // As docs/public/security.md describes it: the row's fields without id and hash, createdAt in ISO 8601.
    const { id: _id, hash, ...content } = row;
    const canonical = canonicalize({ ...content, createdAt: row.createdAt.toISOString() })!;
    const mac = crypto.createHmac('sha256', Buffer.from(TEST_AUDIT_SIGNING_KEY_HEX, 'hex')).update(`callsnare-audit-entry/2\n${canonical}`).digest('hex');
    expect(hash).toBe(`h2:${mac}`);
    expect(canonical.startsWith('{"action":"credential.created","actorId":null,"actorLabel":"test","actorType":"SYSTEM","changes":{"name":')).toBe(true);
  });

  it.each([
    ['a legacy row', 2, { actorLabel: 'someone else' }],
    ['an h1 row', 3, { changes: { name: { before: null, after: 'Zapier (edited)' } } }],
    ['an h2 row', 4, { ip: '198.51.100.9' }],
  ])('%s with a changed field fails verification at that row', async (_, seq, edit) => {
    await appendNewEntries();
    const target = (await entries()).find((row) => row.seq === seq)!;
    await db.prisma.auditEntry.update({ where: { id: target.id }, data: { ...edit } });
    expect(await verifyAuditChain(db.prisma, ORG)).toMatchObject({ ok: false, brokenAtSeq: seq, reason: 'content does not match its hash' });
  });

  it.each([
    ['an h1 row', (fields: ChainedFields) => h1AuditHash(fields, TEST_AUDIT_SIGNING_KEY), 'h1 entry after h2 ones (downgrade)'],
    ['a legacy row', legacyAuditHash, 'unsigned entry after signed ones (downgrade)'],
  ])('%s after an h2 row breaks the chain there (downgrade), even with a correct hash and link', async (_, hashOf, reason) => {
    await appendNewEntries();
    const head = (await entries()).at(-1)!;
    const fields: ChainedFields = {
      ...chainedFieldsOf(head),
      seq: head.seq + 1,
      actorLabel: 'downgrader',
      prevHash: head.hash,
      createdAt: new Date(head.createdAt.getTime() + 1000),
    };
    await insertRow(fields, hashOf(fields));
    expect(await verifyAuditChain(db.prisma, ORG)).toMatchObject({ ok: false, brokenAtSeq: head.seq + 1, reason });
  });
});
