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

/** What the outbox asks the provider about a text it may already have sent (a worker died between the send and its record). */
export interface SentSmsQuery {
  from: string;
  to: string;
  body: string;
  /** Nothing created before this instant can be the text (the Message row's createdAt). */
  since: Date;
}

/** A message the provider holds that matches a SentSmsQuery. */
export interface SmsOnRecord extends SmsAccepted {
  createdAt: Date;
}

export interface SmsTransport {
  readonly kind: 'twilio' | 'sandbox' | 'custom';
  send(sms: OutboundSms): Promise<SmsAccepted>;
  /**
   * The provider's own record of texts matching the query, newest first: how the
   * outbox reconciles a claim left by a dead worker instead of sending again.
   * A transport without it cannot be reconciled with: such texts are sent again.
   * Throws (any error) when the provider could not be asked.
   */
  findSent?(query: SentSmsQuery): Promise<SmsOnRecord[]>;
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
