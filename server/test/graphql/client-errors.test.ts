// Malformed or unsupported GraphQL requests are the client's mistake: they get
// HTTP 400 and a client error code, never a 500, and are never logged as errors.
// Bodies are posted raw, so the JSON escapes reach the server exactly as written.
import type { Database } from '../../src/db/client';
import type { RunningServer } from '../../src/server';
import { QUERY_LIMITS } from '../../src/graphql/query-limits';
import { encodeCursor } from '../../src/db/pagination';
import { newRowId } from '../../src/common/ids';
import { openTestDatabase, testDatabaseKinds } from '../support/database';
import { startTestServer } from '../support/server';
import { createTestCredential, createTestOrg } from '../support/fixtures';
import { createTestLead } from '../support/leads';
import { captureLog, LOG_LEVEL, type CapturedLog, type LogLine } from '../support/captured-log';

jest.setTimeout(60_000);

interface GraphQLAnswer {
  status: number;
  body: { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] };
  /** What the server logged while handling this request (matched by request id). */
  logged: LogLine[];
}

describe.each(testDatabaseKinds)('client mistakes in GraphQL requests on %s', (kind) => {
  let db: Database;
  let server: RunningServer;
  let log: CapturedLog;
  let secret: string;
  let leadId: string;

  beforeAll(async () => {
    db = await openTestDatabase(kind);
    log = captureLog();
    server = await startTestServer(db, { logger: log.logger });
    const org = await createTestOrg(db);
    secret = (await createTestCredential(db, org.orgId, ['leads:read', 'leads:write', 'audit:read', 'callbacks:read'])).secret;
    leadId = (await createTestLead(db, org.orgId)).id;
  });
  afterAll(async () => {
    await server.close();
    await db.close();
  });

  /** POSTs `rawBody` byte for byte as application/json. */
  async function post(rawBody: string): Promise<GraphQLAnswer> {
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
      body: rawBody,
    });
    const body = (await response.json()) as GraphQLAnswer['body'];
    // The access log line is written when the response finishes; let it land.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const requestId = response.headers.get('x-request-id');
    return { status: response.status, body, logged: log.lines.filter((line) => line.requestId === requestId) };
  }

  function expectClientError(answer: GraphQLAnswer, status: number, code: string) {
    expect({ status: answer.status, code: answer.body.errors?.[0]?.extensions?.code }).toEqual({ status, code });
    expect(answer.body.errors?.[0]?.extensions).not.toHaveProperty('stacktrace');
    expect(answer.logged.filter((line) => line.level >= LOG_LEVEL.error)).toEqual([]);
    expect(answer.logged.some((line) => line.msg === 'request' && line.status === status)).toBe(true);
  }

  it('answers a syntax error with 400 GRAPHQL_PARSE_FAILED', async () => {
    const answer = await post(JSON.stringify({ query: '{ viewer { ' }));
    expectClientError(answer, 400, 'GRAPHQL_PARSE_FAILED');
    expect(answer.body.errors?.[0]?.message).toMatch(/^Syntax Error: Expected Name, found <EOF>/);
  });

  it('answers a document over the token limit with 400 QUERY_TOO_COMPLEX naming the limit', async () => {
    const fields = Array.from({ length: QUERY_LIMITS.maxTokens }, (_, i) => `f${i}`).join(' ');
    const answer = await post(JSON.stringify({ query: `{ viewer { ${fields} } }` }));
    expectClientError(answer, 400, 'QUERY_TOO_COMPLEX');
    expect(answer.body.errors?.[0]?.extensions?.maxTokens).toBe(QUERY_LIMITS.maxTokens);
    expect(answer.body.errors?.[0]?.message).toMatch(new RegExp(`more than ${QUERY_LIMITS.maxTokens} tokens`));
  });

  it('answers a lone surrogate in the query text (a string, a comment, a GraphQL escape) with 400 GRAPHQL_PARSE_FAILED', async () => {
    for (const rawBody of [
      '{"query":"{ leads(filter: {search: \\"\\uD800\\"}) { totalCount } }"}',
      '{"query":"{ viewer { label } } # \\uDC00"}',
      '{"query":"{ leads(filter: {search: \\"\\\\uD800\\"}) { totalCount } }"}',
    ]) {
      expectClientError(await post(rawBody), 400, 'GRAPHQL_PARSE_FAILED');
    }
  });

  it('answers a lone surrogate in a variable with 400 BAD_USER_INPUT naming the variable', async () => {
    const answer = await post(
      '{"query":"mutation($id: ID!, $body: String!) { addLeadNote(leadId: $id, body: $body) { id } }","variables":{"id":"' +
        leadId +
        '","body":"note \\uD83D"}}',
    );
    expectClientError(answer, 400, 'BAD_USER_INPUT');
    expect(answer.body.errors?.[0]?.message).toMatch(/\$body/);
    expect(answer.body.data).toBeUndefined();
  });

  it('answers a NUL character in a variable, a nested input variable or a literal argument with 400 BAD_USER_INPUT', async () => {
    const searchLeads = 'query($filter: LeadFilter) { leads(filter: $filter) { totalCount } }';
    for (const rawBody of [
      `{"query":"mutation($body: String!) { addLeadNote(leadId: \\"${leadId}\\", body: $body) { id } }","variables":{"body":"a\\u0000b"}}`,
      `{"query":${JSON.stringify(searchLeads)},"variables":{"filter":{"search":"555\\u0000"}}}`,
      '{"query":"{ leads(filter: {search: \\"a\\\\u0000b\\"}) { totalCount } }"}',
      `{"query":"mutation { updateLead(id: \\"${leadId}\\", input: {name: \\"\\\\u0000\\"}) { id } }"}`,
    ]) {
      const answer = await post(rawBody);
      expectClientError(answer, 400, 'BAD_USER_INPUT');
      expect(answer.body.errors?.[0]?.message).toMatch(/NUL/);
    }
    // Nothing was written.
    expect(await db.prisma.leadEvent.count({ where: { leadId, type: 'NOTE_ADDED' } })).toBe(0);
  });

  it('still accepts ordinary text, including a surrogate pair (emoji)', async () => {
    const answer = await post(`{"query":"mutation { addLeadNote(leadId: \\"${leadId}\\", body: \\"Call back \\\\uD83D\\\\uDE00\\") { id } }"}`);
    expect(answer.status).toBe(200);
    expect(answer.body.errors).toBeUndefined();
    await db.prisma.leadEvent.deleteMany({ where: { leadId, type: 'NOTE_ADDED' } });
  });

  it('answers a decodable cursor that holds no valid date with BAD_USER_INPUT on every list', async () => {
    const badDate = encodeCursor({ key: 'not-a-date', id: newRowId() });
    const outOfRange = encodeCursor({ key: '2026-13-45T99:00:00.000Z', id: newRowId() });
    // A real JavaScript date, but PostgreSQL has no year 0.
    const yearZero = encodeCursor({ key: '0000-01-01T00:00:00.000Z', id: newRowId() });
    for (const after of [badDate, outOfRange, yearZero]) {
      for (const list of ['leads', 'auditEntries', 'callbacks']) {
        const answer = await post(JSON.stringify({ query: `query($after: String) { ${list}(after: $after) { totalCount } }`, variables: { after } }));
        // A resolver's input error: HTTP 200 with the error in `errors`, like every other BAD_USER_INPUT.
        expectClientError(answer, 200, 'BAD_USER_INPUT');
        expect(answer.body.errors?.[0]?.message).toBe('`after` is not a cursor returned by this list');
      }
      const events = await post(
        JSON.stringify({
          query: `query($id: ID!, $after: String) { lead(id: $id) { events(after: $after) { totalCount } } }`,
          variables: { id: leadId, after },
        }),
      );
      expectClientError(events, 200, 'BAD_USER_INPUT');
    }
  });

  it('answers an invalid subscription operation with 400 GRAPHQL_VALIDATION_FAILED naming the problem', async () => {
    const cases: [string, RegExp][] = [
      ['subscription { leadChanged { id } }', /Cannot query field "leadChanged" on type "Subscription"/],
      ['subscription { __typename }', /introspection/i],
    ];
    for (const [query, problem] of cases) {
      const answer = await post(JSON.stringify({ query }));
      expectClientError(answer, 400, 'GRAPHQL_VALIDATION_FAILED');
      expect(answer.body.errors?.[0]?.message).toMatch(problem);
    }
  });
});
