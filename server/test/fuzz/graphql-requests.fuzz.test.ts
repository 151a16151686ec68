// Property-based fuzzing of POST /graphql: arbitrary documents, real operations
// with mutated tokens, arbitrary variables, cursors and whole request bodies,
// sent with no identity, a staff session and an API credential. Whatever
// arrives, the answer is a JSON client error or data - never a 5xx or an
// INTERNAL_SERVER_ERROR - and neither a read nor input the server rejects changes
// a stored row.
import fc from 'fast-check';
import { Kind, parse, type OperationDefinitionNode } from 'graphql';
import type { Database } from '../../src/db/client';
import type { RunningServer } from '../../src/server';
import { SCOPES } from '../../src/access/scopes';
import { encodeCursor } from '../../src/db/pagination';
import { openTestDatabase, testDatabaseKinds } from '../support/database';
import { startTestServer } from '../support/server';
import { createTestCredential, createTestOrg } from '../support/fixtures';
import { createTestLead } from '../support/leads';
import { openTestSession, ownerOf } from '../support/sessions';
import { captureLog, type CapturedLog } from '../support/captured-log';
import { checkProperty, deeplyNestedJson, edgeTimestamp, loggedErrors, fuzzRuns, StoredRowsWatch, hostileJson, hostileText, hugeNumber } from './fuzz-support';

jest.setTimeout(300_000);

type IdentityName = 'no identity' | 'a staff session' | 'an API credential';
const IDENTITIES: IdentityName[] = ['no identity', 'a staff session', 'an API credential'];

interface Operation {
  query: string;
  variables?: Record<string, unknown>;
}

interface Answer {
  status: number;
  body: any;
}

/** Real operations of the API, the material the token mutations start from. */
function realOperations(ids: { leadId: string; callbackId: string }): Operation[] {
  return [
    {
      query:
        'query Leads($first: Int, $after: String, $filter: LeadFilter) { leads(first: $first, after: $after, filter: $filter) { nodes { id phone name status } pageInfo { hasNextPage endCursor } totalCount } }',
      variables: { first: 5, after: null, filter: { search: '555', status: ['NEW'] } },
    },
    {
      query:
        'query Lead($id: ID!) { lead(id: $id) { id name events(first: 3) { nodes { id type data } } messages(first: 3) { nodes { id body } } callbacks { id status } } }',
      variables: { id: ids.leadId },
    },
    { query: '{ callbacks(first: 5, filter: { overdue: true, status: [OPEN] }) { nodes { id status dueAt lead { id } } totalCount } }' },
    { query: '{ auditEntries(first: 5) { nodes { id action } pageInfo { endCursor } } webhookLogs(first: 2) { totalCount } }' },
    { query: '{ viewer { label actorType role scopes organization { id } } settings { businessName timezone } }' },
    { query: 'query Stats($since: DateTimeISO) { stats(since: $since) { missedCallLeads bookedLeads } }', variables: { since: '2026-01-01T00:00:00.000Z' } },
    {
      query: 'mutation UpdateLead($id: ID!, $input: UpdateLeadInput!) { updateLead(id: $id, input: $input) { id name status } }',
      variables: { id: ids.leadId, input: { name: 'Pat Doe' } },
    },
    {
      query: 'mutation AddNote($leadId: ID!, $body: String!) { addLeadNote(leadId: $leadId, body: $body) { id } }',
      variables: { leadId: ids.leadId, body: 'called back' },
    },
    { query: `mutation { scheduleCallback(leadId: "${ids.leadId}", at: "2026-02-01T10:00:00Z") { id status } }` },
    { query: `mutation { completeCallback(id: "${ids.callbackId}", outcome: NO_ANSWER, notes: "rang out") { id status } }` },
    {
      query: 'mutation Settings($input: UpdateSettingsInput!) { updateSettings(input: $input) { businessName } }',
      variables: { input: { ringTimeoutSeconds: 20, timezone: 'America/Chicago' } },
    },
    { query: 'mutation { signIn(email: "nobody@fuzz.test", password: "not the password") { label } }' },
    { query: '{ __schema { queryType { name } } __type(name: "Lead") { fields { name } } }' },
  ];
}

// GraphQL's lexical tokens, whitespace kept so a mutated document still reads like one.
const TOKEN = /"(?:[^"\\]|\\.)*"|\.\.\.|[A-Za-z_][A-Za-z0-9_]*|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|\s+|[^\sA-Za-z0-9_]/g;
const tokensOf = (query: string) => query.match(TOKEN) ?? [];

type TokenEdit =
  | { kind: 'replace'; at: number; by: string }
  | { kind: 'delete'; at: number }
  | { kind: 'duplicate'; at: number }
  | { kind: 'insert'; at: number; text: string };

function applyEdits(query: string, edits: TokenEdit[]): string {
  const tokens = tokensOf(query);
  for (const edit of edits) {
    if (tokens.length === 0) break;
    const at = edit.at % tokens.length;
    if (edit.kind === 'replace') tokens[at] = edit.by;
    else if (edit.kind === 'delete') tokens.splice(at, 1);
    else if (edit.kind === 'duplicate') tokens.splice(at, 0, tokens[at]!);
    else tokens.splice(at, 0, edit.text);
  }
  return tokens.join('');
}

/** A GraphQL string literal holding `text`, its odd characters written as GraphQL \u escapes. */
const graphqlString = (text: string) => JSON.stringify(text);

function tokenEdit(pool: string[]): fc.Arbitrary<TokenEdit> {
  const at = fc.nat();
  const replacement = fc.oneof(
    fc.constantFrom(...pool),
    hostileText(4),
    hugeNumber.map(String),
    fc.constantFrom('99999999999999999999999999', '-0', '1e400', '0x10', '$undefined', '@include(if: true)', 'null', '"\\uD800"', '"\\u0000"', '"""block"""'),
    hostileText(4).map(graphqlString),
    edgeTimestamp.map(graphqlString),
  );
  return fc.oneof(
    fc.record({ kind: fc.constant('replace' as const), at, by: replacement }),
    fc.record({ kind: fc.constant('delete' as const), at }),
    fc.record({ kind: fc.constant('duplicate' as const), at }),
    fc.record({ kind: fc.constant('insert' as const), at, text: fc.oneof(hostileText(3), fc.constantFrom(...pool)) }),
  );
}

/** Documents shaped to hit the limits: deep selections, many aliases, deep argument values, fragment cycles, many directives. */
function abusiveShape(leadId: string): fc.Arbitrary<string> {
  const n = fc.integer({ min: 1, max: 400 });
  return fc.oneof(
    n.map((depth) => `{ lead(id: "${leadId}") ${'{ callbacks { lead '.repeat(depth)}{ id }${' } }'.repeat(depth)} }`),
    n.map((count) => `{ ${Array.from({ length: count }, (_, i) => `a${i}: viewer { label }`).join(' ')} }`),
    fc
      .tuple(fc.integer({ min: 1, max: 3000 }), fc.constantFrom('array', 'object'))
      .map(
        ([depth, kind]) =>
          `{ leads(filter: { search: ${kind === 'array' ? deeplyNestedJson(depth, 'array') : `${'{a:'.repeat(depth)}1${'}'.repeat(depth)}`} }) { totalCount } }`,
      ),
    fc.constant('fragment A on Query { ...B } fragment B on Query { ...A } { ...A }'),
    n.map((count) => `{ viewer ${'@include(if: true) '.repeat(count)}{ label } }`),
    n.map((count) => `query Q(${Array.from({ length: count }, (_, i) => `$v${i}: Int`).join(', ')}) { viewer { label } }`),
    fc.constantFrom(
      '{ leads(first: 100) { nodes { events(first: 100) { nodes { id } } messages(first: 100) { nodes { id } } } } }',
      'query A { viewer { label } } query B { viewer { label } }',
      'subscription { x }',
      '',
    ),
  );
}

/** Cursors a client could send: random bytes and text, and our own format with wrong parts. */
function arbitraryCursor(): fc.Arbitrary<string> {
  const b64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');
  const key = fc.oneof(
    fc.date({ noInvalidDate: false }).map((date) => (Number.isNaN(date.getTime()) ? 'Invalid Date' : date.toISOString())),
    fc.constantFrom(
      '0000-01-01T00:00:00.000Z',
      '9999-12-31T23:59:59.999Z',
      '2026-13-45T99:00:00.000Z',
      '2026-02-30T00:00:00.000Z',
      '2026-01-01T24:00:00.000Z',
      '+275760-09-13T00:00:00.000Z',
      '1970-01-01T00:00:00.000Z',
      '',
    ),
    hostileText(4),
  );
  const id = fc.oneof(fc.uuid(), fc.constantFrom('00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff', ''), hostileText(3));
  // Dates at the edges of what JavaScript and PostgreSQL can hold, in a cursor of our own format.
  const edgeKey = fc.oneof(
    fc.constantFrom('0000-01-01T00:00:00.000Z', '0001-01-01T00:00:00.000Z', '9999-12-31T23:59:59.999Z', '1969-12-31T23:59:59.999Z', '4714-11-24T00:00:00.000Z'),
    fc.date({ min: new Date('0000-01-01T00:00:00.000Z'), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true }).map((date) => date.toISOString()),
  );
  return fc.oneof(
    { weight: 2, arbitrary: fc.tuple(edgeKey, fc.uuid()).map(([k, i]) => encodeCursor({ key: k, id: i })) },
    fc
      .tuple(fc.constantFrom('v1', 'v0', 'v2', ''), key, id, fc.array(hostileText(2), { maxLength: 2 }))
      .map(([version, k, i, rest]) => b64url([version, k, i, ...rest].join('|'))),
    fc.tuple(key, id).map(([k, i]) => encodeCursor({ key: k, id: i })),
    hostileJson.map((value) => Buffer.from(JSON.stringify(value)).toString('base64')),
    fc.record({ key: hostileJson, id: hostileJson }).map((value) => b64url(JSON.stringify(value))),
    fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes).toString('base64')),
    fc.base64String({ maxLength: 40 }),
    hostileText(),
    fc.constant('A'.repeat(50_000)),
  );
}

/** Lists that take `after`, as queries with the cursor in a variable or written inline. */
function cursorQueries(leadId: string) {
  const lists = ['leads', 'callbacks', 'auditEntries', 'webhookLogs', 'apiCredentials', 'members'];
  return [
    ...lists.map((list) => (after: string) => `{ ${list}(first: 3, after: ${after}) { nodes { id } pageInfo { endCursor } } }`),
    (after: string) => `{ lead(id: "${leadId}") { events(first: 3, after: ${after}) { nodes { id } } messages(first: 3, after: ${after}) { nodes { id } } } }`,
  ];
}

/** The one operation a document holds: its type and root field count (undefined when it does not parse or holds several). */
function soleOperation(query: unknown): { type: 'query' | 'mutation' | 'subscription'; rootFields: number | undefined } | undefined {
  if (typeof query !== 'string') return undefined;
  try {
    const operations = parse(query).definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    if (operations.length !== 1) return undefined;
    const { operation, selectionSet } = operations[0]!;
    // Fragments at the root hide how many fields they select.
    return { type: operation, rootFields: selectionSet.selections.every((s) => s.kind === Kind.FIELD) ? selectionSet.selections.length : undefined };
  } catch {
    return undefined;
  }
}

/**
 * Whether the server refused the request as a whole: refused before execution
 * (HTTP 4xx), or its only root field failed (the field's own error, not one
 * from a nested field of a result that was already written).
 */
function wasRejected(answer: Answer, query: unknown): boolean {
  if (answer.status >= 400) return true;
  const errors = answer.body?.errors;
  if (!Array.isArray(errors) || errors.length === 0 || answer.body?.data != null) return false;
  return soleOperation(query)?.rootFields === 1 && errors.every((error: any) => !Array.isArray(error?.path) || error.path.length <= 1);
}

/**
 * The invariants every answer of /graphql keeps, whatever was sent. A failure
 * carries what the server logged as an error for the request, so the report
 * names the cause and not only the symptom.
 */
function expectSafeAnswer(answer: Answer, text: string, serverErrors: () => string) {
  const fail = (what: string) => {
    throw new Error(`${what}: ${text.slice(0, 500)}\nserver log: ${serverErrors()}`);
  };
  if (answer.status >= 500) fail(`HTTP ${answer.status}`);
  if (answer.body === undefined) fail(`HTTP ${answer.status} answered with a body that is not JSON`);
  const codes = [...(Array.isArray(answer.body?.errors) ? answer.body.errors.map((error: any) => error?.extensions?.code) : []), answer.body?.error?.code];
  if (codes.includes('INTERNAL_SERVER_ERROR')) fail(`INTERNAL_SERVER_ERROR (HTTP ${answer.status})`);
  expect(text).not.toMatch(/"stacktrace"|at .*\.(ts|js):\d+:\d+/);
}

describe.each(testDatabaseKinds)('fuzzing POST /graphql on %s', (kind) => {
  let db: Database;
  let server: RunningServer;
  let log: CapturedLog;
  let headers: Record<IdentityName, Record<string, string>>;
  let operations: Operation[];
  let tokenPool: string[];
  let leadId: string;
  /** What each request changed in the stored rows. */
  let stored: StoredRowsWatch;

  beforeAll(async () => {
    db = await openTestDatabase(kind);
    // Limits high enough that the fuzz reaches the resolvers; sign-in keeps its own limit (it is part of what is fuzzed).
    log = captureLog();
    server = await startTestServer(db, { logger: log.logger, env: { RATE_LIMIT_API_PER_MIN: '1000000' } });
    const org = await createTestOrg(db);
    const lead = await createTestLead(db, org.orgId, { name: 'Sam Caller', callback: {} });
    leadId = lead.id;
    const callback = await db.prisma.callback.findFirstOrThrow({ where: { leadId } });
    const owner = await ownerOf(db, org.orgId);
    const cookie = await openTestSession(db, owner.userId, org.orgId);
    const { secret } = await createTestCredential(db, org.orgId, [...SCOPES], 'fuzz credential');
    headers = {
      'no identity': {},
      'a staff session': { cookie },
      'an API credential': { authorization: `Bearer ${secret}` },
    };
    operations = realOperations({ leadId, callbackId: callback.id });
    tokenPool = [...new Set(operations.flatMap((operation) => tokensOf(operation.query)).filter((token) => token.trim() !== ''))];
    stored = await StoredRowsWatch.start(db);
  });
  afterAll(async () => {
    await server?.close();
    await db?.close();
  });

  /** POSTs `body` (an object is sent as JSON) and checks the answer and what it left stored. */
  async function post(identity: IdentityName, body: unknown, options: { raw?: boolean; contentType?: string } = {}): Promise<Answer> {
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': options.contentType ?? 'application/json', ...headers[identity] },
      body: options.raw ? (body as string | Uint8Array) : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    const answer = { status: response.status, body: parsed };
    expectSafeAnswer(answer, text, () => loggedErrors(log, response.headers.get('x-request-id')));
    log.clear();
    const changed = await stored.changes();
    const query = typeof body === 'object' && body !== null && !options.raw ? (body as { query?: unknown }).query : undefined;
    // Reading never writes (a session's sliding expiry and a credential's lastUsedAt are not compared).
    if (wasRejected(answer, query) || soleOperation(query)?.type === 'query') {
      expect({ answer: text.slice(0, 300), changed }).toEqual({ answer: text.slice(0, 300), changed: {} });
    }
    return answer;
  }

  const identity = fc.constantFrom(...IDENTITIES);

  it.each(IDENTITIES)('arbitrary query text with %s: never a 5xx, and nothing stored changes', async (who) => {
    await checkProperty(
      fc.asyncProperty(fc.oneof(hostileText(30), fc.string({ unit: 'binary', maxLength: 200 }), abusiveShape(leadId)), async (query) => {
        await post(who, { query });
      }),
      fuzzRuns(kind, 25),
    );
  });

  it.each(IDENTITIES)('real operations with mutated tokens and arbitrary variables, with %s: never a 5xx, and rejected ones store nothing', async (who) => {
    const variables = fc.oneof(
      fc.constant(undefined),
      fc.dictionary(
        fc.oneof(fc.constantFrom('id', 'leadId', 'input', 'filter', 'first', 'after', 'body', 'since'), hostileText(3)),
        fc.oneof(hostileJson, edgeTimestamp),
        { maxKeys: 4 },
      ),
    );
    await checkProperty(
      fc.asyncProperty(
        fc.nat({ max: operations.length - 1 }),
        fc.array(tokenEdit(tokenPool), { maxLength: 4 }),
        fc.boolean(),
        variables,
        async (which, edits, keepVariables, randomVariables) => {
          const operation = operations[which]!;
          const query = applyEdits(operation.query, edits);
          const vars = keepVariables && operation.variables ? { ...operation.variables, ...(randomVariables as object) } : randomVariables;
          await post(who, { query, variables: vars });
        },
      ),
      fuzzRuns(kind, 40),
    );
  });

  it('arbitrary `after` cursors, in variables and inline, with every identity: a client error or a page, never a 5xx', async () => {
    const queries = cursorQueries(leadId);
    await checkProperty(
      fc.asyncProperty(identity, fc.nat({ max: queries.length - 1 }), arbitraryCursor(), fc.boolean(), async (who, which, cursor, inline) => {
        const build = queries[which]!;
        const body = inline ? { query: build(JSON.stringify(cursor)) } : { query: `query($after: String) ${build('$after')}`, variables: { after: cursor } };
        await post(who, body);
      }),
      fuzzRuns(kind, 60),
    );
  });

  it('arbitrary request bodies (any JSON, wrong field types, bytes that are not JSON): never a 5xx', async () => {
    const envelope = fc.record(
      { query: fc.oneof(hostileJson, hostileText()), variables: hostileJson, operationName: hostileJson, extensions: hostileJson },
      { requiredKeys: [] },
    );
    const rawBody = fc.oneof(
      fc.uint8Array({ maxLength: 200 }),
      hostileText(20),
      fc.constantFrom(
        deeplyNestedJson(20_000, 'array'),
        `{"query":"{ viewer { label } }","variables":${deeplyNestedJson(5_000, 'object')}}`,
        '{"query":"' + 'a'.repeat(200_000) + '"}',
      ),
    );
    const contentType = fc.constantFrom(
      'application/json',
      'application/json; charset=utf-16',
      'application/json; charset=latin1',
      'application/graphql-response+json',
      'text/plain',
      'application/x-www-form-urlencoded',
    );
    await checkProperty(
      fc.asyncProperty(
        identity,
        fc.oneof(
          envelope.map((body) => ({ body, raw: false })),
          hostileJson.map((body) => ({ body, raw: false })),
          rawBody.map((body) => ({ body, raw: true })),
        ),
        contentType,
        async (who, { body, raw }, type) => {
          await post(who, body, { raw, contentType: raw ? type : 'application/json' });
        },
      ),
      fuzzRuns(kind, 60),
    );
  });
});
