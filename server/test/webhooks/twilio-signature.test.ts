// X-Twilio-Signature fails closed: whatever the header, the parameters or the
// request line hold, the check answers VALID only for Twilio's signature, and
// anything that makes the verification throw is INVALID - never a 500, never
// a delivery without its log row.
import http from 'node:http';
import net from 'node:net';
import type { Request } from 'express';
import type { Database } from '../../src/db/client';
import type { RunningServer } from '../../src/server';
import { ManualClock } from '../../src/common/clock';
import { checkTwilioSignature } from '../../src/webhooks/twilio-signature';
import { twilioSignature } from '../../src/webhooks/twilio-simulator';
import { openTestDatabase, testDatabaseKinds } from '../support/database';
import { createTestOrg } from '../support/fixtures';
import { startTestServer } from '../support/server';
import { countRecoveryRows, fakeTwilioSid, LIVE_ENV, newCallerNumber, TEST_ACCOUNT_SID, TEST_AUTH_TOKEN } from '../support/twilio';

jest.setTimeout(120_000);

const DIAL_STATUS = '/webhooks/twilio/voice/dial-status';
/** A PUBLIC_BASE_URL with a port: an absolute-form request line appended to it is not a URL at all. */
const PUBLIC_BASE_URL = 'https://hooks.callsnare.test:8443';

describe('checkTwilioSignature', () => {
  const config = { publicBaseUrl: PUBLIC_BASE_URL, twilio: { authToken: TEST_AUTH_TOKEN } } as Parameters<typeof checkTwilioSignature>[0];
  const request = (fields: { originalUrl?: string; body?: unknown; signature?: string }) =>
    ({
      method: 'POST',
      originalUrl: fields.originalUrl ?? DIAL_STATUS,
      body: fields.body ?? {},
      header: (name: string) => (name.toLowerCase() === 'x-twilio-signature' ? fields.signature : undefined),
    }) as unknown as Request;

  it('is INVALID, not an exception, when the URL it verifies against cannot be parsed', () => {
    expect(checkTwilioSignature(config, request({ originalUrl: 'http://elsewhere/x', signature: 'bm90IGEgc2lnbmF0dXJl' }))).toBe('INVALID');
  });

  it('is INVALID, not an exception, when a parameter cannot be turned into text', () => {
    const hostile = {
      toString: () => {
        throw new Error('no text here');
      },
    };
    expect(checkTwilioSignature(config, request({ body: { CallSid: hostile }, signature: 'bm90IGEgc2lnbmF0dXJl' }))).toBe('INVALID');
  });

  it('is VALID only for the signature over PUBLIC_BASE_URL + path and the parameters', () => {
    const params = { CallSid: 'CA1', From: '+13125550123' };
    const signature = twilioSignature(TEST_AUTH_TOKEN, `${PUBLIC_BASE_URL}${DIAL_STATUS}`, params);
    expect(checkTwilioSignature(config, request({ body: params, signature }))).toBe('VALID');
    expect(checkTwilioSignature(config, request({ body: { ...params, From: '+13125550124' }, signature }))).toBe('INVALID');
    expect(checkTwilioSignature(config, request({ body: params, signature: `${signature} ` }))).toBe('INVALID');
    expect(checkTwilioSignature(config, request({ body: params }))).toBe('MISSING');
  });
});

describe.each(testDatabaseKinds)('X-Twilio-Signature over HTTP in live mode on %s', (kind) => {
  let db: Database;
  let server: RunningServer;
  let port: number;
  let trackingNumber: string;
  let orgId: string;

  beforeAll(async () => {
    db = await openTestDatabase(kind);
    server = await startTestServer(db, { clock: new ManualClock('2026-01-15T15:00:00.000Z'), env: { ...LIVE_ENV, PUBLIC_BASE_URL }, start: { stripe: null } });
    port = Number(new URL(server.url).port);
    const org = await createTestOrg(db);
    trackingNumber = org.trackingNumber!;
    orgId = org.orgId;
  });
  afterAll(async () => {
    await server?.close();
    await db?.close();
  });

  const dialStatusParams = (callSid: string) => ({
    CallSid: callSid,
    AccountSid: TEST_ACCOUNT_SID,
    From: newCallerNumber(),
    To: trackingNumber,
    CallStatus: 'in-progress',
    DialCallStatus: 'no-answer',
    DialCallDuration: '0',
  });

  /** node:http lets a test send header bytes fetch refuses (Latin-1), and the same header twice. */
  function post(path: string, body: string, headers: [string, string][]): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, path, method: 'POST', setHost: true }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      req.on('error', reject);
      req.setHeader('content-type', 'application/x-www-form-urlencoded');
      const grouped = new Map<string, string[]>();
      for (const [name, value] of headers) grouped.set(name, [...(grouped.get(name) ?? []), value]);
      for (const [name, values] of grouped) req.setHeader(name, values.length === 1 ? values[0]! : values);
      req.end(body);
    });
  }

  async function expectRejected(callSid: string, response: { status: number; body: string }) {
    expect(response.status).toBe(403);
    expect(JSON.parse(response.body)).toMatchObject({ error: { code: 'FORBIDDEN' } });
    const logs = await db.prisma.webhookLog.findMany({ where: { eventId: callSid } });
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({ outcome: 'REJECTED', httpStatus: 403 });
    expect(['INVALID', 'MISSING']).toContain(logs[0]!.signature);
    expect(await countRecoveryRows(db, orgId)).toEqual({ leads: 0, events: 0, callbacks: 0, messages: 0 });
  }

  it.each([
    ['non-ASCII (Latin-1) characters of the right length', () => '\u00e9'.repeat(28)],
    ['the right signature with a trailing Latin-1 byte', (right: string) => `${right}\u00ff`],
    ['the right signature with different letter case', (right: string) => right.toLowerCase()],
    ['a 4 KiB header', () => 'A'.repeat(4 * 1024)],
    ['an empty header', () => ''],
  ])('a signature header with %s is refused: 403, REJECTED, one log row, nothing written', async (_name, header) => {
    const callSid = fakeTwilioSid('CA');
    const params = dialStatusParams(callSid);
    const right = twilioSignature(TEST_AUTH_TOKEN, `${PUBLIC_BASE_URL}${DIAL_STATUS}`, params);
    const response = await post(DIAL_STATUS, new URLSearchParams(params).toString(), [['x-twilio-signature', header(right)]]);
    await expectRejected(callSid, response);
  });

  it('the signature header sent twice (the right one and another) is refused', async () => {
    const callSid = fakeTwilioSid('CA');
    const params = dialStatusParams(callSid);
    const right = twilioSignature(TEST_AUTH_TOKEN, `${PUBLIC_BASE_URL}${DIAL_STATUS}`, params);
    const response = await post(DIAL_STATUS, new URLSearchParams(params).toString(), [
      ['x-twilio-signature', right],
      ['x-twilio-signature', 'bm90IGEgc2lnbmF0dXJl'],
    ]);
    await expectRejected(callSid, response);
  });

  it('a parameter given twice under a forged signature is refused as forged, not processed', async () => {
    const callSid = fakeTwilioSid('CA');
    const body = `${new URLSearchParams(dialStatusParams(callSid)).toString()}&From=%2B13125550999`;
    await expectRejected(callSid, await post(DIAL_STATUS, body, [['x-twilio-signature', 'bm90IGEgc2lnbmF0dXJl']]));
  });

  it('an absolute-form request line (the verified URL is no URL at all) is refused with 403 and logged, never a 500', async () => {
    const callSid = fakeTwilioSid('CA');
    const body = new URLSearchParams(dialStatusParams(callSid)).toString();
    const raw = await new Promise<string>((resolve, reject) => {
      // Written, not ended: the server answers and then closes (Connection: close).
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.write(
          [
            `POST http://elsewhere.example${DIAL_STATUS} HTTP/1.1`,
            `Host: 127.0.0.1:${port}`,
            'Content-Type: application/x-www-form-urlencoded',
            `Content-Length: ${Buffer.byteLength(body)}`,
            'X-Twilio-Signature: bm90IGEgc2lnbmF0dXJl',
            'Connection: close',
            '',
            body,
          ].join('\r\n'),
        );
      });
      let text = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => (text += chunk));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(raw)?.[1]);
    await expectRejected(callSid, { status, body: raw.slice(raw.indexOf('\r\n\r\n') + 4) });
  });
});
