import fs from 'node:fs';
import path from 'node:path';
import type { Database } from '../../src/db/client';
import type { RunningServer } from '../../src/server';
import { openTestDatabase, testDatabaseKinds } from '../support/database';
import { graphql, startTestServer } from '../support/server';
import { createTestCredential, createTestOrg } from '../support/fixtures';

jest.setTimeout(60_000);

describe.each(testDatabaseKinds)('HTTP skeleton on %s', (kind) => {
  let db: Database;
  let server: RunningServer;

  beforeAll(async () => {
    db = await openTestDatabase(kind);
    server = await startTestServer(db);
  });
  afterAll(async () => {
    await server.close();
    await db.close();
  });

  it('GET /healthz answers ok with a request id', async () => {
    const response = await fetch(`${server.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('echoes a sane incoming X-Request-Id and replaces an unsafe one', async () => {
    const kept = await fetch(`${server.url}/healthz`, { headers: { 'x-request-id': 'lb-req-12345678' } });
    expect(kept.headers.get('x-request-id')).toBe('lb-req-12345678');
    const replaced = await fetch(`${server.url}/healthz`, { headers: { 'x-request-id': 'bad id <script>' } });
    expect(replaced.headers.get('x-request-id')).not.toContain('<');
  });

  it('GET /readyz checks the database and says a lone node keeps rate limits and live notices in memory', async () => {
    const response = await fetch(`${server.url}/readyz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ready', database: 'ok', live: 'memory', rateLimits: 'memory' });
  });

  it('viewer without identity answers UNAUTHENTICATED', async () => {
    const { status, body } = await graphql(server.url, '{ viewer { __typename } }');
    expect(status).toBe(200);
    expect(body.data).toBeNull();
    expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(body.errors?.[0]?.extensions).not.toHaveProperty('stacktrace');
  });

  it('viewer with a Bearer credential names the org, credential and scopes', async () => {
    const org = await createTestOrg(db, { name: 'Viewer HVAC' });
    const { secret, credential } = await createTestCredential(db, org.orgId, ['leads:read', 'audit:read'], 'Reporting');
    const { body } = await graphql(server.url, '{ viewer { actorType label scopes organization { id name } credential { id name prefix } user { id } } }', {
      bearer: secret,
    });
    expect(body.errors).toBeUndefined();
    expect(body.data?.viewer).toEqual({
      actorType: 'CREDENTIAL',
      label: `API credential Reporting (${credential.prefix}…)`,
      scopes: ['audit:read', 'leads:read'],
      organization: { id: org.orgId, name: 'Viewer HVAC' },
      credential: { id: credential.id, name: 'Reporting', prefix: credential.prefix },
      user: null,
    });
  });

  it('a malformed, unknown or revoked Bearer secret is not an identity', async () => {
    const org = await createTestOrg(db);
    const { secret, credential } = await createTestCredential(db, org.orgId, ['leads:read']);
    await db.prisma.apiCredential.update({ where: { id: credential.id }, data: { revokedAt: new Date(Date.now() - 1000) } });
    for (const bearer of ['nonsense', `${secret.slice(0, -1)}0`, secret]) {
      const { body } = await graphql(server.url, '{ viewer { label } }', { bearer });
      expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
  });

  it('keeps Apollo CSRF prevention on: a simple GET query is refused', async () => {
    const response = await fetch(`${server.url}/graphql?query=${encodeURIComponent('{ viewer { label } }')}`);
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/CSRF/i);
  });

  it('answers unknown routes with a JSON 404', async () => {
    const response = await fetch(`${server.url}/nope`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'No route for GET /nope' } });
  });

  it("answers the browser's /favicon.ico with an empty 204, not a 404", async () => {
    const response = await fetch(`${server.url}/favicon.ico`);
    expect(response.status).toBe(204);
    expect(await response.text()).toBe('');
  });

  it('serves the SDL at /schema.graphql, identical to the checked-in schema.graphql', async () => {
    const response = await fetch(`${server.url}/schema.graphql`);
    expect(response.status).toBe(200);
    const checkedIn = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'schema.graphql'), 'utf8');
    expect(await response.text()).toBe(checkedIn);
  });
});

describe('when the database goes away', () => {
  it('readyz answers 503 and GraphQL masks the internal error', async () => {
    const db = await openTestDatabase('pglite');
    const server = await startTestServer(db);
    try {
      const org = await createTestOrg(db);
      const { secret } = await createTestCredential(db, org.orgId, ['leads:read']);
      await db.close();
      const ready = await fetch(`${server.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual({ status: 'unavailable', database: 'unreachable' });
      const { body } = await graphql(server.url, '{ viewer { label } }', { bearer: secret });
      const error = body.errors?.[0];
      expect(error?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
      expect(error?.message).not.toMatch(/pglite|prisma|closed|database/i);
      expect(error?.extensions).not.toHaveProperty('stacktrace');
    } finally {
      await server.close();
    }
  });
});
