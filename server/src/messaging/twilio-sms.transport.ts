// Live SMS through Twilio's Messages API. Status callbacks come back to
// /webhooks/twilio/sms/status with our message id in the query string, so a
// callback that overtakes our own bookkeeping still finds its row.
import { twilioPaths, twilioWebhookUrl } from '../common/twilio-paths';
import { SmsSendError, type OutboundSms, type SentSmsQuery, type SmsAccepted, type SmsOnRecord, type SmsTransport } from './sms-transport';

/** How far Twilio's clock may be behind ours when matching a text to the instant its row was created. */
const CLOCK_SKEW_MS = 5 * 60_000;
/** Texts from one line to one caller looked at per reconciliation (newest first). */
const RECONCILE_PAGE = 50;

/** The part of the twilio client this transport uses (tests inject a client whose HTTP layer is fake). */
export interface TwilioMessagesClient {
  messages: {
    create(params: { from: string; to: string; body: string; statusCallback?: string }): Promise<{ sid: string; status: string }>;
    list(params: { from: string; to: string; limit: number }): Promise<{ sid: string; status: string; body: string; dateCreated: Date }[]>;
  };
}

/** The twilio package's client factory, typed by the part this transport uses. */
type TwilioClientFactory = (accountSid: string, authToken: string, options: { timeout: number; autoRetry: boolean }) => TwilioMessagesClient;

/**
 * Loaded when a live transport is built, not when this module is: the twilio root
 * module is the whole REST client (236 modules with axios; ~6 MB of heap, ~25 MB of RSS,
 * ~0.2 s to load), which a sandbox server never calls. Its types are the whole REST API
 * too (~750 declaration files, a third of the server's TypeScript program), hence
 * require() typed by the part used instead of an import.
 */
function loadTwilioClientFactory(): TwilioClientFactory {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- see above
  return require('twilio') as TwilioClientFactory;
}

export interface TwilioTransportOptions {
  accountSid: string;
  authToken: string;
  publicBaseUrl: string;
  /** Replaces the real client; the default talks to api.twilio.com. */
  client?: TwilioMessagesClient;
  /** Per-request timeout; must stay well under the outbox claim lease. */
  timeoutMs?: number;
}

export class TwilioSmsTransport implements SmsTransport {
  readonly kind = 'twilio' as const;
  private readonly client: TwilioMessagesClient;

  constructor(private readonly options: TwilioTransportOptions) {
    // autoRetry off: the outbox owns retries (with backoff across processes and restarts).
    this.client =
      options.client ?? loadTwilioClientFactory()(options.accountSid, options.authToken, { timeout: options.timeoutMs ?? 10_000, autoRetry: false });
  }

  async send(sms: OutboundSms): Promise<SmsAccepted> {
    const statusCallback = twilioWebhookUrl(this.options.publicBaseUrl, twilioPaths.smsStatus, { messageId: sms.messageId });
    try {
      const message = await this.client.messages.create({ from: sms.from, to: sms.to, body: sms.body, statusCallback });
      return { providerSid: message.sid, providerStatus: message.status };
    } catch (error) {
      throw classifyTwilioError(error);
    }
  }

  /**
   * Twilio's Messages API takes no idempotency key, so a text the outbox may
   * already have sent is looked for in Twilio's own log: from this line to this
   * caller, newest first, same body, created since the row was (dateCreated is
   * set on acceptance; dateSent is empty while Twilio still queues it).
   */
  async findSent(query: SentSmsQuery): Promise<SmsOnRecord[]> {
    let page: Awaited<ReturnType<TwilioMessagesClient['messages']['list']>>;
    try {
      page = await this.client.messages.list({ from: query.from, to: query.to, limit: RECONCILE_PAGE });
    } catch (error) {
      throw classifyTwilioError(error);
    }
    const since = query.since.getTime() - CLOCK_SKEW_MS;
    return page
      .filter((message) => message.body === query.body && message.dateCreated.getTime() >= since)
      .map((message) => ({ providerSid: message.sid, providerStatus: message.status, createdAt: message.dateCreated }));
  }
}

/**
 * Twilio answers 4xx for requests that can never succeed as sent (invalid or
 * unreachable number, recipient opted out) and 429/5xx for ones worth retrying.
 * 401/403 are retried too: they mean our credentials, which an operator can fix
 * while the message waits. No HTTP status at all is a network failure or timeout.
 */
export function classifyTwilioError(error: unknown): SmsSendError {
  const e = (typeof error === 'object' && error !== null ? error : {}) as { status?: unknown; code?: unknown; message?: unknown };
  const status = typeof e.status === 'number' ? e.status : null;
  const code = typeof e.code === 'string' || typeof e.code === 'number' ? String(e.code) : null;
  const message = `${status ? `Twilio HTTP ${status}` : 'Twilio request failed'}${code ? ` (error ${code})` : ''}: ${typeof e.message === 'string' ? e.message : String(error)}`;
  const permanent = status !== null && status >= 400 && status < 500 && ![401, 403, 408, 429].includes(status);
  return new SmsSendError(message, permanent, code);
}
