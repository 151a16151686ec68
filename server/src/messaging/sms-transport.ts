// The one interface the outbox worker sends through: Twilio in live mode, the
// sandbox recorder otherwise. Transports classify failures; the worker decides
// what to do about them (retry, give up, opt the caller out).

export interface OutboundSms {
  /** Our Message id: lets the provider's status callback find the row before we know its sid. */
  messageId: string;
  from: string;
  to: string;
  body: string;
}

export interface SmsAccepted {
  /** The provider's message id (SM…). */
  providerSid: string;
  /** What the provider said it is doing with it (Twilio: queued, sending, sent…). */
  providerStatus: string;
}

export interface SmsTransport {
  readonly kind: 'twilio' | 'sandbox' | 'custom';
  send(sms: OutboundSms): Promise<SmsAccepted>;
}

/**
 * A send that did not go out. `permanent`: retrying cannot help (bad number,
 * recipient opted out at the carrier). Otherwise transient (rate limit,
 * provider outage, network): retry with backoff.
 */
export class SmsSendError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
    /** The provider's error code, e.g. "21610". */
    readonly code: string | null = null,
  ) {
    super(message);
    this.name = 'SmsSendError';
  }
}

/** Twilio error 21610: the recipient replied STOP to this sender; the carrier blocks further texts. */
export const RECIPIENT_OPTED_OUT = '21610';
