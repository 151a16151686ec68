// Playing Twilio against a test server: signed form posts (real signatures,
// made by the twilio package), a fake Twilio REST network for the live
// transport, a small TwiML parser, and queries for what a delivery left behind.
import twilio from 'twilio';
import type { Database } from '../../src/db/client';
import type { RunningServer } from '../../src/server';
import { TWILIO_WEBHOOK_BASE } from '../../src/common/twilio-paths';
import { fakeTwilioSid } from '../../src/common/ids';
import { postTwilioForm, type SimulatorResponse, type TwilioSimulatorOptions } from '../../src/webhooks/twilio-simulator';
import { TEST_AUDIT_SIGNING_KEY_HEX } from './audit-signing-key';

export const TEST_AUTH_TOKEN = '5ba1d7a1c0ffee5ba1d7a1c0ffee5ba1';
export const TEST_ACCOUNT_SID = `AC${'0123456789abcdef'.repeat(2)}`;
/** What live-mode test servers believe the world calls them at (never their real address). */
export const TEST_PUBLIC_BASE_URL = 'https://hooks.callsnare.test';

/** Env for a live-mode test server: signatures enforced, verified against TEST_PUBLIC_BASE_URL. */
export const LIVE_ENV: Record<string, string> = {
  INTEGRATION_MODE: 'live',
  TWILIO_ACCOUNT_SID: TEST_ACCOUNT_SID,
  TWILIO_AUTH_TOKEN: TEST_AUTH_TOKEN,
  STRIPE_SECRET_KEY: 'sk_test_callsnare',
  STRIPE_WEBHOOK_SECRET: 'whsec_callsnare',
  PUBLIC_BASE_URL: TEST_PUBLIC_BASE_URL,
  // The key the jest setup loads, so a live server signs the chain the tests verify.
  AUDIT_SIGNING_KEY: TEST_AUDIT_SIGNING_KEY_HEX,
};

export { fakeTwilioSid };

export interface TwilioPoster {
  /** POST to /webhooks/twilio<path>. */
  post(path: string, params: Record<string, string>, headers?: Record<string, string>): Promise<SimulatorResponse>;
  voice(call: TestCall): Promise<SimulatorResponse>;
  dialStatus(call: TestCall, dialCallStatus?: string, extra?: Record<string, string>): Promise<SimulatorResponse>;
  sms(from: string, to: string, body: string, messageSid?: string): Promise<SimulatorResponse>;
  smsStatus(messageSid: string, status: string, extra?: { messageId?: string; errorCode?: string }): Promise<SimulatorResponse>;
}

export interface TestCall {
  callSid: string;
  from: string;
  to: string;
}

export function newCall(from: string, to: string): TestCall {
  return { callSid: fakeTwilioSid('CA'), from, to };
}

/**
 * Posts like Twilio would to `server`. Signed with `authToken` over
 * `publicBaseUrl` (default: the server's own URL); `authToken: null` sends unsigned.
 */
export function twilioPoster(server: RunningServer, options: { authToken?: string | null; publicBaseUrl?: string } = {}): TwilioPoster {
  const simulator: TwilioSimulatorOptions = {
    baseUrl: server.url,
    authToken: options.authToken === undefined ? TEST_AUTH_TOKEN : options.authToken,
    publicBaseUrl: options.publicBaseUrl ?? server.deps.config.publicBaseUrl,
  };
  const post = (path: string, params: Record<string, string>, headers?: Record<string, string>) =>
    postTwilioForm(simulator, `${TWILIO_WEBHOOK_BASE}${path}`, params, headers);
  const callParams = (call: TestCall) => ({ CallSid: call.callSid, AccountSid: TEST_ACCOUNT_SID, From: call.from, To: call.to, Direction: 'inbound' });
  return {
    post,
    voice: (call) => post('/voice', { ...callParams(call), CallStatus: 'ringing' }),
    dialStatus: (call, dialCallStatus = 'no-answer', extra = {}) =>
      post('/voice/dial-status', { ...callParams(call), CallStatus: 'in-progress', DialCallStatus: dialCallStatus, DialCallDuration: '0', ...extra }),
    sms: (from, to, body, messageSid = fakeTwilioSid('SM')) =>
      post('/sms', { MessageSid: messageSid, AccountSid: TEST_ACCOUNT_SID, From: from, To: to, Body: body, NumMedia: '0' }),
    smsStatus: (messageSid, status, extra = {}) =>
      post(`/sms/status${extra.messageId ? `?messageId=${extra.messageId}` : ''}`, {
        MessageSid: messageSid,
        AccountSid: TEST_ACCOUNT_SID,
        MessageStatus: status,
        ...(extra.errorCode ? { ErrorCode: extra.errorCode } : {}),
      }),
  };
}

/** A unique caller number per call site (never one of Twilio's magic test numbers). */
let callerCounter = 0;
export function newCallerNumber(): string {
  callerCounter += 1;
  return `+1312555${String((process.pid * 7 + callerCounter) % 10_000).padStart(4, '0')}`;
}

/**
 * For tests on the real clock (a server in its own process): a caller from area code 300, which
 * no region has, so the text-back follows the shop's own 8 am–9 pm window; give the shop
 * daytimeTimeZone() and it is texted back at once, at any hour the test runs. (A Chicago caller
 * is held until 8 am Central from 9 pm on.)
 */
export function newUnlistedCallerNumber(): string {
  callerCounter += 1;
  return `+1300555${String((process.pid * 7 + callerCounter) % 10_000).padStart(4, '0')}`;
}

export { daytimeTimeZone } from '../../src/common/time-zones';

// ---------------------------------------------------------------------------
// TwiML

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

/** Parses TwiML (well-formed XML, no comments/CDATA); throws on anything malformed. */
export function parseTwiml(xml: string): XmlElement {
  const body = xml.replace(/^<\?xml[^?]*\?>\s*/, '');
  const root: XmlElement = { name: '#document', attributes: {}, children: [], text: '' };
  const stack = [root];
  const token = /<\/([A-Za-z]+)\s*>|<([A-Za-z]+)((?:\s+[A-Za-z]+="[^"]*")*)\s*(\/?)>|([^<]+)/gy;
  let match: RegExpExecArray | null;
  let consumed = 0;
  while ((match = token.exec(body)) !== null) {
    consumed = token.lastIndex;
    const [, close, open, attrs, selfClosing, text] = match;
    const top = stack[stack.length - 1]!;
    if (close) {
      if (top.name !== close) throw new Error(`TwiML: </${close}> closes <${top.name}>`);
      stack.pop();
    } else if (open) {
      const element: XmlElement = { name: open, attributes: {}, children: [], text: '' };
      for (const [, key, value] of (attrs ?? '').matchAll(/([A-Za-z]+)="([^"]*)"/g)) element.attributes[key!] = decode(value!);
      top.children.push(element);
      if (!selfClosing) stack.push(element);
    } else if (text !== undefined) {
      top.text += decode(text);
    }
  }
  if (consumed !== body.length || stack.length !== 1) throw new Error(`TwiML is not well-formed: ${xml}`);
  if (root.children.length !== 1 || root.children[0]!.name !== 'Response') throw new Error(`TwiML must have one <Response>: ${xml}`);
  return root.children[0]!;
}

function decode(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

// ---------------------------------------------------------------------------
// A fake Twilio REST API for the live transport (only the network is fake)

export interface FakeTwilioRequest {
  method: string;
  uri: string;
  data: Record<string, string>;
}

/**
 * A twilio client whose HTTP layer answers from `respond` instead of
 * api.twilio.com. Everything above the HTTP layer (the library's request
 * building, RestException for errors) is the real thing.
 */
export function fakeTwilioNetwork(respond: (request: FakeTwilioRequest) => { statusCode: number; body: Record<string, unknown> }) {
  const requests: FakeTwilioRequest[] = [];
  const httpClient = {
    async request(options: { method: string; uri: string; data?: Record<string, string> }) {
      const request = { method: options.method, uri: options.uri, data: options.data ?? {} };
      requests.push(request);
      const { statusCode, body } = respond(request);
      return { statusCode, body, headers: {} };
    },
  };
  const client = twilio(TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, { httpClient: httpClient as never, autoRetry: false });
  return { client, requests };
}

export function twilioError(statusCode: number, code: number, message: string) {
  return { statusCode, body: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status: statusCode } };
}

// ---------------------------------------------------------------------------
// What a delivery left behind

export async function countRecoveryRows(db: Database, orgId: string) {
  const [leads, events, callbacks, messages] = await Promise.all([
    db.prisma.lead.count({ where: { orgId } }),
    db.prisma.leadEvent.count({ where: { orgId } }),
    db.prisma.callback.count({ where: { orgId } }),
    db.prisma.message.count({ where: { orgId } }),
  ]);
  return { leads, events, callbacks, messages };
}

export async function webhookLogs(db: Database, where: { route?: string; eventId?: string } = {}) {
  return db.prisma.webhookLog.findMany({ where, orderBy: { receivedAt: 'asc' } });
}
