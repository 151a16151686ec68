// /webhooks: provider deliveries. Rate-limited first (before any body is
// read), then each Twilio route gets its own small form parser; bodies that
// are too large, not form-encoded or unreadable are refused with a reason
// (413/415/400) and logged, without touching anything else.
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import type { AppDeps } from '../app-deps';
import { twilioDeliveryHandler } from './twilio-delivery';
import { routePaths, twilioRoutes } from './twilio.routes';
import { sandboxMessageHandler } from './sandbox.routes';
import { TWILIO_WEBHOOK_BASE, twilioPaths } from '../common/twilio-paths';
import { webhookRateLimit } from './webhook-rate-limit';
import { redactedRequest, writeWebhookLog } from '../webhook-log/webhook-log';
import type { WebhookProvider } from '../generated/prisma/enums';
import { STRIPE_BODY_LIMIT, stripeWebhookHandler } from '../billing/stripe-webhook.route';

/** Twilio's form posts are a few KiB; anything near this is not Twilio. */
export const TWILIO_BODY_LIMIT = '64kb';

export function webhookRoutes(deps: AppDeps): Router {
  const router = Router();
  router.use((_req, res, next) => {
    res.locals.webhookStartedAt = process.hrtime.bigint();
    next();
  });
  router.use(webhookRateLimit(deps));

  const twilio = Router();
  const formBody = [requireFormEncoded(deps), express.urlencoded({ extended: false, limit: TWILIO_BODY_LIMIT, parameterLimit: 200 })];
  const routes = twilioRoutes(deps);
  for (const [name, path] of Object.entries(routePaths) as [keyof typeof routePaths, string][]) {
    twilio.post(path, ...formBody, twilioDeliveryHandler(deps, routes[name]));
  }
  twilio.get(twilioPaths.sandboxMessage, sandboxMessageHandler(deps));
  twilio.use(refuseUnreadableBody(deps));
  router.use(TWILIO_WEBHOOK_BASE.replace(/^\/webhooks/, ''), twilio);

  // Stripe signs the exact bytes it sent: the raw body, and no JSON parser before it.
  router.post('/stripe', express.raw({ type: 'application/json', limit: STRIPE_BODY_LIMIT }), stripeWebhookHandler(deps), refuseUnreadableBody(deps, 'STRIPE'));
  return router;
}

/** 415 unless the body is form-encoded (a POST without any body is let through: its parameters are simply missing). */
function requireFormEncoded(deps: AppDeps) {
  return async (req: Request, res: Response, next: NextFunction) => {
    if (req.is('application/x-www-form-urlencoded') !== false) {
      next();
      return;
    }
    const reason = `Content-Type must be application/x-www-form-urlencoded (got ${req.headers['content-type'] ? `"${req.headers['content-type']}"` : 'none'})`;
    await logRefused(deps, req, res, 415, reason);
    res.status(415).json({ error: { code: 'UNSUPPORTED_MEDIA_TYPE', message: reason } });
  };
}

/**
 * body-parser's errors carry a 4xx status (and usually a type; a body that does
 * not decompress has none): turn each into a clear answer and a log row.
 */
function refuseUnreadableBody(deps: AppDeps, provider: WebhookProvider = 'TWILIO') {
  return async (error: unknown, req: Request, res: Response, next: NextFunction) => {
    const e = error as { status?: number; type?: string; limit?: number; length?: number; message?: string } | null;
    if (typeof e?.status !== 'number' || e.status < 400 || e.status >= 500 || res.headersSent) {
      next(error);
      return;
    }
    const [status, code, reason] =
      e.type === 'entity.too.large'
        ? [413, 'PAYLOAD_TOO_LARGE', `body is ${e.length ?? 'more than'} bytes; the limit is ${e.limit ?? TWILIO_BODY_LIMIT} bytes`]
        : e.type === 'parameters.too.many'
          ? [413, 'PAYLOAD_TOO_LARGE', 'too many form parameters']
          : e.type === 'charset.unsupported' || e.type === 'encoding.unsupported'
            ? [415, 'UNSUPPORTED_MEDIA_TYPE', e.message ?? 'unsupported charset or encoding']
            : [400, 'BAD_REQUEST', `body could not be read: ${e.message ?? e.type ?? 'unreadable'}`];
    await logRefused(deps, req, res, status, reason, provider);
    // The rest of an oversized body is never read: close the connection after answering.
    if (status === 413) res.setHeader('Connection', 'close');
    res.status(status).json({ error: { code, message: reason } });
  };
}

async function logRefused(deps: AppDeps, req: Request, res: Response, httpStatus: number, reason: string, provider: WebhookProvider = 'TWILIO'): Promise<void> {
  const started = res.locals.webhookStartedAt as bigint | undefined;
  res.setHeader('X-CallSnare-Outcome', 'MALFORMED');
  await writeWebhookLog(deps, {
    provider,
    route: `${req.baseUrl}${req.path}`,
    eventId: null,
    orgId: null,
    signature: 'UNCHECKED',
    outcome: 'MALFORMED',
    httpStatus,
    receivedAt: deps.clock.now(),
    durationMs: started ? Number(process.hrtime.bigint() - started) / 1e6 : 0,
    payload: { ...redactedRequest(req), body: null },
    error: reason,
    requestId: req.requestId,
    ip: req.ip ?? null,
  });
}
