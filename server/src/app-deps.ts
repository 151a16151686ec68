// What the HTTP app, workers and CLI commands share.
import type { CredentialCache } from './access/credential-cache';
import type { AuthenticatingCredential } from './access/credentials.service';
import type { Config } from './config';
import type { Database } from './db/client';
import type { Logger } from './logger';
import type { Clock } from './common/clock';
import type { RateLimitStores } from './http/rate-limit';
import type { SmsTransport } from './messaging/sms-transport';
import type { ClaimedMessage } from './messaging/outbox.service';
import type { StripeClient } from './billing/stripe-client';
import type { LiveBus } from './live/live-bus';
import type { WebhookLogWriter } from './webhook-log/webhook-log';
import type { AppliedRefs } from './recovery/applied-refs';
import type { CallContextCache } from './recovery/call-context';

export interface AppDeps {
  config: Config;
  db: Database;
  logger: Logger;
  clock: Clock;
  rateLimitStores: RateLimitStores;
  /** Where outbound texts go: Twilio in live mode, the sandbox recorder otherwise. */
  sms: SmsTransport;
  /** Wakes the outbox worker right after a transaction queued a text (a no-op while workers are off). */
  outbox: {
    nudge(): void;
    /** The in-process worker a text due now may be written claimed for (OutboxWorker.claimant); null while workers are off. */
    claimant(): string | null;
    /** Sends a committed text written claimed for claimant() (OutboxWorker.handOff). */
    handOff(message: ClaimedMessage): void;
  };
  /** Stripe's API (checkout, billing portal): live mode only, null in sandbox. */
  stripe: StripeClient | null;
  /** Change notices (inbox updates, revocations) for listeners on this and, with Redis, every node. Publish after commit. */
  live: LiveBus;
  /** Batches webhook-log rows (one INSERT per batch); flushed on shutdown. Absent: one INSERT per row. */
  webhookLog?: WebhookLogWriter;
  /** Call contexts per tracking number; writers of settings, tracking lines and subscriptions invalidate it. Absent: not cached. */
  callContexts?: CallContextCache;
  /** The credentials behind Bearer secrets; revoking and rotating drop them. Absent: not cached. */
  credentials?: CredentialCache<AuthenticatingCredential>;
  /** Missed-call deliveries this process saw committed: their replays skip the database. */
  appliedRefs?: AppliedRefs;
}
