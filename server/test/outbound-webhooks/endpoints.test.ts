// Outbound webhook endpoints through the GraphQL API: the secret shown once and sealed at
// rest, clear refusals for bad input, disabling and re-enabling, rotation, deletion, who may
// do what, and tenant isolation. Live mode refuses non-https and non-public URLs.
import { openWebhookSecret } from '../../src/outbound-webhooks/webhook-secret';
import { MAX_ENDPOINTS_PER_ORG } from '../../src/outbound-webhooks/webhook-endpoints.service';
import { testDatabaseKinds } from '../support/database';
import { createTestCredential, createTestOrg } from '../support/fixtures';
import { graphql } from '../support/server';
import { createTestStaff, openTestSession, ownerOf } from '../support/sessions';
import { useTestServer } from '../support/test-server';
import { LIVE_ENV } from '../support/twilio';

jest.setTimeout(120_000);

const ENDPOINT_FIELDS = 'id url description events enabled disabledAt disabledReason consecutiveFailures previousSecretExpiresAt createdAt';
const CREATE = `mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret endpoint { ${ENDPOINT_FIELDS} } } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateWebhookEndpointInput!) { updateWebhookEndpoint(id: $id, input: $input) { ${ENDPOINT_FIELDS} } }`;
const DELETE = 'mutation($id: ID!) { deleteWebhookEndpoint(id: $id) { id url } }';
const ROTATE = `mutation($id: ID!) { rotateWebhookEndpointSecret(id: $id) { secret endpoint { ${ENDPOINT_FIELDS} } } }`;
const LIST = `{ webhookEndpoints { ${ENDPOINT_FIELDS} } }`;
const DELIVERIES = '{ webhookDeliveries(first: 10) { totalCount nodes { id } } }';

describe.each(testDatabaseKinds)('outbound webhook endpoints on %s (sandbox)', (kind) => {
  const fixture = useTestServer(kind, { now: '2026-03-02T15:00:00.000Z' });

  async function shop() {
    const { orgId } = await createTestOrg(fixture.db);
    const cookie = await openTestSession(fixture.db, (await ownerOf(fixture.db, orgId)).userId, orgId, fixture.clock);
    const as = (query: string, variables: Record<string, unknown> = {}) => graphql(fixture.server.url, query, { cookie, variables });
    return { orgId, cookie, as };
  }

  it('shows the whsec_ secret once, keeps it only sealed, and audits the creation', async () => {
    const { orgId, as } = await shop();
    const { body } = await as(CREATE, {
      input: { url: 'http://127.0.0.1:9/hooks', events: ['lead.updated', 'lead.created', 'lead.created'], description: ' CRM sync ' },
    });
    expect(body.errors).toBeUndefined();
    const { secret, endpoint } = body.data!.createWebhookEndpoint;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(endpoint).toMatchObject({ url: 'http://127.0.0.1:9/hooks', events: ['lead.created', 'lead.updated'], enabled: true, description: 'CRM sync' });

    const row = await fixture.db.prisma.webhookEndpoint.findFirstOrThrow({ where: { id: endpoint.id, orgId } });
    expect(row.secret).not.toContain(secret.slice(6));
    expect(row.secret).toMatch(/^v1\./);
    expect(openWebhookSecret(row.secret)).toBe(secret);

    const listed = await as(LIST);
    expect(JSON.stringify(listed.body)).not.toContain(secret);
    expect(listed.body.data!.webhookEndpoints.map((e: { id: string }) => e.id)).toEqual([endpoint.id]);
    const audit = await fixture.db.prisma.auditEntry.findFirstOrThrow({ where: { orgId, action: 'webhook_endpoint.created' } });
    expect(audit.targetId).toBe(endpoint.id);
    expect(JSON.stringify(audit.changes)).not.toContain(secret);
  });

  it('refuses an unknown event type, a bad URL, no events and a long description, each with a reason', async () => {
    const { as } = await shop();
    const refusal = async (input: Record<string, unknown>) => {
      const { body } = await as(CREATE, { input: { url: 'https://example.com/hooks', events: ['lead.created'], ...input } });
      expect(body.data).toBeNull();
      return body.errors![0]!;
    };
    const unknown = await refusal({ events: ['lead.created', 'lead.deleted'] });
    expect(unknown.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'UNKNOWN_EVENT_TYPE' });
    expect(unknown.message).toContain('"lead.deleted"');
    expect((await refusal({ events: [] })).extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'NO_EVENT_TYPES' });
    expect((await refusal({ url: 'not a url' })).extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'INVALID_URL' });
    expect((await refusal({ url: 'ftp://example.com/x' })).extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'INVALID_URL' });
    expect((await refusal({ url: 'https://user:pw@example.com/x' })).extensions).toMatchObject({ reason: 'INVALID_URL' });
    expect((await refusal({ description: 'x'.repeat(201) })).extensions).toMatchObject({ reason: 'DESCRIPTION_TOO_LONG' });
  });

  it(`allows at most ${MAX_ENDPOINTS_PER_ORG} endpoints per organization`, async () => {
    const { as } = await shop();
    for (let i = 0; i < MAX_ENDPOINTS_PER_ORG; i++) {
      const { body } = await as(CREATE, { input: { url: `http://127.0.0.1:9/${i}`, events: ['lead.created'] } });
      expect(body.errors).toBeUndefined();
    }
    const { body } = await as(CREATE, { input: { url: 'http://127.0.0.1:9/one-too-many', events: ['lead.created'] } });
    expect(body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'TOO_MANY_ENDPOINTS', limit: MAX_ENDPOINTS_PER_ORG });
  });

  it('disables and re-enables an endpoint (failures forgotten), audited each time', async () => {
    const { orgId, as } = await shop();
    const created = (await as(CREATE, { input: { url: 'http://127.0.0.1:9/a', events: ['lead.created'] } })).body.data!.createWebhookEndpoint.endpoint;
    await fixture.db.prisma.webhookEndpoint.updateMany({
      where: { id: created.id, orgId },
      data: { consecutiveFailures: 7, failingSince: fixture.clock.now() },
    });
    const off = await as(UPDATE, { id: created.id, input: { enabled: false } });
    expect(off.body.data!.updateWebhookEndpoint).toMatchObject({ enabled: false, disabledAt: '2026-03-02T15:00:00.000Z' });
    expect(off.body.data!.updateWebhookEndpoint.disabledReason).toMatch(/^disabled by /);
    const on = await as(UPDATE, { id: created.id, input: { enabled: true, events: ['lead.updated', 'callback.completed'], url: 'http://localhost:9/b' } });
    expect(on.body.data!.updateWebhookEndpoint).toMatchObject({
      enabled: true,
      disabledAt: null,
      disabledReason: null,
      consecutiveFailures: 0,
      events: ['lead.updated', 'callback.completed'],
      url: 'http://localhost:9/b',
    });
    const audits = await fixture.db.prisma.auditEntry.findMany({ where: { orgId, action: 'webhook_endpoint.updated' }, orderBy: { seq: 'asc' } });
    expect(audits.map((a) => Object.keys(a.changes as object).sort())).toEqual([['enabled'], ['enabled', 'events', 'url']]);
    const bad = await as(UPDATE, { id: created.id, input: { events: ['nope'] } });
    expect(bad.body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'UNKNOWN_EVENT_TYPE' });
  });

  it('rotates the secret: a new one shown once, the old one kept for 24 hours', async () => {
    const { orgId, as } = await shop();
    const created = (await as(CREATE, { input: { url: 'http://127.0.0.1:9/r', events: ['lead.created'] } })).body.data!.createWebhookEndpoint;
    const { body } = await as(ROTATE, { id: created.endpoint.id });
    expect(body.errors).toBeUndefined();
    const rotated = body.data!.rotateWebhookEndpointSecret;
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(created.secret);
    expect(rotated.endpoint.previousSecretExpiresAt).toBe('2026-03-03T15:00:00.000Z');
    const row = await fixture.db.prisma.webhookEndpoint.findFirstOrThrow({ where: { id: created.endpoint.id, orgId } });
    expect(openWebhookSecret(row.secret)).toBe(rotated.secret);
    expect(openWebhookSecret(row.previousSecret!)).toBe(created.secret);
    expect(await fixture.db.prisma.auditEntry.count({ where: { orgId, action: 'webhook_endpoint.secret_rotated', targetId: created.endpoint.id } })).toBe(1);
  });

  it("deletes an endpoint; another organization's endpoints are invisible and untouchable", async () => {
    const mine = await shop();
    const theirs = await shop();
    const created = (await theirs.as(CREATE, { input: { url: 'http://127.0.0.1:9/t', events: ['lead.created'] } })).body.data!.createWebhookEndpoint.endpoint;
    expect((await mine.as(LIST)).body.data!.webhookEndpoints).toEqual([]);
    for (const [query, variables] of [
      [UPDATE, { id: created.id, input: { enabled: false } }],
      [DELETE, { id: created.id }],
      [ROTATE, { id: created.id }],
    ] as const) {
      const { body } = await mine.as(query, variables);
      expect(body.errors![0]!.extensions!.code).toBe('NOT_FOUND');
    }
    const deleted = await theirs.as(DELETE, { id: created.id });
    expect(deleted.body.data!.deleteWebhookEndpoint).toMatchObject({ id: created.id });
    expect((await theirs.as(LIST)).body.data!.webhookEndpoints).toEqual([]);
    expect(await fixture.db.prisma.auditEntry.count({ where: { orgId: theirs.orgId, action: 'webhook_endpoint.deleted' } })).toBe(1);
  });

  it('is for OWNER and ADMIN sessions, or credentials with webhooks:read / webhooks:write', async () => {
    const { orgId } = await shop();
    const url = fixture.server.url;
    const input = { url: 'http://127.0.0.1:9/p', events: ['lead.created'] };
    for (const role of ['DISPATCHER', 'ANALYST'] as const) {
      const staff = await createTestStaff(fixture.db, orgId, role);
      const cookie = await openTestSession(fixture.db, staff.userId, orgId, fixture.clock);
      for (const query of [LIST, DELIVERIES]) expect((await graphql(url, query, { cookie })).body.errors![0]!.extensions!.code).toBe('FORBIDDEN');
      expect((await graphql(url, CREATE, { cookie, variables: { input } })).body.errors![0]!.extensions!.code).toBe('FORBIDDEN');
    }
    const admin = await createTestStaff(fixture.db, orgId, 'ADMIN');
    const adminCookie = await openTestSession(fixture.db, admin.userId, orgId, fixture.clock);
    expect((await graphql(url, CREATE, { cookie: adminCookie, variables: { input } })).body.errors).toBeUndefined();

    const reader = (await createTestCredential(fixture.db, orgId, ['webhooks:read'])).secret;
    expect((await graphql(url, LIST, { bearer: reader })).body.data!.webhookEndpoints).toHaveLength(1);
    expect((await graphql(url, DELIVERIES, { bearer: reader })).body.errors).toBeUndefined();
    const denied = await graphql(url, CREATE, { bearer: reader, variables: { input } });
    expect(denied.body.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', requiredScope: 'webhooks:write' });
    const leadsOnly = (await createTestCredential(fixture.db, orgId, ['leads:read', 'leads:write'])).secret;
    expect((await graphql(url, LIST, { bearer: leadsOnly })).body.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', requiredScope: 'webhooks:read' });

    const writer = (await createTestCredential(fixture.db, orgId, ['webhooks:write'])).secret;
    const made = await graphql(url, CREATE, { bearer: writer, variables: { input } });
    expect(made.body.errors).toBeUndefined();
    const audit = await fixture.db.prisma.auditEntry.findFirstOrThrow({
      where: { orgId, action: 'webhook_endpoint.created', targetId: made.body.data!.createWebhookEndpoint.endpoint.id },
    });
    expect(audit.actorType).toBe('CREDENTIAL');
  });
});

describe.each(testDatabaseKinds)('outbound webhook endpoints on %s (live mode)', (kind) => {
  const fixture = useTestServer(kind, { env: LIVE_ENV });

  it('accepts only https URLs whose host is public, saying why not', async () => {
    const { orgId } = await createTestOrg(fixture.db);
    const cookie = await openTestSession(fixture.db, (await ownerOf(fixture.db, orgId)).userId, orgId, fixture.clock);
    const create = (url: string) => graphql(fixture.server.url, CREATE, { cookie, variables: { input: { url, events: ['lead.created'] } } });
    const http = await create('http://93.184.215.14/hooks');
    expect(http.body.errors![0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', reason: 'INVALID_URL' } });
    expect(http.body.errors![0]!.message).toContain('https');
    for (const url of [
      'https://127.0.0.1/h',
      'https://10.1.2.3/h',
      'https://172.16.0.1/h',
      'https://192.168.1.1/h',
      'https://169.254.169.254/latest/meta-data',
      'https://100.64.0.1/h',
      'https://0.0.0.0/h',
      'https://[::1]/h',
      'https://[fd00::1]/h',
      'https://[fe80::1]/h',
      'https://[::ffff:10.0.0.1]/h',
      'https://[64:ff9b::a00:1]/h',
      'https://localhost/h',
    ]) {
      const { body } = await create(url);
      expect({ url, extensions: body.errors?.[0]?.extensions }).toEqual({
        url,
        extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', reason: 'URL_NOT_PUBLIC' }),
      });
    }
    const ok = await create('https://93.184.215.14/hooks');
    expect(ok.body.errors).toBeUndefined();
  });
});
