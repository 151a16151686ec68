// API credential lifecycle through the API: shown once, hash only, checksum
// rejection without a lookup, expiry, revocation, rotation grace, lastUsedAt.
import crypto from 'node:crypto';
import type { Database } from '../../src/db/client';
import type { Tx } from '../../src/db/types';
import type { RunningServer } from '../../src/server';
import { ManualClock } from '../../src/common/clock';
import { systemActor } from '../../src/common/actor';
import { authenticateCredential, createApiCredential } from '../../src/access/credentials.service';
import { openTestDatabase, testDatabaseKinds } from '../support/database';
import { graphql, startTestServer } from '../support/server';
import { createTestOrg } from '../support/fixtures';
import { openTestSession, ownerOf } from '../support/sessions';
import { LIVE_ENV } from '../support/twilio';
import { inTransaction } from '../../src/db/types';

jest.setTimeout(60_000);

const CREATE = `mutation($input: CreateApiCredentialInput!) {
  createApiCredential(input: $input) { secret credential { id name prefix mode scopes status expiresAt lastUsedAt } }
}`;
const ROTATE = `mutation($id: ID!, $grace: Int!) {
  rotateApiCredential(id: $id, graceSeconds: $grace) { secret credential { id status rotatedFromId scopes name } previous { id status graceUntil } }
}`;
const REVOKE = 'mutation($id: ID!) { revokeApiCredential(id: $id) { id status revokedAt } }';
const LIST = '{ apiCredentials(first: 100) { totalCount nodes { id name prefix status scopes lastUsedAt graceUntil revokedAt } } }';
const VIEWER = '{ viewer { actorType credential { id } } }';

describe.each(testDatabaseKinds)('API credential lifecycle on %s', (kind) => {
  let db: Database;
  let server: RunningServer;
  let clock: ManualClock;
  let orgId: string;
  let owner: string; // session cookie

  beforeAll(async () => {
    db = await openTestDatabase(kind);
    clock = new ManualClock('2026-04-01T09:00:00.000Z');
    server = await startTestServer(db, { clock });
    orgId = (await createTestOrg(db, { name: 'Credential HVAC' })).orgId;
    owner = await openTestSession(db, (await ownerOf(db, orgId)).userId, orgId, clock);
  });
  afterAll(async () => {
    await server.close();
    await db.close();
  });

  async function create(input: Record<string, unknown>) {
    const { body } = await graphql(server.url, CREATE, { cookie: owner, variables: { input } });
    return body;
  }
  const works = async (secret: string) => (await graphql(server.url, VIEWER, { bearer: secret })).body.data?.viewer?.actorType === 'CREDENTIAL';

  it('shows the secret once and keeps only its SHA-256 and a display prefix', async () => {
    const body = await create({ name: 'Zapier sync', scopes: ['leads:read', 'callbacks:read', 'leads:read'] });
    expect(body.errors).toBeUndefined();
    const { secret, credential } = body.data!.createApiCredential;
    expect(secret).toMatch(/^cs_test_[0-9A-Za-z]{46}$/);
    expect(credential).toMatchObject({ name: 'Zapier sync', mode: 'TEST', scopes: ['callbacks:read', 'leads:read'], status: 'ACTIVE', lastUsedAt: null });
    expect(secret.startsWith(credential.prefix)).toBe(true);

    const row = await db.prisma.apiCredential.findUniqueOrThrow({ where: { id: credential.id } });
    expect(row.secretHash).toBe(crypto.createHash('sha256').update(secret).digest('hex'));
    expect(JSON.stringify(row)).not.toContain(secret.slice(credential.prefix.length));
    const listed = await graphql(server.url, LIST, { cookie: owner });
    expect(JSON.stringify(listed.body)).not.toContain(secret);
    expect(listed.body.data?.apiCredentials.nodes).toContainEqual(expect.objectContaining({ id: credential.id, prefix: credential.prefix }));
    const audit = await db.prisma.auditEntry.findFirstOrThrow({ where: { orgId, action: 'credential.created', targetId: credential.id } });
    expect(JSON.stringify(audit)).not.toContain(secret);
    expect(JSON.stringify(audit)).not.toContain(row.secretHash);
  });

  it('refuses unknown and missing scopes with BAD_USER_INPUT and stores nothing', async () => {
    const before = await db.prisma.apiCredential.count({ where: { orgId } });
    const unknown = await create({ name: 'Bad', scopes: ['leads:read', 'credentials:write'] });
    expect(unknown.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: { scopes: expect.stringMatching(/unknown scope "credentials:write"/) },
    });
    const none = await create({ name: 'Empty', scopes: [] });
    expect(none.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const past = await create({ name: 'Past', scopes: ['leads:read'], expiresAt: '2020-01-01T00:00:00Z' });
    expect(past.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: { expiresAt: expect.any(String) } });
    expect(await db.prisma.apiCredential.count({ where: { orgId } })).toBe(before);
  });

  it('rejects a token with a bad checksum without looking it up', async () => {
    const { secret } = (await create({ name: 'Checksum', scopes: ['leads:read'] })).data!.createApiCredential as { secret: string };
    const typo = secret.slice(0, 20) + (secret.charAt(20) === 'a' ? 'b' : 'a') + secret.slice(21);
    const untouchable = new Proxy(
      {},
      {
        get: () => {
          throw new Error('the database was consulted');
        },
      },
    ) as Tx;
    expect(await authenticateCredential(untouchable, typo, 'TEST', clock)).toBeNull();
    const { body } = await graphql(server.url, VIEWER, { bearer: typo });
    expect(body.errors?.[0]).toMatchObject({
      extensions: { code: 'UNAUTHENTICATED' },
      message: expect.stringMatching(/malformed, unknown, expired or revoked/),
    });
  });

  it('records lastUsedAt at most once a minute', async () => {
    const { secret, credential } = (await create({ name: 'Usage', scopes: ['leads:read'] })).data!.createApiCredential;
    const lastUsed = async () => (await db.prisma.apiCredential.findUniqueOrThrow({ where: { id: credential.id } })).lastUsedAt;
    expect(await works(secret)).toBe(true);
    const first = clock.now();
    expect(await lastUsed()).toEqual(first);
    clock.advance(59_000);
    expect(await works(secret)).toBe(true);
    expect(await lastUsed()).toEqual(first);
    clock.advance(1_000);
    expect(await works(secret)).toBe(true);
    expect(await lastUsed()).toEqual(clock.now());
  });

  it('stops working at expiresAt', async () => {
    const expiresAt = new Date(clock.now().getTime() + 3_600_000);
    const { secret, credential } = (await create({ name: 'Temp', scopes: ['leads:read'], expiresAt: expiresAt.toISOString() })).data!.createApiCredential;
    expect(credential.expiresAt).toBe(expiresAt.toISOString());
    expect(await works(secret)).toBe(true);
    clock.set(expiresAt);
    expect(await works(secret)).toBe(false);
    const listed = (await graphql(server.url, LIST, { cookie: owner })).body.data!.apiCredentials.nodes;
    expect(listed.find((node: { id: string }) => node.id === credential.id).status).toBe('EXPIRED');
  });

  it('revokes immediately; revoking again changes nothing', async () => {
    const { secret, credential } = (await create({ name: 'Revoke me', scopes: ['leads:read'] })).data!.createApiCredential;
    expect(await works(secret)).toBe(true);
    const revoked = await graphql(server.url, REVOKE, { cookie: owner, variables: { id: credential.id } });
    expect(revoked.body.data?.revokeApiCredential).toEqual({ id: credential.id, status: 'REVOKED', revokedAt: clock.now().toISOString() });
    expect(await works(secret)).toBe(false);
    const again = await graphql(server.url, REVOKE, { cookie: owner, variables: { id: credential.id } });
    expect(again.body.data?.revokeApiCredential.status).toBe('REVOKED');
    expect(await db.prisma.auditEntry.count({ where: { action: 'credential.revoked', targetId: credential.id } })).toBe(1);
    const rotate = await graphql(server.url, ROTATE, { cookie: owner, variables: { id: credential.id, grace: 60 } });
    expect(rotate.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('rotation: both secrets work during the grace period, then only the new one', async () => {
    const { secret: oldSecret, credential: old } = (await create({ name: 'Partner CRM', scopes: ['leads:read', 'callbacks:write'] })).data!.createApiCredential;
    const rotated = await graphql(server.url, ROTATE, { cookie: owner, variables: { id: old.id, grace: 600 } });
    expect(rotated.body.errors).toBeUndefined();
    const { secret: newSecret, credential: fresh, previous } = rotated.body.data!.rotateApiCredential;
    expect(newSecret).not.toBe(oldSecret);
    expect(fresh).toMatchObject({ status: 'ACTIVE', rotatedFromId: old.id, name: 'Partner CRM', scopes: ['callbacks:write', 'leads:read'] });
    expect(previous).toEqual({ id: old.id, status: 'GRACE_PERIOD', graceUntil: new Date(clock.now().getTime() + 600_000).toISOString() });

    expect(await works(oldSecret)).toBe(true);
    expect(await works(newSecret)).toBe(true);
    clock.advance(599_000);
    expect(await works(oldSecret)).toBe(true);
    clock.advance(1_000);
    expect(await works(oldSecret)).toBe(false);
    expect(await works(newSecret)).toBe(true);
    const listed = (await graphql(server.url, LIST, { cookie: owner })).body.data!.apiCredentials.nodes;
    expect(listed.find((node: { id: string }) => node.id === old.id).status).toBe('REPLACED');

    const entry = await db.prisma.auditEntry.findFirstOrThrow({ where: { action: 'credential.rotated', targetId: old.id } });
    expect(entry.changes).toEqual({
      graceUntil: { before: null, after: previous.graceUntil },
      replacedBy: { before: null, after: { id: fresh.id, prefix: expect.any(String) } },
    });
    // A rotated credential is rotated once; its replacement is what rotates next.
    const twice = await graphql(server.url, ROTATE, { cookie: owner, variables: { id: old.id, grace: 0 } });
    expect(twice.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('rotation with graceSeconds 0 stops the old secret at once; the grace is at most 24 hours', async () => {
    const { secret, credential } = (await create({ name: 'Leaked', scopes: ['leads:read'] })).data!.createApiCredential;
    for (const grace of [-1, 86_401]) {
      const refused = await graphql(server.url, ROTATE, { cookie: owner, variables: { id: credential.id, grace } });
      expect(refused.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: { graceSeconds: expect.any(String) } });
    }
    const rotated = await graphql(server.url, ROTATE, { cookie: owner, variables: { id: credential.id, grace: 0 } });
    expect(await works(secret)).toBe(false);
    expect(await works(rotated.body.data!.rotateApiCredential.secret)).toBe(true);
  });

  it('a credential can never create credentials, even when a service is called directly', async () => {
    const actor = { ...systemActor(orgId, 'x'), type: 'CREDENTIAL' as const, id: crypto.randomUUID(), scopes: ['leads:read'] };
    await expect(db.prisma.$transaction((tx) => createApiCredential(tx, actor, { name: 'sneaky', scopes: ['leads:read'] }, 'TEST'))).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
  });

  it('a sandbox server refuses cs_live_ credentials and a live server refuses cs_test_ ones', async () => {
    const issue = (mode: 'TEST' | 'LIVE') =>
      inTransaction(db.prisma, (tx) => createApiCredential(tx, systemActor(orgId, 'test'), { name: `${mode} key`, scopes: ['leads:read'] }, mode));
    const live = await issue('LIVE');
    const test = await issue('TEST');
    const otherMode = { extensions: { code: 'UNAUTHENTICATED' }, message: expect.stringMatching(/other integration mode/) };
    expect((await graphql(server.url, VIEWER, { bearer: live.secret })).body.errors?.[0]).toMatchObject(otherMode);
    expect(await works(test.secret)).toBe(true);

    const liveServer = await startTestServer(db, { clock, env: LIVE_ENV });
    try {
      expect((await graphql(liveServer.url, VIEWER, { bearer: test.secret })).body.errors?.[0]).toMatchObject(otherMode);
      expect((await graphql(liveServer.url, VIEWER, { bearer: live.secret })).body.data?.viewer).toEqual({
        actorType: 'CREDENTIAL',
        credential: { id: live.credential.id },
      });
    } finally {
      await liveServer.close();
    }
  });
});
