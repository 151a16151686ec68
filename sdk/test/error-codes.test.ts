// The SDK's error codes are the server's (one list, checked here), and each documented
// error class is what the real server's answer turns into.
import { parse } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { CLIENT_ERROR_CODES } from '../../server/src/graphql/errors';
import { createTestLead } from '../../server/test/support/leads';
import {
  AuthenticationError,
  CallSnare,
  CallSnareError,
  ForbiddenError,
  NotFoundError,
  RateLimitedError,
  SERVER_ERROR_CODES,
  ValidationError,
  type ErrorCode,
} from '../src/index';
import { startSdkTestServer, type SdkTestServer } from './support/harness';

jest.setTimeout(60_000);

let api: SdkTestServer;

beforeAll(async () => {
  api = await startSdkTestServer({ env: { RATE_LIMIT_API_PER_MIN: '1000' } });
});
afterAll(async () => {
  await api?.close();
});

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => error as CallSnareError,
  );

it("SERVER_ERROR_CODES is exactly the server's client codes plus INTERNAL_SERVER_ERROR", () => {
  expect([...SERVER_ERROR_CODES].sort()).toEqual([...CLIENT_ERROR_CODES, 'INTERNAL_SERVER_ERROR'].sort());
});

it('ErrorCode is a closed union: an unknown code is a compile error', () => {
  const known: ErrorCode = 'CONFLICT';
  // @ts-expect-error not a code the server or the SDK uses
  const unknown: ErrorCode = 'NOT_A_CODE';
  expect([known, unknown]).toHaveLength(2);
});

it('UNAUTHENTICATED: an unknown API key is an AuthenticationError', async () => {
  const client = new CallSnare({ apiKey: 'cs_test_not_a_real_secret', baseUrl: api.server.url });
  const error = await failure(client.viewer());
  expect(error).toBeInstanceOf(AuthenticationError);
  expect(error).toMatchObject({ code: 'UNAUTHENTICATED', requestId: expect.any(String) });
});

it('FORBIDDEN: a missing scope is a ForbiddenError naming it', async () => {
  const client = await api.client(['leads:read']);
  const error = await failure(client.callbacks.cancel('0190a0a0-0000-7000-8000-000000000000'));
  expect(error).toBeInstanceOf(ForbiddenError);
  expect(error).toMatchObject({ code: 'FORBIDDEN', requiredScope: 'callbacks:write' });
});

it('NOT_FOUND: an unknown lead is a NotFoundError', async () => {
  const client = await api.client(['leads:read']);
  const error = await failure(client.leads.get('0190a0a0-0000-7000-8000-000000000000'));
  expect(error).toBeInstanceOf(NotFoundError);
  expect(error.code).toBe('NOT_FOUND');
});

it('BAD_USER_INPUT: completing an already closed callback is a ValidationError naming the callback (not a conflict)', async () => {
  const lead = await createTestLead(api.db, api.orgId, { name: 'Closed Clara', callback: {} });
  const callback = await api.db.prisma.callback.findFirstOrThrow({ where: { leadId: lead.id } });
  const client = await api.client(['callbacks:write', 'callbacks:read', 'leads:read']);
  await client.callbacks.complete(callback.id, { outcome: 'BOOKED' });
  const error = await failure(client.callbacks.complete(callback.id, { outcome: 'BOOKED' }));
  expect(error).toBeInstanceOf(ValidationError);
  expect(error.code).toBe('BAD_USER_INPUT');
  expect((error as ValidationError).fields).toEqual({ id: 'callback is COMPLETED' });
});

it('GRAPHQL_VALIDATION_FAILED: a document the schema refuses is a CallSnareError with that code', async () => {
  const client = await api.client(['leads:read']);
  const document = parse('query { noSuchField }') as TypedDocumentNode<unknown, Record<string, never>>;
  const error = await failure(client.request(document));
  expect(error).toBeInstanceOf(CallSnareError);
  expect(error.code).toBe('GRAPHQL_VALIDATION_FAILED');
});

describe('RATE_LIMITED', () => {
  let limited: SdkTestServer;
  beforeAll(async () => {
    limited = await startSdkTestServer({ env: { RATE_LIMIT_API_PER_MIN: '1' } });
  });
  afterAll(async () => {
    await limited?.close();
  });

  it('with retries used up, the 429 is a RateLimitedError', async () => {
    const client = await limited.client(['leads:read'], { maxRetries: 0 });
    await client.viewer();
    const error = await failure(client.viewer());
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error).toMatchObject({ code: 'RATE_LIMITED', status: 429, retryAfterSeconds: expect.any(Number) });
  });
});
