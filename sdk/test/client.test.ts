// The client's plumbing against a real server: auth, typed errors, request ids and
// client.request() with any typed document.
import { AuditEntriesDocument, ViewerDocument } from '../src/documents';
import { AuthenticationError, CallSnare, CallSnareError, ForbiddenError, ValidationError } from '../src/index';
import { startSdkTestServer, type SdkTestServer } from './support/harness';

jest.setTimeout(60_000);

let api: SdkTestServer;

beforeAll(async () => {
  api = await startSdkTestServer();
});
afterAll(async () => {
  await api?.close();
});

it('viewer() tells which credential, organization and scopes the API key has', async () => {
  const client = await api.client(['leads:read', 'audit:read']);
  const viewer = await client.viewer();
  expect(viewer).toMatchObject({
    actorType: 'CREDENTIAL',
    organization: { id: api.orgId, name: 'SDK HVAC' },
    credential: { name: 'sdk 2 scopes', prefix: expect.stringMatching(/^cs_test_/) },
    user: null,
  });
  expect([...viewer.scopes].sort()).toEqual(['audit:read', 'leads:read']);
});

it("request() runs any typed document with the client's credential", async () => {
  const client = await api.client(['audit:read']);
  const { viewer } = await client.request(ViewerDocument);
  expect(viewer.actorType).toBe('CREDENTIAL');
  const { auditEntries } = await client.request(AuditEntriesDocument, { first: 1 });
  expect(auditEntries.nodes.length).toBeLessThanOrEqual(1);
  expect(typeof auditEntries.totalCount).toBe('number');
});

it("an unknown API key is an AuthenticationError with the server's request id", async () => {
  const client = new CallSnare({ apiKey: 'cs_test_not_a_real_secret', baseUrl: api.server.url });
  const error = await client.viewer().catch((thrown: unknown) => thrown);
  expect(error).toBeInstanceOf(AuthenticationError);
  expect(error).toBeInstanceOf(CallSnareError);
  expect(error).toMatchObject({ code: 'UNAUTHENTICATED', status: 200, requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
});

it('a missing scope is a ForbiddenError naming the scope', async () => {
  const client = await api.client(['leads:read']);
  const error = await client.audit.list().catch((thrown: unknown) => thrown);
  expect(error).toBeInstanceOf(ForbiddenError);
  expect(error).toMatchObject({ code: 'FORBIDDEN', requiredScope: 'audit:read', operation: 'auditEntries' });
  expect((error as ForbiddenError).requestId).toBeTruthy();
});

it('refused arguments are a ValidationError with the fields', async () => {
  const client = await api.client(['audit:read']);
  const error = await client.audit.list({}, { first: 500 }).catch((thrown: unknown) => thrown);
  expect(error).toBeInstanceOf(ValidationError);
  expect((error as ValidationError).fields).toEqual({ first: expect.stringMatching(/1.100/) });
});

it('the request id of an error is the X-Request-Id the server answered with', async () => {
  const seen: string[] = [];
  const client = new CallSnare({
    apiKey: 'cs_test_not_a_real_secret',
    baseUrl: api.server.url,
    fetch: async (input, init) => {
      const response = await fetch(input, init);
      seen.push(response.headers.get('x-request-id') ?? '');
      return response;
    },
  });
  const error = (await client.viewer().catch((thrown: unknown) => thrown)) as CallSnareError;
  expect(seen).toHaveLength(1);
  expect(error.requestId).toBe(seen[0]);
});

it('refuses to start without an API key or a base URL', () => {
  expect(() => new CallSnare({ apiKey: '', baseUrl: api.server.url })).toThrow(/apiKey/);
  expect(() => new CallSnare({ apiKey: 'cs_test_x', baseUrl: '127.0.0.1:4000' })).toThrow(/baseUrl/);
});
