// Per-actor rate limit on /graphql (RATE_LIMIT_API_PER_MIN): keyed
// by credential id, else user id, else client IP. Over the limit a client gets
// HTTP 429 with Retry-After and RateLimit headers and a GraphQL-shaped body whose
// error has extensions.code RATE_LIMITED and retryAfterSeconds.
import type { Request, RequestHandler, Response } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import type { AppDeps } from '../app-deps';
import { retryAfterSeconds } from '../http/rate-limit';
import { identityOf } from '../access/identity';

const WINDOW_MS = 60_000;

/** Mount after identifyRequest(), which puts the caller on res.locals. */
export function graphqlRateLimit(deps: AppDeps): RequestHandler {
  return rateLimit({
    windowMs: WINDOW_MS,
    limit: deps.config.rateLimits.apiPerMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    identifier: 'api',
    store: deps.rateLimitStores.storeFor('graphql'),
    keyGenerator: (req: Request, res: Response) => {
      const identity = identityOf(res).identity;
      if (identity?.kind === 'credential') return `credential:${identity.credentialId}`;
      if (identity?.kind === 'user') return `user:${identity.userId}`;
      return `ip:${ipKeyGenerator(req.ip ?? 'unknown')}`;
    },
    handler: (req: Request, res: Response) => {
      const retryAfter = retryAfterSeconds((req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime, new Date());
      res.status(429).json({
        errors: [
          {
            message: `Too many requests; retry after ${retryAfter} seconds`,
            extensions: { code: 'RATE_LIMITED', retryAfterSeconds: retryAfter },
          },
        ],
      });
    },
  });
}
