// Property-based fuzzing of POST /webhooks/stripe: arbitrary bytes and JSON
// (Stripe-shaped events with wrong fields, deep nesting, huge arrays), any
// Content-Type and Content-Encoding, and random Stripe-Signature headers, on a
// sandbox and a live server. Every delivery is answered below 500 and leaves
// exactly one webhook log row; on the live server a forged event changes no
// business row.
import crypto from 'node:crypto';
import fc from 'fast-check';
import type { Database } from '../../src/db/client';
import type { RunningServer } from '../../src/server';
import { ManualClock } from '../../src/common/clock';
import { HANDLED_STRIPE_EVENTS } from '../../src/billing/stripe-events';
import { openTestDatabase, testDatabaseKinds } from '../support/database';
import { startTestServer } from '../support/server';
import { createTestOrg } from '../support/fixtures';
import { captureLog, type CapturedLog } from '../support/captured-log';
import { LIVE_ENV } from '../support/twilio';
import {
  BUSINESS_TABLES,
  checkProperty,
  countWebhookLogs,
  deeplyNestedJson,
  encodedBody,
  fuzzRuns,
  headerValue,
  hostileJson,
  hostileText,
  hugeNumber,
  LIVE_AUDIT_ENV,
  loggedErrors,
  postBytes,
  StoredRowsWatch,
} from './fuzz-support';

jest.setTimeout(300_000);

const NOW = '2026-01-15T15:00:00.000Z';
const NOW_SECONDS = Date.parse(NOW) / 1000;
const NO_RATE_LIMIT = { RATE_LIMIT_WEBHOOK_PER_MIN: '1000000' };
// The types CallSnare handles, plus ones it ignores.
const EVENT_TYPES = [...HANDLED_STRIPE_EVENTS, 'charge.refunded', 'ping'];

/** Stripe-shaped events whose fields have any type and any value, around real event types and an org that exists. */
function stripeLikeEvent(orgId: () => string): fc.Arbitrary<unknown> {
  const field = fc.oneof(hostileJson, hugeNumber, fc.constant(null));
  const object = fc.record(
    {
      id: fc.oneof(fc.constantFrom('sub_fuzz', 'cs_fuzz', 'in_fuzz'), field),
      object: fc.oneof(fc.constantFrom('subscription', 'checkout.session', 'invoice'), field),
      customer: fc.oneof(fc.constant('cus_fuzz'), field),
      subscription: fc.oneof(fc.constant('sub_fuzz'), field),
      client_reference_id: fc.oneof(
        fc.constant(null).map(() => orgId()),
        field,
      ),
      status: fc.oneof(fc.constantFrom('active', 'trialing', 'past_due', 'canceled', 'complete', 'paid'), field),
      mode: fc.oneof(fc.constant('subscription'), field),
      payment_status: fc.oneof(fc.constant('paid'), field),
      trial_end: fc.oneof(hugeNumber, field),
      cancel_at_period_end: fc.oneof(fc.boolean(), field),
      amount_total: fc.oneof(hugeNumber, field),
      amount_paid: fc.oneof(hugeNumber, field),
      currency: fc.oneof(fc.constant('usd'), field),
      items: fc.oneof(
        fc.record({
          object: fc.constant('list'),
          data: fc.array(fc.record({ current_period_start: fc.oneof(hugeNumber, field), current_period_end: fc.oneof(hugeNumber, field), price: field }), {
            maxLength: 3,
          }),
        }),
        field,
      ),
    },
    { requiredKeys: [] },
  );
  return fc.record(
    {
      id: fc.oneof(
        fc.string({ unit: fc.constantFrom(...Array.from('0123456789abcdef')), minLength: 8, maxLength: 16 }).map((hex) => `evt_${hex}`),
        field,
      ),
      object: fc.oneof(fc.constant('event'), field),
      type: fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...EVENT_TYPES) }, field),
      created: fc.oneof(fc.constant(NOW_SECONDS), hugeNumber, field),
      livemode: fc.oneof(fc.boolean(), field),
      data: fc.oneof({ weight: 3, arbitrary: fc.record({ object }) }, field),
    },
    { requiredKeys: [] },
  );
}

describe.each(testDatabaseKinds)('fuzzing the Stripe webhook on %s', (kind) => {
  let db: Database;
  let log: CapturedLog;
  let sandbox: RunningServer;
  let live: RunningServer;
  let orgId: string;

  beforeAll(async () => {
    db = await openTestDatabase(kind);
    log = captureLog();
    const clock = new ManualClock(NOW);
    // Sandbox verifies and records signatures too when it has a secret; it applies events either way.
    sandbox = await startTestServer(db, {
      clock,
      logger: log.logger,
      env: { STRIPE_WEBHOOK_SECRET: 'whsec_callsnare', ...NO_RATE_LIMIT },
      start: { stripe: null },
    });
    live = await startTestServer(db, { clock, logger: log.logger, env: { ...LIVE_AUDIT_ENV, ...LIVE_ENV, ...NO_RATE_LIMIT }, start: { stripe: null } });
    orgId = (await createTestOrg(db)).orgId;
  });
  afterAll(async () => {
    await live?.close();
    await sandbox?.close();
    await db?.close();
  });

  /** JSON text of any shape, and bytes that are not JSON or not UTF-8. */
  const bodyBytes = (): fc.Arbitrary<Uint8Array> =>
    fc.oneof(
      { weight: 4, arbitrary: stripeLikeEvent(() => orgId).map((event) => Buffer.from(JSON.stringify(event))) },
      hostileJson.map((value) => Buffer.from(JSON.stringify(value))),
      fc
        .tuple(fc.integer({ min: 1, max: 200_000 }), fc.constantFrom('array', 'object'))
        .map(([depth, shape]) =>
          Buffer.from(`{"id":"evt_deep","type":"customer.subscription.updated","created":${NOW_SECONDS},"data":{"object":${deeplyNestedJson(depth, shape)}}}`),
        ),
      fc
        .integer({ min: 1_000, max: 120_000 })
        .map((n) => Buffer.from(`{"id":"evt_wide","type":"invoice.paid","data":{"object":{"lines":[${'0,'.repeat(n)}0]}}}`)),
      fc.integer({ min: 520_000, max: 600_000 }).map((n) => Buffer.from(`{"pad":"${'x'.repeat(n)}"}`)),
      hostileText(20).map((text) => Buffer.from(text)),
      fc.uint8Array({ maxLength: 300 }),
      fc.constant(Buffer.from([0x7b, 0x22, 0x69, 0x64, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x7d])), // {"id":"<invalid UTF-8>"}
    );

  /** Headers that look like Stripe's and headers that do not; none is a valid signature for the live secret. */
  const stripeSignature = fc.oneof(
    fc.constant(null),
    headerValue(),
    fc
      .tuple(
        fc.oneof(
          fc.constant(NOW_SECONDS),
          hugeNumber.map((n) => Math.trunc(n)),
          fc.nat(),
        ),
        fc.array(fc.uint8Array({ minLength: 32, maxLength: 32 }), { maxLength: 3 }),
        fc.boolean(),
      )
      .map(([t, signatures, withV0]) =>
        [`t=${t}`, ...signatures.map((bytes) => `v1=${Buffer.from(bytes).toString('hex')}`), ...(withV0 ? ['v0=abc'] : [])].join(','),
      ),
    fc.constantFrom(
      't=,v1=',
      'v1=',
      't=1,t=2,v1=' + 'a'.repeat(64),
      `t=${NOW_SECONDS}`,
      ',,,',
      't=1e3,v1=' + 'A'.repeat(64),
      `t=${NOW_SECONDS},v1=${'0'.repeat(64)}`,
    ),
  );

  const contentType = fc.oneof(
    {
      weight: 4,
      arbitrary: fc.constantFrom(
        'application/json',
        'application/json; charset=utf-8',
        'application/json; charset=utf-16',
        'application/json; charset=latin1',
        'application/json; charset=bogus',
        'APPLICATION/JSON',
        'text/plain',
        'application/x-www-form-urlencoded',
      ),
    },
    headerValue(40),
    fc.constant(null),
  );

  /** A body signed correctly, but with a secret that is not the live server's. */
  const signedWithAnotherSecret = (bytes: Uint8Array) => {
    const v1 = crypto.createHmac('sha256', 'whsec_not_ours').update(`${NOW_SECONDS}.`).update(bytes).digest('hex');
    return `t=${NOW_SECONDS},v1=${v1}`;
  };

  const delivery = () =>
    fc.record({
      body: encodedBody(bodyBytes()),
      contentType,
      signature: fc.oneof({ weight: 4, arbitrary: stripeSignature }, fc.constant('another secret' as const)),
    });

  /** Delivers, then checks the answer and the log row it left. */
  async function deliver(
    server: RunningServer,
    input: { body: { bytes: Uint8Array; contentEncoding: string | null }; contentType: string | null; signature: string | null },
  ) {
    const headers: Record<string, string> = {};
    if (input.contentType !== null) headers['content-type'] = input.contentType;
    if (input.body.contentEncoding !== null) headers['content-encoding'] = input.body.contentEncoding;
    if (input.signature !== null)
      headers['stripe-signature'] = input.signature === 'another secret' ? signedWithAnotherSecret(input.body.bytes) : input.signature;
    const logsBefore = await countWebhookLogs(db);
    const answer = await postBytes(`${server.url}/webhooks/stripe`, input.body.bytes, headers);
    const logRowsWritten = (await countWebhookLogs(db)) - logsBefore;
    const context = `${answer.text.slice(0, 300)}\nserver log: ${loggedErrors(log, answer.requestId)}`;
    log.clear();
    if (answer.status >= 500 || logRowsWritten !== 1) {
      throw new Error(`HTTP ${answer.status} and ${logRowsWritten} webhook log rows (expected < 500 and exactly 1): ${context}`);
    }
    expect(answer.text).not.toMatch(/at .*\.(ts|js):\d+:\d+/);
    return answer;
  }

  it('sandbox: any delivery is answered below 500 and logged exactly once', async () => {
    await checkProperty(
      fc.asyncProperty(delivery(), async (input) => {
        await deliver(sandbox, input);
      }),
      fuzzRuns(kind, 60),
    );
  });

  it('live: any forged delivery is refused below 500, logged exactly once, and changes no business row', async () => {
    const business = await StoredRowsWatch.start(db, BUSINESS_TABLES);
    await checkProperty(
      fc.asyncProperty(delivery(), async (input) => {
        const answer = await deliver(live, input);
        expect({ status: answer.status, changed: await business.changes() }).toEqual({ status: answer.status, changed: {} });
        // Nothing a forger can send is accepted as an event.
        expect(answer.status).toBeGreaterThanOrEqual(400);
      }),
      fuzzRuns(kind, 60),
    );
  });
});
