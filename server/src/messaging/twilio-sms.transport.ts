// Live SMS through Twilio's Messages API. Status callbacks come back to
// /webhooks/twilio/sms/status with our message id in the query string, so a
// callback that overtakes our own bookkeeping still finds its row.
import twilio from 'twilio';
import { twilioPaths, twilioWebhookUrl } from '../common/twilio-paths';
import { SmsSendError, type OutboundSms, type SmsAccepted, type SmsTransport } from './sms-transport';

/** The part of the twilio client this transport uses (tests inject a client whose HTTP layer is fake). */
export interface TwilioMessagesClient {
  messages: {
    create(params: { from: string; to: string; body: string; statusCallback?: string }): Promise<{ sid: string; status: string }>;
  };
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
    this.client = options.client ?? twilio(options.accountSid, options.authToken, { timeout: options.timeoutMs ?? 10_000, autoRetry: false });
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
}

/**
 * Twilio answers 4xx for requests that can never succeed as sent (invalid or
 * unreachable number, recipient opted out) and 429/5xx for ones worth retrying.
 * 401/403 are retried too: they mean our credentials, which an operator can fix
 * while the message waits. No HTTP status at all is a network failure or timeout.
 */
export function classifyTwilioError(error: unknown): SmsSendError {
  const e = error as { status?: unknown; code?: unknown; message?: unknown };
  const status = typeof e?.status === 'number' ? e.status : null;
  const code = e?.code === undefined || e?.code === null ? null : String(e.code);
  const message = `${status ? `Twilio HTTP ${status}` : 'Twilio request failed'}${code ? ` (error ${code})` : ''}: ${typeof e?.message === 'string' ? e.message : String(error)}`;
  const permanent = status !== null && status >= 400 && status < 500 && ![401, 403, 408, 429].includes(status);
  return new SmsSendError(message, permanent, code);
}
