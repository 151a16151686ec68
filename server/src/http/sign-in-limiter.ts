// Sign-in attempts per IP + email (RATE_LIMIT_SIGNIN_PER_15MIN),
// counted before the password is checked, successful ones included. The count
// lives in the same kind of store as the HTTP limiters (memory, or Redis when
// REDIS_URL is set), under its own prefix.
import crypto from 'node:crypto';
import { ipKeyGenerator, MemoryStore, type Options, type Store } from 'express-rate-limit';
import type { RateLimitStores } from './rate-limit';
import { retryAfterSeconds } from './rate-limit';

export const SIGN_IN_WINDOW_MS = 15 * 60 * 1000;

export type SignInAttempt = { limited: false } | { limited: true; retryAfterSeconds: number; headers: Record<string, string> };

export class SignInLimiter {
  private readonly store: Store;

  constructor(
    stores: RateLimitStores,
    private readonly limit: number,
    private readonly windowMs: number = SIGN_IN_WINDOW_MS,
  ) {
    this.store = stores.storeFor('sign-in') ?? new MemoryStore();
    void this.store.init?.({ windowMs } as Options);
  }

  /** Counts one attempt for this IP and (normalized) email. */
  async attempt(ip: string | null, email: string): Promise<SignInAttempt> {
    // Emails are hashed so the shared store holds no addresses.
    const emailKey = crypto.createHash('sha256').update(email).digest('hex').slice(0, 32);
    const key = `${ip ? ipKeyGenerator(ip) : 'unknown'}|${emailKey}`;
    const { totalHits, resetTime } = await this.store.increment(key);
    if (totalHits <= this.limit) return { limited: false };
    const retryAfter = retryAfterSeconds(resetTime, new Date());
    return {
      limited: true,
      retryAfterSeconds: retryAfter,
      headers: {
        ratelimit: `"sign-in"; r=0; t=${retryAfter}`,
        'ratelimit-policy': `"sign-in"; q=${this.limit}; w=${Math.ceil(this.windowMs / 1000)}`,
      },
    };
  }

  async close(): Promise<void> {
    await this.store.shutdown?.();
  }
}
