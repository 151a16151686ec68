// Property-based fuzzing of who a /graphql caller claims to be: random
// Authorization values (Bearer tokens, cs_test_/cs_live_ look-alikes, other
// schemes) and random Cookie headers. None of them is an identity: the answer
// is UNAUTHENTICATED for a protected field and data for a public one, never a 5xx.
import http from 'node:http';
import zlib from 'node:zlib';
import fc from 'fast-check';
import type { Database } from '../../src/db/client';
import type { RunningServer } from '../../src/server';
import { SESSION_COOKIE } from '../../src/access/sessions';
import { openTestDatabase, testDatabaseKinds } from '../support/database';
import { startTestServer } from '../support/server';
import { createTestCredential, createTestOrg } from '../support/fixtures';
import { captureLog, type CapturedLog } from '../support/captured-log';
import { checkProperty, fuzzRuns, headerValue, loggedErrors, postBytes } from './fuzz-support';

jest.setTimeout(300_000);

/** The protected field and the public one every request asks for, in separate requests. */
const PROTECTED = '{ viewer { label } }';
const PUBLIC = '{ __typename }';

const token = (alphabet: string, max = 60) => fc.string({ unit: fc.constantFrom(...Array.from(alphabet)), maxLength: max });
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * Secrets in the documented credential format with a correct checksum, so they
 * get past the shape check to the database lookup (and match nothing there).
 */
const wellFormedSecret = fc
  .tuple(fc.constantFrom('cs_test_', 'cs_live_'), fc.string({ unit: fc.constantFrom(...Array.from(BASE62)), minLength: 40, maxLength: 40 }))
  .map(([prefix, random]) => {
    const body = prefix + random;
    let n = zlib.crc32(body);
    let check = '';
    for (let i = 0; i < 6; i++) {
      check = BASE62.charAt(n % 62) + check;
      n = Math.floor(n / 62);
    }
    return body + check;
  });

describe.each(testDatabaseKinds)('fuzzing identity headers on /graphql on %s', (kind) => {
  let db: Database;
  let server: RunningServer;
  let log: CapturedLog;
  let realSecret: string;

  beforeAll(async () => {
    db = await openTestDatabase(kind);
    log = captureLog();
    server = await startTestServer(db, { logger: log.logger, env: { RATE_LIMIT_API_PER_MIN: '1000000' } });
    const org = await createTestOrg(db);
    realSecret = (await createTestCredential(db, org.orgId, ['leads:read'])).secret;
  });
  afterAll(async () => {
    await server?.close();
    await db?.close();
  });

  /** Near misses of a real secret: one character changed, cut short, extended, in the other mode. */
  const nearMiss = () =>
    fc.tuple(fc.nat(), fc.constantFrom(...Array.from(BASE64URL)), fc.constantFrom('change', 'cut', 'extend', 'other mode')).map(([at, char, how]) => {
      const i = 8 + (at % (realSecret.length - 8));
      if (how === 'change') return `${realSecret.slice(0, i)}${char === realSecret[i] ? (char === 'A' ? 'B' : 'A') : char}${realSecret.slice(i + 1)}`;
      if (how === 'cut') return realSecret.slice(0, i);
      if (how === 'extend') return `${realSecret}${char}`;
      return realSecret.replace(/^cs_test_/, 'cs_live_');
    });

  const authorization = () =>
    fc.oneof(
      fc
        .tuple(
          fc.constantFrom('Bearer ', 'bearer ', 'BEARER  ', 'Bearer\t', 'Bearer', 'Basic ', 'Token ', ''),
          fc.constantFrom('cs_test_', 'cs_live_', 'cs_', 'sk_test_', ''),
          token(BASE64URL),
        )
        .map(([scheme, prefix, body]) => `${scheme}${prefix}${body}`),
      nearMiss().map((secret) => `Bearer ${secret}`),
      wellFormedSecret.map((secret) => `Bearer ${secret}`),
      fc.tuple(nearMiss(), headerValue(10)).map(([secret, tail]) => `Bearer ${secret} ${tail}`),
      headerValue(),
      fc.integer({ min: 1_000, max: 20_000 }).map((n) => `Bearer cs_test_${'A'.repeat(n)}`),
    );

  const cookie = () =>
    fc.oneof(
      fc.tuple(token(BASE64URL, 80), headerValue(20)).map(([value, rest]) => `${SESSION_COOKIE}=${value}${rest ? `; ${rest}` : ''}`),
      fc.uint8Array({ minLength: 32, maxLength: 32 }).map((bytes) => `${SESSION_COOKIE}=${Buffer.from(bytes).toString('base64url')}`),
      fc
        .array(fc.uint8Array({ minLength: 32, maxLength: 32 }), { minLength: 2, maxLength: 3 })
        .map((tokens) => tokens.map((bytes) => `${SESSION_COOKIE}=${Buffer.from(bytes).toString('hex')}`).join('; ')),
      fc.constantFrom(
        `${SESSION_COOKIE}=`,
        SESSION_COOKIE,
        `${SESSION_COOKIE}=%`,
        `${SESSION_COOKIE}="%FF%00"`,
        `${SESSION_COOKIE}=${'%41'.repeat(3000)}`,
        `;;;=;`,
        `${SESSION_COOKIE}=a=b`,
      ),
      headerValue(),
    );

  const headers = () =>
    fc.oneof(
      authorization().map((value) => ({ authorization: value })),
      cookie().map((value) => ({ cookie: value })),
      fc.tuple(authorization(), cookie()).map(([a, c]) => ({ authorization: a, cookie: c })),
    );

  it('random Authorization and Cookie headers: UNAUTHENTICATED for a protected field, data for a public one, never a 5xx', async () => {
    await checkProperty(
      fc.asyncProperty(headers(), fc.constantFrom(PROTECTED, PUBLIC), async (sent, query) => {
        const answer = await postBytes(`${server.url}/graphql`, Buffer.from(JSON.stringify({ query })), { 'content-type': 'application/json', ...sent });
        const serverLog = loggedErrors(log, answer.requestId);
        log.clear();
        // Node's HTTP parser refuses headers over its limit (16 KiB with the ones fetch adds)
        // with a bare 431 before any of our code runs; only headers that large may get it.
        if (answer.status === 431) {
          const headerBytes = Object.entries(sent).reduce((sum, [name, value]) => sum + name.length + Buffer.byteLength(value, 'latin1') + 4, 0);
          expect(headerBytes).toBeGreaterThan(http.maxHeaderSize - 1_024);
          return;
        }
        let body: any;
        try {
          body = JSON.parse(answer.text);
        } catch {
          throw new Error(`HTTP ${answer.status} answered with a body that is not JSON: ${answer.text.slice(0, 300)}`);
        }
        if (answer.status >= 500) throw new Error(`HTTP ${answer.status}: ${answer.text.slice(0, 300)}\nserver log: ${serverLog}`);
        const codes: unknown[] = (body.errors ?? []).map((error: any) => error?.extensions?.code);
        if (codes.length > 0) {
          // A presented but invalid identity may be refused for the whole request, public fields included.
          expect({ status: answer.status, codes: [...new Set(codes)] }).toEqual({ status: answer.status, codes: ['UNAUTHENTICATED'] });
          expect(body.data?.viewer ?? null).toBeNull();
        } else {
          expect(query).toBe(PUBLIC);
          expect(body.data).toEqual({ __typename: 'Query' });
        }
      }),
      fuzzRuns(kind, 80),
    );
  });
});
