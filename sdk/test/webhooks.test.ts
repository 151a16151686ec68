// verifyWebhook against signatures made by an independent implementation of the
// CallSnare-Signature scheme (node:crypto here; the SDK uses Web Crypto): a valid
// delivery, secret rotation, the tolerance window, and every way a request is refused.
import { createHmac } from 'node:crypto';
import {
  isKnownWebhookEvent,
  verifyWebhook,
  WebhookSignatureError,
  type WebhookEvent,
  type WebhookEventOf,
  type WebhookSignatureErrorReason,
} from '../src/index';

const SECRET = 'whsec_5d2c0f2a4b7e4c1f9a8e3b6d0c7f1e2a';
const NEW_SECRET = 'whsec_9f8e7d6c5b4a39281706f5e4d3c2b1a0';
const NOW = new Date('2026-11-30T12:00:00Z');
const T = Math.floor(NOW.getTime() / 1000);

/** The scheme, written from the contract: t=<unix s>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>, one v1 per secret. */
function sign(body: string | Buffer, secrets: string[], t = T): string {
  const signatures = secrets.map((secret) =>
    createHmac('sha256', secret)
      .update(Buffer.concat([Buffer.from(`${t}.`), Buffer.from(body)]))
      .digest('hex'),
  );
  return [`t=${t}`, ...signatures.map((signature) => `v1=${signature}`)].join(',');
}

const leadCreated = {
  id: 'evt_01JDXKZ8Q3',
  type: 'lead.created',
  created: T - 2,
  orgId: '0193a1c2-0000-7000-8000-000000000001',
  data: {
    object: {
      id: '0193a1c2-0000-7000-8000-0000000000aa',
      phone: '+15125550123',
      name: 'José Müller',
      status: 'NEW',
      optedOut: false,
      createdAt: '2026-11-30T11:59:58.000Z',
      lastActivityAt: '2026-11-30T11:59:58.000Z',
    },
  },
};
const body = JSON.stringify(leadCreated);

async function refusal(promise: Promise<unknown>): Promise<{ reason: WebhookSignatureErrorReason; name: string }> {
  const error = await promise.then(
    () => {
      throw new Error('verifyWebhook accepted a request it should refuse');
    },
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(WebhookSignatureError);
  expect(error).toBeInstanceOf(Error);
  const { reason, name } = error as WebhookSignatureError;
  return { reason, name };
}

describe('verifyWebhook accepts what CallSnare signed', () => {
  it('returns the typed event for a string body', async () => {
    const event = await verifyWebhook(body, sign(body, [SECRET]), SECRET, { now: NOW });
    expect(event).toEqual(leadCreated);
    if (!isKnownWebhookEvent(event)) throw new Error('lead.created is a known event type');
    if (event.type !== 'lead.created') throw new Error(`unexpected ${event.type}`);
    const lead: WebhookEventOf<'lead.created'>['data']['object'] = event.data.object;
    expect(lead.phone).toBe('+15125550123');
  });

  it('verifies the raw bytes as received (a Buffer or a Uint8Array), non-ASCII included', async () => {
    const bytes = Buffer.from(body, 'utf8');
    const header = sign(bytes, [SECRET]);
    expect(await verifyWebhook(bytes, header, SECRET, { now: NOW })).toEqual(leadCreated);
    expect(await verifyWebhook(new Uint8Array(bytes), header, SECRET, { now: NOW })).toEqual(leadCreated);
  });

  it('checks against the current time by default', async () => {
    const now = Math.floor(Date.now() / 1000);
    const event = await verifyWebhook(body, sign(body, [SECRET], now), SECRET);
    expect(event.id).toBe(leadCreated.id);
  });

  it('reads a header that arrived as a list (sent twice) as one', async () => {
    const [timestamp, signature] = sign(body, [SECRET]).split(',');
    expect((await verifyWebhook(body, [timestamp!, signature!], SECRET, { now: NOW })).id).toBe(leadCreated.id);
  });

  it('ignores signature schemes it does not know and spaces around entries', async () => {
    const header = sign(body, [SECRET]).replace(',v1=', ', v0=deadbeef , v2=abc, v1=');
    expect((await verifyWebhook(body, header, SECRET, { now: NOW })).id).toBe(leadCreated.id);
  });
});

describe('secret rotation', () => {
  it('during the grace period a delivery carries a v1 per secret, and either secret verifies it', async () => {
    const header = sign(body, [NEW_SECRET, SECRET]);
    expect(header.match(/v1=/g)).toHaveLength(2);
    expect((await verifyWebhook(body, header, SECRET, { now: NOW })).id).toBe(leadCreated.id);
    expect((await verifyWebhook(body, header, NEW_SECRET, { now: NOW })).id).toBe(leadCreated.id);
  });

  it('a receiver holding both secrets accepts deliveries signed with either alone', async () => {
    for (const signer of [SECRET, NEW_SECRET]) {
      expect((await verifyWebhook(body, sign(body, [signer]), [SECRET, NEW_SECRET], { now: NOW })).id).toBe(leadCreated.id);
    }
  });

  it('after the grace period the old secret alone no longer verifies', async () => {
    expect(await refusal(verifyWebhook(body, sign(body, [NEW_SECRET]), SECRET, { now: NOW }))).toEqual({
      reason: 'NO_MATCHING_SIGNATURE',
      name: 'WebhookSignatureError',
    });
  });
});

describe('tolerance', () => {
  it('accepts a timestamp up to toleranceSeconds (default 300) away, either way', async () => {
    for (const t of [T - 300, T + 300]) expect((await verifyWebhook(body, sign(body, [SECRET], t), SECRET, { now: NOW })).id).toBe(leadCreated.id);
  });

  it('refuses an authentic but older (replayed) or future-dated delivery beyond it', async () => {
    for (const t of [T - 301, T + 301, T - 86_400]) {
      expect((await refusal(verifyWebhook(body, sign(body, [SECRET], t), SECRET, { now: NOW }))).reason).toBe('TIMESTAMP_OUT_OF_TOLERANCE');
    }
  });

  it('takes another tolerance, or none', async () => {
    const header = sign(body, [SECRET], T - 60);
    expect((await refusal(verifyWebhook(body, header, SECRET, { now: NOW, toleranceSeconds: 30 }))).reason).toBe('TIMESTAMP_OUT_OF_TOLERANCE');
    expect((await verifyWebhook(body, header, SECRET, { now: NOW, toleranceSeconds: 60 })).id).toBe(leadCreated.id);
    const old = sign(body, [SECRET], T - 30 * 86_400);
    expect((await verifyWebhook(body, old, SECRET, { now: NOW, toleranceSeconds: Infinity })).id).toBe(leadCreated.id);
  });

  it('a forged signature is reported as such, whatever its timestamp', async () => {
    const forged = sign(body, ['whsec_not_the_secret'], T - 3600);
    expect((await refusal(verifyWebhook(body, forged, SECRET, { now: NOW }))).reason).toBe('NO_MATCHING_SIGNATURE');
  });
});

describe('refusals', () => {
  const header = sign(body, [SECRET]);

  it('a tampered body (one character, or re-serialized JSON) matches no signature', async () => {
    const tampered = body.replace('"NEW"', '"WON"');
    expect((await refusal(verifyWebhook(tampered, header, SECRET, { now: NOW }))).reason).toBe('NO_MATCHING_SIGNATURE');
    const reserialized = JSON.stringify(JSON.parse(body), null, 2);
    expect((await refusal(verifyWebhook(reserialized, header, SECRET, { now: NOW }))).reason).toBe('NO_MATCHING_SIGNATURE');
  });

  it('a changed timestamp invalidates the signature', async () => {
    const moved = header.replace(`t=${T}`, `t=${T - 1}`);
    expect((await refusal(verifyWebhook(body, moved, SECRET, { now: NOW }))).reason).toBe('NO_MATCHING_SIGNATURE');
  });

  it('a wrong secret matches no signature', async () => {
    expect((await refusal(verifyWebhook(body, header, NEW_SECRET, { now: NOW }))).reason).toBe('NO_MATCHING_SIGNATURE');
  });

  it('no header, or an empty one', async () => {
    for (const missing of [undefined, null, '', '   ']) {
      expect((await refusal(verifyWebhook(body, missing, SECRET, { now: NOW }))).reason).toBe('MISSING_HEADER');
    }
  });

  it('a header without t= or without a 64-hex-digit v1=', async () => {
    const signature = header.split('v1=')[1]!;
    for (const malformed of [
      'garbage',
      `v1=${signature}`,
      `t=${T}`,
      `t=soon,v1=${signature}`,
      `t=${T},v1=${signature.slice(1)}`,
      `t=${T},v1=${signature.replace(/^./, 'z')}`,
      `t=${T},v0=${signature}`,
    ]) {
      expect({ malformed, reason: (await refusal(verifyWebhook(body, malformed, SECRET, { now: NOW }))).reason }).toEqual({
        malformed,
        reason: 'MALFORMED_HEADER',
      });
    }
  });

  it('a correctly signed body that is not a CallSnare event', async () => {
    const notEvents = ['not json', '[1,2]', JSON.stringify({ ...leadCreated, id: undefined }), JSON.stringify({ ...leadCreated, created: '1700000000' })];
    for (const signed of [...notEvents, JSON.stringify({ ...leadCreated, data: {} })]) {
      expect((await refusal(verifyWebhook(signed, sign(signed, [SECRET]), SECRET, { now: NOW }))).reason).toBe('INVALID_PAYLOAD');
    }
    const invalidUtf8 = Buffer.from([0x7b, 0xff, 0x7d]);
    expect((await refusal(verifyWebhook(invalidUtf8, sign(invalidUtf8, [SECRET]), SECRET, { now: NOW }))).reason).toBe('INVALID_PAYLOAD');
  });

  it('programming mistakes are TypeErrors, not signature errors', async () => {
    await expect(verifyWebhook(body, header, '', { now: NOW })).rejects.toThrow(TypeError);
    await expect(verifyWebhook(body, header, [], { now: NOW })).rejects.toThrow(TypeError);
    await expect(verifyWebhook(body, header, SECRET, { now: NOW, toleranceSeconds: -1 })).rejects.toThrow(TypeError);
    await expect(verifyWebhook(JSON.parse(body) as string, header, SECRET, { now: NOW })).rejects.toThrow(/raw request body/);
  });
});

describe('event types', () => {
  it('an event type newer than this SDK is returned, not refused, and isKnownWebhookEvent says so', async () => {
    const future = JSON.stringify({
      id: 'evt_future',
      type: 'invoice.paid',
      created: T,
      orgId: leadCreated.orgId,
      data: { object: { id: 'inv_1', total: 120 } },
    });
    const event: WebhookEvent = await verifyWebhook(future, sign(future, [SECRET]), SECRET, { now: NOW });
    expect(isKnownWebhookEvent(event)).toBe(false);
    expect(event).toMatchObject({ type: 'invoice.paid', data: { object: { id: 'inv_1', total: 120 } } });
  });

  it('every documented type is known', async () => {
    for (const type of ['lead.created', 'lead.updated', 'lead.opted_out', 'message.received', 'callback.created', 'callback.completed']) {
      const signed = JSON.stringify({ ...leadCreated, type });
      expect(isKnownWebhookEvent(await verifyWebhook(signed, sign(signed, [SECRET]), SECRET, { now: NOW }))).toBe(true);
    }
  });
});
