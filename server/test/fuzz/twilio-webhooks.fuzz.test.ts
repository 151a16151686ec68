// Property-based fuzzing of Twilio's webhook routes: arbitrary form bodies
// (random and duplicate keys, huge values, bytes that are not UTF-8), any
// Content-Type, Content-Encoding and X-Twilio-Signature, on a sandbox and a
// live server. Every delivery is answered below 500 and leaves exactly one
// webhook log row; on the live server a forged delivery changes no business row.
import fc from 'fast-check';
import type { Database } from '../../src/db/client';
import type { RunningServer } from '../../src/server';
import { ManualClock } from '../../src/common/clock';
import { TWILIO_WEBHOOK_BASE } from '../../src/common/twilio-paths';
import { openTestDatabase, testDatabaseKinds } from '../support/database';
import { startTestServer } from '../support/server';
import { createTestOrg } from '../support/fixtures';
import { captureLog, type CapturedLog } from '../support/captured-log';
import { LIVE_ENV, TEST_ACCOUNT_SID } from '../support/twilio';
import {
  BUSINESS_TABLES,
  checkProperty,
  countWebhookLogs,
  encodedBody,
  fuzzRuns,
  headerValue,
  hostileText,
  loggedErrors,
  LIVE_AUDIT_ENV,
  postBytes,
  StoredRowsWatch,
} from './fuzz-support';

jest.setTimeout(300_000);

const ROUTES = ['/voice', '/voice/dial-status', '/sms', '/sms/status'];
const TRACKING_NUMBER = '+15005550777';
/** Enough that the fuzz never meets the per-IP limit (the limit has tests of its own). */
const NO_RATE_LIMIT = { RATE_LIMIT_WEBHOOK_PER_MIN: '1000000' };

const PARAM_NAMES = [
  'CallSid',
  'AccountSid',
  'From',
  'To',
  'Caller',
  'Called',
  'CallStatus',
  'DialCallStatus',
  'DialCallDuration',
  'Direction',
  'MessageSid',
  'SmsSid',
  'Body',
  'NumMedia',
  'MessageStatus',
  'ErrorCode',
  'RecordingUrl',
  'RecordingDuration',
  'Digits',
];
const PARAM_VALUES = [
  TRACKING_NUMBER,
  '+13125550123',
  '+15005550001',
  TEST_ACCOUNT_SID,
  'ringing',
  'in-progress',
  'no-answer',
  'busy',
  'completed',
  'failed',
  'delivered',
  'undelivered',
  'inbound',
  '0',
  '-1',
  '99999999999999999999',
  'STOP',
  'START',
  'YES',
  '',
];

/** One form parameter, its name and value as text (percent-encoded by the body builders). */
const param = fc.tuple(
  fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...PARAM_NAMES) }, hostileText(3)),
  fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...PARAM_VALUES) },
    fc
      .tuple(fc.constantFrom('CA', 'SM', 'MM'), fc.string({ unit: fc.constantFrom(...Array.from('0123456789abcdef')), minLength: 32, maxLength: 32 }))
      .map(([prefix, hex]) => prefix + hex),
    hostileText(),
    fc.integer({ min: 1_000, max: 70_000 }).map((n) => 'x'.repeat(n)),
  ),
);

/** A form body as bytes: well formed (UTF-8, with duplicates), with raw percent-escapes that are not UTF-8, or random bytes. */
const formBytes: fc.Arbitrary<Uint8Array> = fc.oneof(
  { weight: 4, arbitrary: fc.array(param, { maxLength: 12 }).map((pairs) => Buffer.from(new URLSearchParams(pairs).toString())) },
  fc.array(param, { maxLength: 6 }).map((pairs) => Buffer.from(`${new URLSearchParams(pairs).toString()}&Body=%FF%FE%C3%28%E2%82&From=%ED%A0%80`)),
  fc.array(fc.constantFrom('&', '=', '&&', '==', '%', '%G0', '+', 'a=b=c', '=x', 'Body'), { maxLength: 10 }).map((parts) => Buffer.from(parts.join(''))),
  fc.integer({ min: 150, max: 400 }).map((n) => Buffer.from(Array.from({ length: n }, (_, i) => `p${i}=1`).join('&'))),
  fc.uint8Array({ maxLength: 300 }),
);

const contentType = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      'application/x-www-form-urlencoded',
      'application/x-www-form-urlencoded; charset=utf-8',
      'application/x-www-form-urlencoded; charset=utf-16',
      'application/x-www-form-urlencoded; charset=latin1',
      'application/x-www-form-urlencoded; charset=nonsense',
      'Application/X-WWW-Form-Urlencoded',
      'application/json',
      'multipart/form-data; boundary=x',
      'text/plain',
    ),
  },
  headerValue(40),
  fc.constant(null),
);

const signature = fc.oneof(
  fc.constant(null),
  headerValue(),
  fc.uint8Array({ minLength: 20, maxLength: 20 }).map((bytes) => Buffer.from(bytes).toString('base64')),
);

const delivery = fc.record({
  route: fc.constantFrom(...ROUTES),
  query: fc.oneof(
    { weight: 4, arbitrary: fc.constant('') },
    hostileText(3).map((text) => `?messageId=${encodeURIComponent(text.replace(/[\uD800-\uDFFF]/g, ''))}`),
    fc.constant('?messageId=a&messageId=b'),
  ),
  body: encodedBody(formBytes),
  contentType,
  signature,
});

type Delivery = typeof delivery extends fc.Arbitrary<infer T> ? T : never;

describe.each(testDatabaseKinds)('fuzzing the Twilio webhooks on %s', (kind) => {
  let db: Database;
  let log: CapturedLog;
  let sandbox: RunningServer;
  let live: RunningServer;

  beforeAll(async () => {
    db = await openTestDatabase(kind);
    log = captureLog();
    const clock = new ManualClock('2026-01-15T15:00:00.000Z');
    sandbox = await startTestServer(db, { clock, logger: log.logger, env: NO_RATE_LIMIT, start: { stripe: null } });
    live = await startTestServer(db, { clock, logger: log.logger, env: { ...LIVE_AUDIT_ENV, ...LIVE_ENV, ...NO_RATE_LIMIT }, start: { stripe: null } });
    // A real tracking line, so a delivery the server accepted would create leads, messages and callbacks.
    await createTestOrg(db, { trackingNumber: TRACKING_NUMBER });
  });
  afterAll(async () => {
    await live?.close();
    await sandbox?.close();
    await db?.close();
  });

  /** Delivers, then checks the answer and the log row it left. */
  async function deliver(server: RunningServer, { route, query, body, contentType, signature }: Delivery) {
    const headers: Record<string, string> = {};
    if (contentType !== null) headers['content-type'] = contentType;
    if (body.contentEncoding !== null) headers['content-encoding'] = body.contentEncoding;
    if (signature !== null) headers['x-twilio-signature'] = signature;
    const logsBefore = await countWebhookLogs(db);
    const answer = await postBytes(`${server.url}${TWILIO_WEBHOOK_BASE}${route}${query}`, body.bytes, headers);
    const logsAfter = await countWebhookLogs(db);
    const seen = { status: answer.status, logRowsWritten: logsAfter - logsBefore };
    const context = `${answer.text.slice(0, 300)}\nserver log: ${loggedErrors(log, answer.requestId)}`;
    log.clear();
    if (seen.status >= 500 || seen.logRowsWritten !== 1) {
      throw new Error(`HTTP ${seen.status} and ${seen.logRowsWritten} webhook log rows (expected < 500 and exactly 1): ${context}`);
    }
    expect(answer.text).not.toMatch(/at .*\.(ts|js):\d+:\d+/);
    return answer;
  }

  it('sandbox: any delivery is answered below 500 and logged exactly once', async () => {
    await checkProperty(
      fc.asyncProperty(delivery, async (input) => {
        await deliver(sandbox, input);
      }),
      fuzzRuns(kind, 80),
    );
  });

  it('live: any forged delivery is answered below 500, logged exactly once, and changes no business row', async () => {
    const business = await StoredRowsWatch.start(db, BUSINESS_TABLES);
    await checkProperty(
      fc.asyncProperty(delivery, async (input) => {
        const answer = await deliver(live, input);
        expect({ status: answer.status, changed: await business.changes() }).toEqual({ status: answer.status, changed: {} });
      }),
      fuzzRuns(kind, 80),
    );
  });
});
