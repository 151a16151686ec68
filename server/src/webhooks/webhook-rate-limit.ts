// Per-source-IP limit on /webhooks/* (RATE_LIMIT_WEBHOOK_PER_MIN). Counted
// before the body is read, so a flood costs little; counters live in Redis
// when REDIS_URL is set so every process shares them. A limited delivery is
// answered 429 with Retry-After (the provider retries later) and logged.
import type { Request, RequestHandler, Response } from 'express';
import { ipKeyGenerator, rateLimit, type RateLimitInfo } from 'express-rate-limit';
import type { AppDeps } from '../app-deps';
import type { WebhookProvider } from '../generated/prisma/enums';
import { retryAfterSeconds } from '../http/rate-limit';
import { redactedRequest, writeWebhookLog } from '../webhook-log/webhook-log';

export function webhookRateLimit(deps: AppDeps): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: deps.config.rateLimits.webhookPerMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    identifier: 'webhooks',
    // ipKeyGenerator groups IPv6 clients by /56, so one host cannot dodge the limit by rotating addresses.
    keyGenerator: (req) => ipKeyGenerator(req.ip ?? req.socket.remoteAddress ?? 'unknown'),
    store: deps.rateLimitStores.storeFor('webhooks'),
    // Express 5 passes a rejected log write on to the error handler.
    handler: (req, res, next) => void limited(req, res).catch(next),
  });

  async function limited(req: Request, res: Response): Promise<void> {
    const receivedAt = new Date();
    const info = (req as Request & { rateLimit?: RateLimitInfo }).rateLimit;
    const retryAfter = retryAfterSeconds(info?.resetTime, receivedAt);
    res.setHeader('Retry-After', String(retryAfter));
    res.setHeader('X-CallSnare-Outcome', 'RATE_LIMITED');
    const provider = providerOf(req);
    if (provider) {
      await writeWebhookLog(deps, {
        provider,
        route: `${req.baseUrl}${req.path}`,
        eventId: null,
        orgId: null,
        // The body is not even read for a limited delivery.
        signature: 'UNCHECKED',
        outcome: 'RATE_LIMITED',
        httpStatus: 429,
        receivedAt: deps.clock.now(),
        durationMs: Date.now() - receivedAt.getTime(),
        payload: redactedRequest(req),
        error: `more than ${deps.config.rateLimits.webhookPerMinute} deliveries a minute from ${req.ip}`,
        requestId: req.requestId,
        ip: req.ip ?? null,
      });
    }
    res.status(429).json({
      error: { code: 'RATE_LIMITED', message: `Too many webhook deliveries; retry in ${retryAfter} s`, retryAfterSeconds: retryAfter },
    });
  }
}

function providerOf(req: Request): WebhookProvider | null {
  if (req.path.startsWith('/twilio/')) return 'TWILIO';
  if (req.path === '/stripe' || req.path.startsWith('/stripe/')) return 'STRIPE';
  return null;
}
