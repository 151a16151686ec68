// The webhook surface as a provider meets it: signatures (enforced in live
// mode, recorded in sandbox), malformed and oversized bodies, rate limits,
// and the one log row every delivery leaves.
import type { Database } from '../../src/db/client';
import type { RunningServer } from '../../src/server';
import { runOutboxOnce } from '../../src/server';
import { ManualClock } from '../../src/common/clock';
import { TwilioSmsTransport } from '../../src/messaging/twilio-sms.transport';
import { twilioSignature } from '../../src/webhooks/twilio-simulator';
import { openTestDatabase, testDatabaseKinds } from '../support/database';
import { createTestOrg } from '../support/fixtures';
import { startTestServer } from '../support/server';
import {
  countRecoveryRows,
  fakeTwilioNetwork,
  fakeTwilioSid,
  LIVE_ENV,
  newCall,
  newCallerNumber,
  TEST_ACCOUNT_SID,
  TEST_AUTH_TOKEN,
  TEST_PUBLIC_BASE_URL,
  twilioPoster,
  webhookLogs,
} from '../support/twilio';

jest.setTimeout(120_000);

const BUSINESS_HOURS = '2026-01-15T15:00:00.000Z';

async function postRaw(url: string, body: string | Uint8Array, headers: Record<string, string>) {
  const response = await fetch(url, { method: 'POST', headers, body });
  return {
    status: response.status,
    headers: response.headers,
    json: (await response.json().catch(() => null)) as { error?: { code: string; message: string } } | null,
  };
}

describe.each(testDatabaseKinds)('Twilio webhooks in live mode on %s', (kind) => {
  let db: Database;
  let server: RunningServer;
  const network = fakeTwilioNetwork(() => ({ statusCode: 201, body: { sid: fakeTwilioSid('SM'), status: 'queued' } }));

  beforeAll(async () => {
    db = await openTestDatabase(kind);
    server = await startTestServer(db, {
      env: LIVE_ENV,
      clock: new ManualClock(BUSINESS_HOURS),
      start: {
        smsTransport: new TwilioSmsTransport({
          accountSid: TEST_ACCOUNT_SID,
          authToken: TEST_AUTH_TOKEN,
          publicBaseUrl: TEST_PUBLIC_BASE_URL,
          client: network.client,
        }),
      },
    });
  });
  afterAll(async () => {
    await server.close();
    await db.close();
  });

  async function rejected(orgId: string, callSid: string, post: () => Promise<{ status: number; body: string }>, reason: RegExp) {
    const response = await post();
    expect(response.status).toBe(403);
    expect(JSON.parse(response.body)).toEqual({ error: { code: 'FORBIDDEN', message: expect.stringMatching(reason) } });
    const logs = await webhookLogs(db, { eventId: callSid });
    expect(logs.at(-1)).toMatchObject({ outcome: 'REJECTED', httpStatus: 403, orgId: null });
    expect(await countRecoveryRows(db, orgId)).toEqual({ leads: 0, events: 0, callbacks: 0, messages: 0 });
    return logs.at(-1)!;
  }

  it('refuses a delivery without a signature: 403, logged REJECTED, nothing else written', async () => {
    const org = await createTestOrg(db);
    const call = newCall(newCallerNumber(), org.trackingNumber!);
    const log = await rejected(org.orgId, call.callSid, () => twilioPoster(server, { authToken: null }).dialStatus(call), /missing/);
    expect(log.signature).toBe('MISSING');
  });

  it('refuses a signature made with another auth token', async () => {
    const org = await createTestOrg(db);
    const call = newCall(newCallerNumber(), org.trackingNumber!);
    const log = await rejected(org.orgId, call.callSid, () => twilioPoster(server, { authToken: 'not-the-auth-token' }).dialStatus(call), /does not match/);
    expect(log.signature).toBe('INVALID');
  });

  it('verifies against PUBLIC_BASE_URL, not the address the request reached: a Host-based signature is refused', async () => {
    const org = await createTestOrg(db);
    const call = newCall(newCallerNumber(), org.trackingNumber!);
    await rejected(org.orgId, call.callSid, () => twilioPoster(server, { publicBaseUrl: server.url }).dialStatus(call), /PUBLIC_BASE_URL/);
    // Tampering with a signed parameter breaks the signature too.
    const params = { CallSid: call.callSid, From: call.from, To: call.to, DialCallStatus: 'no-answer' };
    const signature = twilioSignature(TEST_AUTH_TOKEN, `${TEST_PUBLIC_BASE_URL}/webhooks/twilio/voice/dial-status`, params);
    const tampered = await postRaw(`${server.url}/webhooks/twilio/voice/dial-status`, new URLSearchParams({ ...params, From: '+13125550000' }).toString(), {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': signature,
    });
    expect(tampered.status).toBe(403);
  });

  it('accepts a valid signature, and sends the text-back through Twilio with a status callback that is accepted in turn', async () => {
    const org = await createTestOrg(db);
    const caller = newCallerNumber();
    const call = newCall(caller, org.trackingNumber!);
    const twilio = twilioPoster(server, { publicBaseUrl: TEST_PUBLIC_BASE_URL });
    const response = await twilio.dialStatus(call);
    expect(response.status).toBe(200);
    // Live mode does not expose ids to the caller of the webhook.
    expect(response.headers.get('x-callsnare-lead-id')).toBeNull();
    expect((await webhookLogs(db, { eventId: call.callSid }))[0]).toMatchObject({ outcome: 'PROCESSED', signature: 'VALID', orgId: org.orgId });

    await runOutboxOnce(server.deps);
    const message = await db.prisma.message.findFirstOrThrow({ where: { orgId: org.orgId } });
    expect(message.status).toBe('SENT');
    const sent = network.requests.at(-1)!;
    expect(sent.method.toUpperCase()).toBe('POST');
    expect(sent.uri).toBe(`https://api.twilio.com/2010-04-01/Accounts/${TEST_ACCOUNT_SID}/Messages.json`);
    expect(sent.data).toMatchObject({
      From: org.trackingNumber,
      To: caller,
      Body: message.body,
      StatusCallback: `${TEST_PUBLIC_BASE_URL}/webhooks/twilio/sms/status?messageId=${message.id}`,
    });

    const delivered = await twilio.smsStatus(message.providerSid!, 'delivered', { messageId: message.id });
    expect(delivered.status).toBe(200);
    expect(await db.prisma.message.findUniqueOrThrow({ where: { id: message.id } })).toMatchObject({ status: 'DELIVERED' });
    expect((await webhookLogs(db, { eventId: `${message.providerSid}:delivered` }))[0]).toMatchObject({ outcome: 'PROCESSED', signature: 'VALID' });
  });
});

describe.each(testDatabaseKinds)('Twilio webhooks in sandbox mode on %s', (kind) => {
  let db: Database;
  let server: RunningServer;
  let trackingNumber: string;
  let orgId: string;

  beforeAll(async () => {
    db = await openTestDatabase(kind);
    server = await startTestServer(db, { env: { TWILIO_AUTH_TOKEN: TEST_AUTH_TOKEN }, clock: new ManualClock(BUSINESS_HOURS) });
    const org = await createTestOrg(db);
    trackingNumber = org.trackingNumber!;
    orgId = org.orgId;
  });
  afterAll(async () => {
    await server.close();
    await db.close();
  });

  const dialStatusUrl = () => `${server.url}/webhooks/twilio/voice/dial-status`;
  const form = { 'content-type': 'application/x-www-form-urlencoded' };

  it('checks signatures when present and records the result, without enforcing it', async () => {
    const cases: [string | null, string][] = [
      [TEST_AUTH_TOKEN, 'VALID'],
      ['someone-else', 'INVALID'],
      [null, 'MISSING'],
    ];
    for (const [authToken, expected] of cases) {
      const call = newCall(newCallerNumber(), trackingNumber);
      expect((await twilioPoster(server, { authToken }).dialStatus(call)).status).toBe(200);
      expect((await webhookLogs(db, { eventId: call.callSid }))[0]).toMatchObject({ signature: expected, outcome: 'PROCESSED' });
    }
  });

  it('records NOT_CONFIGURED when no auth token is configured', async () => {
    const unsigned = await startTestServer(db, { clock: new ManualClock(BUSINESS_HOURS) });
    try {
      const call = newCall(newCallerNumber(), trackingNumber);
      expect((await twilioPoster(unsigned).voice(call)).status).toBe(200);
      expect((await webhookLogs(db, { eventId: call.callSid }))[0]).toMatchObject({ signature: 'NOT_CONFIGURED', outcome: 'PROCESSED' });
    } finally {
      await unsigned.close();
    }
  });

  it.each([
    [{ From: '+13125550123', To: 'TRACKING', DialCallStatus: 'no-answer' }, 'CallSid is required'],
    [{ CallSid: 'CALLSID', To: 'TRACKING', DialCallStatus: 'no-answer' }, 'From is required'],
    [{ CallSid: 'CALLSID', From: '+13125550123', DialCallStatus: 'no-answer' }, 'To is required'],
    [{ CallSid: 'CALLSID', From: '+13125550123', To: 'TRACKING' }, 'DialCallStatus is required'],
    [{ CallSid: 'CALLSID', From: '(312) 555-0123', To: 'TRACKING', DialCallStatus: 'no-answer' }, 'From must be an E.164 phone number'],
    [{ CallSid: 'CALLSID', From: '+13125550123', To: '5005550006', DialCallStatus: 'no-answer' }, 'To must be an E.164 phone number'],
  ])('a malformed dial-status %j is refused with 400 "%s", logged, nothing else written', async (template, reason) => {
    const callSid = fakeTwilioSid('CA');
    const params = Object.fromEntries(
      Object.entries(template).map(([key, value]) => [key, value.replace('TRACKING', trackingNumber).replace('CALLSID', callSid)]),
    );
    const before = await countRecoveryRows(db, orgId);
    const response = await twilioPoster(server).post('/voice/dial-status', params);
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body)).toEqual({ error: { code: 'BAD_REQUEST', message: expect.stringContaining(reason) } });
    expect(await countRecoveryRows(db, orgId)).toEqual(before);
    const logs = await db.prisma.webhookLog.findMany({ where: { outcome: 'MALFORMED', error: { contains: reason } } });
    expect(logs.length).toBeGreaterThanOrEqual(1);
    expect(logs.at(-1)).toMatchObject({ httpStatus: 400, signature: 'VALID', route: '/webhooks/twilio/voice/dial-status' });
  });

  it('a parameter given twice is malformed', async () => {
    const callSid = fakeTwilioSid('CA');
    const body = `CallSid=${callSid}&CallSid=${callSid}&From=%2B13125550123&To=${encodeURIComponent(trackingNumber)}&DialCallStatus=no-answer`;
    const response = await postRaw(dialStatusUrl(), body, form);
    expect(response.status).toBe(400);
    expect(response.json?.error?.message).toBe('CallSid must be given once, as text');
  });

  it('a 1 MB body is refused with 413 before it is read, and logged', async () => {
    const before = await db.prisma.webhookLog.count({ where: { httpStatus: 413 } });
    const body = `CallSid=${fakeTwilioSid('CA')}&Body=${'x'.repeat(1024 * 1024)}`;
    const response = await postRaw(dialStatusUrl(), body, form);
    expect(response.status).toBe(413);
    expect(response.json).toEqual({ error: { code: 'PAYLOAD_TOO_LARGE', message: expect.stringMatching(/limit is 65536 bytes/) } });
    const logs = await db.prisma.webhookLog.findMany({ where: { httpStatus: 413 }, orderBy: { receivedAt: 'asc' } });
    expect(logs).toHaveLength(before + 1);
    expect(logs.at(-1)).toMatchObject({ outcome: 'MALFORMED', signature: 'UNCHECKED', route: '/webhooks/twilio/voice/dial-status' });
    expect(logs.at(-1)!.payload).toMatchObject({ body: null, headers: { 'content-length': String(Buffer.byteLength(body)) } });
  });

  it('a body that is not form-encoded is refused with 415', async () => {
    const response = await postRaw(dialStatusUrl(), JSON.stringify({ CallSid: fakeTwilioSid('CA') }), { 'content-type': 'application/json' });
    expect(response.status).toBe(415);
    expect(response.json?.error).toEqual({
      code: 'UNSUPPORTED_MEDIA_TYPE',
      message: 'Content-Type must be application/x-www-form-urlencoded (got "application/json")',
    });
    const log = await db.prisma.webhookLog.findFirstOrThrow({ where: { httpStatus: 415 } });
    expect(log).toMatchObject({ outcome: 'MALFORMED', signature: 'UNCHECKED' });
  });

  it('the log keeps phone numbers, drops credentials, and cuts bodies at 8 KiB', async () => {
    const messageSid = fakeTwilioSid('SM');
    const caller = newCallerNumber();
    const response = await twilioPoster(server).post(
      '/sms',
      { MessageSid: messageSid, From: caller, To: trackingNumber, Body: `Long story. ${'The furnace clicks. '.repeat(600)}` },
      {
        authorization: 'Basic c2VjcmV0OnNlY3JldA==',
        cookie: 'callsnare_session=abc',
        'user-agent': 'TwilioProxy/1.1',
        'i-twilio-idempotency-token': 'idem-123',
      },
    );
    expect(response.status).toBe(200);
    const [log] = await webhookLogs(db, { eventId: messageSid });
    const payload = log!.payload as {
      method: string;
      path: string;
      headers: Record<string, string>;
      body: { truncated: boolean; bytes: number; preview: string };
    };
    expect(payload.method).toBe('POST');
    expect(payload.path).toBe('/webhooks/twilio/sms');
    expect(payload.headers).toEqual({
      'content-type': 'application/x-www-form-urlencoded',
      'content-length': expect.any(String),
      'user-agent': 'TwilioProxy/1.1',
      'i-twilio-idempotency-token': 'idem-123',
    });
    expect(JSON.stringify(payload)).not.toMatch(/c2VjcmV0|callsnare_session|x-twilio-signature/i);
    expect(payload.body.truncated).toBe(true);
    expect(payload.body.bytes).toBeGreaterThan(8192);
    expect(Buffer.byteLength(payload.body.preview)).toBeLessThanOrEqual(8192);
    expect(payload.body.preview).toContain(caller);
    expect(log!.durationMs).toBeGreaterThanOrEqual(0);
    expect(log!.requestId).toBe(response.headers.get('x-request-id'));
  });

  it('a body the database cannot store as JSON (NUL characters) is still processed and logged', async () => {
    const messageSid = fakeTwilioSid('SM');
    const response = await twilioPoster(server).sms(newCallerNumber(), trackingNumber, 'odd\u0000text', messageSid);
    expect(response.status).toBe(200);
    expect(await webhookLogs(db, { eventId: messageSid })).toHaveLength(1);
  });

  it('a failing log write never fails a valid delivery', async () => {
    const create = jest.spyOn(server.deps.db.prisma.webhookLog, 'create').mockRejectedValue(new Error('disk full'));
    try {
      const call = newCall(newCallerNumber(), trackingNumber);
      const response = await twilioPoster(server).dialStatus(call);
      expect(response.status).toBe(200);
      expect(await db.prisma.leadEvent.count({ where: { providerRef: `call_missed:${call.callSid}` } })).toBe(1);
    } finally {
      create.mockRestore();
    }
  });

  it('answers 5xx only when CallSnare itself failed, so the provider retries', async () => {
    // The missed call's one statement fails inside the database (the call context is cached from earlier deliveries);
    // the webhook log, another table, still takes the row.
    await db.prisma.$executeRawUnsafe('ALTER TABLE "LeadEvent" RENAME TO "LeadEventAway"');
    const call = newCall(newCallerNumber(), trackingNumber);
    try {
      const response = await twilioPoster(server).dialStatus(call);
      expect(response.status).toBe(500);
      expect(JSON.parse(response.body).error.message).toMatch(/safe to retry/);
      expect(response.body).not.toMatch(/LeadEvent|relation/);
    } finally {
      await db.prisma.$executeRawUnsafe('ALTER TABLE "LeadEventAway" RENAME TO "LeadEvent"');
    }
    expect((await webhookLogs(db, { eventId: call.callSid }))[0]).toMatchObject({ outcome: 'FAILED', httpStatus: 500 });
    // The retry goes through.
    expect((await twilioPoster(server).dialStatus(call)).status).toBe(200);
  });

  it('a caller who withheld their number is connected, but there is nothing to recover', async () => {
    const call = newCall('anonymous', trackingNumber);
    expect((await twilioPoster(server).voice(call)).status).toBe(200);
    const response = await twilioPoster(server).dialStatus(call);
    expect(response.status).toBe(200);
    // Both deliveries can land in the same millisecond: compare them by route, not arrival order.
    const logs = await webhookLogs(db, { eventId: call.callSid });
    expect(logs.map((l) => [l.route, l.outcome, l.error]).sort()).toEqual([
      ['/webhooks/twilio/voice', 'PROCESSED', null],
      ['/webhooks/twilio/voice/dial-status', 'IGNORED', 'caller ID withheld: no number to text or call back'],
    ]);
  });
});

describe('webhook rate limit', () => {
  it('answers 429 with Retry-After and draft-8 RateLimit headers past the per-minute limit, and logs RATE_LIMITED', async () => {
    const db = await openTestDatabase('pglite');
    const server = await startTestServer(db, { env: { RATE_LIMIT_WEBHOOK_PER_MIN: '3' } });
    try {
      const org = await createTestOrg(db);
      const twilio = twilioPoster(server, { authToken: null });
      const statuses: number[] = [];
      let last: Awaited<ReturnType<typeof twilio.voice>> | null = null;
      for (let i = 0; i < 5; i++) {
        last = await twilio.voice(newCall(newCallerNumber(), org.trackingNumber!));
        statuses.push(last.status);
      }
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      expect(Number(last!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(last!.headers.get('ratelimit-policy')).toMatch(/^"webhooks"; q=3; w=60/);
      expect(last!.headers.get('ratelimit')).toMatch(/^"webhooks"; r=0; t=\d+/);
      expect(JSON.parse(last!.body).error).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) });
      const limited = await db.prisma.webhookLog.findMany({ where: { outcome: 'RATE_LIMITED' } });
      expect(limited).toHaveLength(2);
      expect(limited[0]).toMatchObject({ httpStatus: 429, provider: 'TWILIO', route: '/webhooks/twilio/voice', signature: 'UNCHECKED' });
      expect(await db.prisma.webhookLog.count()).toBe(5);
    } finally {
      await server.close();
      await db.close();
    }
  });
});
