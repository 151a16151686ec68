// POST /webhooks/stripe: verify Stripe-Signature over the raw body (enforced
// in live mode, checked and recorded in sandbox), apply the event once, answer,
// and leave exactly one webhook log row whatever happened. (docs/public/webhooks.md)
import type { Request, RequestHandler, Response } from 'express';
import type { AppDeps } from '../app-deps';
import type { WebhookOutcome } from '../generated/prisma/enums';
import { redactedRequest, writeWebhookLog } from '../webhook-log/webhook-log';
import { MalformedStripeEvent, readStripeEvent, type StripeEventEnvelope } from './stripe-events';
import { verifyStripeSignature, type StripeSignatureResult } from './stripe-signature';
import { applyStripeEvent } from './stripe-webhook.service';

export const STRIPE_SIGNATURE_HEADER = 'stripe-signature';
/** Stripe events are a few KiB; a large invoice with many lines stays well under this. */
export const STRIPE_BODY_LIMIT = '512kb';

export function stripeWebhookHandler(deps: AppDeps): RequestHandler {
  return async (req: Request, res: Response) => {
    const started = process.hrtime.bigint();
    const receivedAt = deps.clock.now();
    const raw = Buffer.isBuffer(req.body) ? req.body : null;
    let signature: StripeSignatureResult = { check: 'UNCHECKED', reason: null };
    let eventId: string | null = null;
    let orgId: string | null = null;

    const answer = async (httpStatus: number, outcome: WebhookOutcome, error: string | null, code?: string) => {
      await writeWebhookLog(deps, {
        provider: 'STRIPE',
        route: `${req.baseUrl}${req.path}`,
        eventId,
        orgId,
        signature: signature.check,
        outcome,
        httpStatus,
        receivedAt,
        durationMs: Number(process.hrtime.bigint() - started) / 1e6,
        payload: redactedRequest(req),
        error,
        requestId: req.requestId,
        ip: req.ip ?? null,
      });
      res.setHeader('X-CallSnare-Outcome', outcome);
      if (httpStatus === 200) res.status(200).json({ received: true, outcome });
      else res.status(httpStatus).json({ error: { code, message: error } });
    };

    if (!raw) {
      req.body = null;
      const reason = `Content-Type must be application/json (got ${req.headers['content-type'] ? `"${req.headers['content-type']}"` : 'none'})`;
      await answer(415, 'MALFORMED', reason, 'UNSUPPORTED_MEDIA_TYPE');
      return;
    }
    const rawText = raw.toString('utf8');
    // The log keeps the parsed event (redacted and cut like any delivery), not the raw bytes.
    req.body = parsedOrNull(rawText);
    // A rejected delivery is logged under the event id it claims, so a forgery attempt can be found by id.
    eventId = claimedEventId(req.body);
    signature = verifyStripeSignature(raw, req.header(STRIPE_SIGNATURE_HEADER), deps.config.stripe.webhookSecret, deps.clock.now());
    if (deps.config.integrationMode === 'live' && signature.check !== 'VALID') {
      await answer(403, 'REJECTED', signature.reason, 'FORBIDDEN');
      return;
    }
    let event: StripeEventEnvelope;
    try {
      event = readStripeEvent(rawText);
      eventId = event.id;
    } catch (error) {
      if (!(error instanceof MalformedStripeEvent)) throw error;
      await answer(400, 'MALFORMED', error.message, 'BAD_REQUEST');
      return;
    }
    try {
      const result = await applyStripeEvent(
        deps.db.prisma,
        event,
        { requestId: req.requestId, ip: req.ip ?? null, userAgent: req.headers['user-agent'] ?? null },
        deps.clock,
      );
      orgId = result.orgId;
      // The plan gate reads the subscription from the cached call context (recovery/call-context.ts).
      if (result.outcome === 'PROCESSED') deps.callContexts?.invalidate({ orgId: result.orgId });
      // In sandbox an unverified event is still applied; the log says what the check found.
      const note = [result.note, signature.check === 'VALID' ? null : signature.reason].filter(Boolean).join('; ') || null;
      await answer(200, result.outcome, note);
    } catch (error) {
      if (error instanceof MalformedStripeEvent) {
        await answer(400, 'MALFORMED', error.message, 'BAD_REQUEST');
        return;
      }
      // 5xx only when CallSnare failed: Stripe retries, and the retry is safe (the event id is the key).
      deps.logger.error({ err: error, requestId: req.requestId, eventId }, 'stripe webhook failed');
      await answer(500, 'FAILED', `CallSnare could not process this event (request ${req.requestId}); it is safe to retry`, 'INTERNAL_SERVER_ERROR');
    }
  };
}

function claimedEventId(body: unknown): string | null {
  const id = typeof body === 'object' && body !== null ? (body as { id?: unknown }).id : null;
  return typeof id === 'string' && id.startsWith('evt_') ? id.slice(0, 200) : null;
}

function parsedOrNull(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { unparsable: text.slice(0, 2000) };
  }
}
