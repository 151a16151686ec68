// Idempotency-Key on /graphql mutations: one effect per key and caller, the first
// answer replayed, a reused key with another body refused, 24 h of memory.
import { useTestServer } from '../support/test-server';
import { createTestCredential, createTestOrg } from '../support/fixtures';
import { createTestLead } from '../support/leads';
import { createTestStaff, openTestSession, ownerOf } from '../support/sessions';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { GraphQLSchema } from 'graphql';
import type { AppDeps } from '../../src/app-deps';
import type { Database } from '../../src/db/client';
import { ManualClock } from '../../src/common/clock';
import { createLogger } from '../../src/logger';
import { buildGraphQLSchema } from '../../src/api/schema';
import { idempotentMutations, purgeExpiredIdempotencyKeys } from '../../src/api/idempotency';
import { openTestDatabase, testDatabaseKinds } from '../support/database';

jest.setTimeout(90_000);

const ADD_NOTE = 'mutation AddNote($leadId: ID!, $body: String!) { addLeadNote(leadId: $leadId, body: $body) { id type } }';
const HOUR = 60 * 60 * 1000;

describe.each(testDatabaseKinds)('Idempotency-Key on mutations (%s)', (kind) => {
  const api = useTestServer(kind, { env: { RATE_LIMIT_API_PER_MIN: '10000' } });

  async function post(query: string, options: { key?: string; bearer?: string; cookie?: string; variables?: Record<string, unknown> }) {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (options.key !== undefined) headers['idempotency-key'] = options.key;
    if (options.bearer) headers.authorization = `Bearer ${options.bearer}`;
    if (options.cookie) headers.cookie = options.cookie;
    const response = await fetch(`${api.server.url}/graphql`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ query, variables: options.variables ?? {} }),
    });
    return { status: response.status, replayed: response.headers.get('idempotent-replayed'), text: await response.text() };
  }

  const codeOf = (text: string) => (JSON.parse(text) as { errors?: { extensions?: { code?: string } }[] }).errors?.[0]?.extensions?.code;

  async function setup() {
    const { orgId } = await createTestOrg(api.db);
    const lead = await createTestLead(api.db, orgId, { at: api.clock.now() });
    const { secret } = await createTestCredential(api.db, orgId, ['leads:read', 'leads:write']);
    const notes = () => api.db.prisma.leadEvent.count({ where: { orgId, leadId: lead.id, type: 'NOTE_ADDED' } });
    return { orgId, leadId: lead.id, bearer: secret, notes };
  }

  it('a mutation fired 20 times at once with one key has one effect and 20 identical answers', async () => {
    const { leadId, bearer, notes } = await setup();
    const variables = { leadId, body: 'Called back, left a voicemail' };
    const answers = await Promise.all(Array.from({ length: 20 }, () => post(ADD_NOTE, { key: 'note-1', bearer, variables })));
    expect(await notes()).toBe(1);
    expect(new Set(answers.map((answer) => answer.text)).size).toBe(1);
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    expect(JSON.parse(answers[0]!.text)).toEqual({ data: { addLeadNote: { id: expect.any(String), type: 'NOTE_ADDED' } } });
    // All but the one that ran were replays.
    expect(answers.filter((answer) => answer.replayed === 'true')).toHaveLength(19);

    const later = await post(ADD_NOTE, { key: 'note-1', bearer, variables });
    expect(later).toEqual({ status: 200, replayed: 'true', text: answers[0]!.text });
    expect(await notes()).toBe(1);
  });

  it('the same key with another body is refused with IDEMPOTENCY_KEY_REUSED (422), and nothing runs', async () => {
    const { leadId, bearer, notes } = await setup();
    await post(ADD_NOTE, { key: 'note-2', bearer, variables: { leadId, body: 'first' } });
    const reused = await post(ADD_NOTE, { key: 'note-2', bearer, variables: { leadId, body: 'second' } });
    expect(reused.status).toBe(422);
    expect(codeOf(reused.text)).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await notes()).toBe(1);
  });

  it('keys are per caller: another credential or a staff session with the same key runs on its own', async () => {
    const { orgId, leadId, bearer, notes } = await setup();
    const { secret: other } = await createTestCredential(api.db, orgId, ['leads:write']);
    const staff = await createTestStaff(api.db, orgId, 'DISPATCHER');
    const cookie = await openTestSession(api.db, staff.userId, orgId, api.clock);
    const variables = { leadId, body: 'same words' };
    for (const caller of [{ bearer }, { bearer: other }, { cookie }]) {
      const answer = await post(ADD_NOTE, { key: 'shared-key', variables, ...caller });
      expect(answer.status).toBe(200);
      expect(answer.replayed).toBeNull();
    }
    expect(await notes()).toBe(3);
  });

  it("a staff session replays its own key, across its sessions (the key is the user's)", async () => {
    const { orgId, leadId, notes } = await setup();
    const staff = await createTestStaff(api.db, orgId, 'DISPATCHER');
    const variables = { leadId, body: 'from the dashboard' };
    const first = await post(ADD_NOTE, { key: 'staff-1', variables, cookie: await openTestSession(api.db, staff.userId, orgId, api.clock) });
    const again = await post(ADD_NOTE, { key: 'staff-1', variables, cookie: await openTestSession(api.db, staff.userId, orgId, api.clock) });
    expect(again).toEqual({ status: 200, replayed: 'true', text: first.text });
    expect(await notes()).toBe(1);
  });

  it('a key is kept 24 hours: after that the same request runs again, and expired keys are purged', async () => {
    const { orgId, leadId, bearer, notes } = await setup();
    const variables = { leadId, body: 'daily' };
    await post(ADD_NOTE, { key: 'daily-1', bearer, variables });
    api.clock.advance(23 * HOUR);
    expect((await post(ADD_NOTE, { key: 'daily-1', bearer, variables })).replayed).toBe('true');
    expect(await notes()).toBe(1);
    api.clock.advance(HOUR);
    expect((await post(ADD_NOTE, { key: 'daily-1', bearer, variables })).replayed).toBeNull();
    expect(await notes()).toBe(2);

    await post(ADD_NOTE, { key: 'daily-2', bearer, variables });
    const keys = () => api.db.prisma.idempotencyKey.count({ where: { orgId } });
    expect(await keys()).toBe(2);
    api.clock.advance(25 * HOUR);
    expect(await purgeExpiredIdempotencyKeys(api, api.clock.now())).toBeGreaterThanOrEqual(2);
    expect(await keys()).toBe(0);
  });

  it('an invalid key is refused with 400 BAD_USER_INPUT, before anything runs', async () => {
    const { leadId, bearer, notes } = await setup();
    for (const key of ['', 'x'.repeat(256), 'clé', 'tab\there']) {
      const answer = await post(ADD_NOTE, { key, bearer, variables: { leadId, body: 'nope' } });
      expect([key, answer.status, codeOf(answer.text)]).toEqual([key, 400, 'BAD_USER_INPUT']);
    }
    expect((await post(ADD_NOTE, { key: 'x'.repeat(255), bearer, variables: { leadId, body: 'yes' } })).status).toBe(200);
    expect(await notes()).toBe(1);
  });

  it('a query with a key is answered as usual and stores nothing; a document holding a mutation counts as one', async () => {
    const { orgId, leadId, bearer, notes } = await setup();
    const query = await post('{ viewer { label } }', { key: 'q-1', bearer });
    expect(query.status).toBe(200);
    expect(await api.db.prisma.idempotencyKey.count({ where: { orgId } })).toBe(0);
    const mixed = `query Viewer { viewer { label } } ${ADD_NOTE}`;
    const run = () =>
      fetch(`${api.server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}`, 'idempotency-key': 'mixed-1' },
        body: JSON.stringify({ query: mixed, operationName: 'AddNote', variables: { leadId, body: 'mixed' } }),
      });
    await run();
    expect((await run()).headers.get('idempotent-replayed')).toBe('true');
    expect(await notes()).toBe(1);
  });

  it('an answer with a one-time secret is not stored: the replay says the first request succeeded', async () => {
    const { orgId } = await setup();
    const owner = await ownerOf(api.db, orgId);
    const cookie = await openTestSession(api.db, owner.userId, orgId, api.clock);
    const create = 'mutation { createApiCredential(input: { name: "CRM", scopes: ["leads:read"] }) { secret credential { id } } }';
    const first = await post(create, { key: 'cred-1', cookie });
    expect(first.status).toBe(200);
    expect(JSON.parse(first.text).data.createApiCredential.secret).toMatch(/^cs_test_/);
    const row = await api.db.prisma.idempotencyKey.findFirstOrThrow({ where: { orgId, key: 'cred-1' } });
    expect(row).toMatchObject({ state: 'COMPLETED', responseStatus: 200, responseBody: null });

    const replay = await post(create, { key: 'cred-1', cookie });
    expect(replay.status).toBe(409);
    expect(replay.replayed).toBe('true');
    expect(codeOf(replay.text)).toBe('IDEMPOTENT_RESPONSE_UNAVAILABLE');
    expect(replay.text).not.toContain('cs_test_');
    expect(await api.db.prisma.apiCredential.count({ where: { orgId, name: 'CRM' } })).toBe(1);
  });

  it('a refused mutation is replayed with its error; a claim whose request died is taken over after the lease', async () => {
    const { orgId, leadId, bearer, notes } = await setup();
    const { secret: reader } = await createTestCredential(api.db, orgId, ['leads:read']);
    const refused = await post(ADD_NOTE, { key: 'refused-1', bearer: reader, variables: { leadId, body: 'x' } });
    expect(codeOf(refused.text)).toBe('FORBIDDEN');
    expect(await post(ADD_NOTE, { key: 'refused-1', bearer: reader, variables: { leadId, body: 'x' } })).toEqual({ ...refused, replayed: 'true' });

    // A process that claimed the key and died before answering (an IN_PROGRESS row two minutes old).
    const credential = await api.db.prisma.apiCredential.findFirstOrThrow({ where: { orgId, scopes: { has: 'leads:write' } }, select: { id: true } });
    const variables = { leadId, body: 'after a crash' };
    await post(ADD_NOTE, { key: 'crashed-1', bearer, variables });
    await api.db.prisma.idempotencyKey.updateMany({
      where: { orgId, identity: `credential:${credential.id}`, key: 'crashed-1' },
      data: { state: 'IN_PROGRESS', responseStatus: null, responseBody: null, createdAt: new Date(api.clock.now().getTime() - 2 * 60_000) },
    });
    const retried = await post(ADD_NOTE, { key: 'crashed-1', bearer, variables });
    expect(retried.status).toBe(200);
    expect(retried.replayed).toBeNull();
    expect(await notes()).toBe(2);
  });
});

// The middleware in front of a scripted downstream (in place of Apollo), on a real database:
// what happens to the key when the first run fails, and when a duplicate waits too long.
describe.each(testDatabaseKinds)('Idempotency-Key around a failing or slow run (%s)', (kind) => {
  let db: Database;
  let orgId: string;
  let schema: GraphQLSchema;
  const clock = new ManualClock();

  beforeAll(async () => {
    db = await openTestDatabase(kind);
    orgId = (await createTestOrg(db)).orgId;
    schema = await buildGraphQLSchema();
  });
  afterAll(async () => {
    await db?.close();
  });

  /** An app whose "mutation" answers with the statuses in `script`, one per run, after `delayMs`. */
  async function scripted(script: number[], options: { delayMs?: number; waitMs?: number } = {}) {
    const runs = { count: 0 };
    const app = express();
    app.use(express.json());
    app.use((_req, res, next) => {
      res.locals.callsnareIdentity = { identity: { kind: 'credential', credentialId: 'c-1', orgId }, problem: null };
      next();
    });
    const deps = { db, clock, logger: createLogger('silent') } as unknown as AppDeps;
    app.use(idempotentMutations(deps, schema, { waitMs: options.waitMs ?? 2_000, pollMs: 10 }));
    app.use((_req, res) => {
      runs.count += 1;
      const status = script[runs.count - 1] ?? 200;
      const body =
        status >= 500
          ? { errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] }
          : { data: { addLeadNote: { id: `run-${runs.count}` } } };
      setTimeout(() => res.status(status).json(body), options.delayMs ?? 0);
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as AddressInfo;
    const post = async (key: string) => {
      const response = await fetch(`http://127.0.0.1:${port}/`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify({ query: 'mutation { addLeadNote(leadId: "x", body: "y") { id } }' }),
      });
      return { status: response.status, replayed: response.headers.get('idempotent-replayed'), body: (await response.json()) as Record<string, any> };
    };
    return { runs, post, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
  }

  it('a run that failed with a 5xx releases the key: the retry runs, and its answer is the one kept', async () => {
    const app = await scripted([500, 200]);
    try {
      expect((await app.post('fails-once')).status).toBe(500);
      const retry = await app.post('fails-once');
      expect(retry).toEqual({ status: 200, replayed: null, body: { data: { addLeadNote: { id: 'run-2' } } } });
      expect(await app.post('fails-once')).toEqual({ ...retry, replayed: 'true' });
      expect(app.runs.count).toBe(2);
    } finally {
      await app.close();
    }
  });

  it('a duplicate that waits longer than the bound gets 409 IDEMPOTENCY_KEY_IN_USE (retry after 1 s), and nothing runs twice', async () => {
    const app = await scripted([200], { delayMs: 600, waitMs: 100 });
    try {
      const first = app.post('slow-1');
      await new Promise((resolve) => setTimeout(resolve, 100));
      const duplicate = await app.post('slow-1');
      expect(duplicate.status).toBe(409);
      expect(duplicate.body.errors[0].extensions).toEqual({ code: 'IDEMPOTENCY_KEY_IN_USE', retryAfterSeconds: 1 });
      expect((await first).status).toBe(200);
      expect((await app.post('slow-1')).replayed).toBe('true');
      expect(app.runs.count).toBe(1);
    } finally {
      await app.close();
    }
  });
});
