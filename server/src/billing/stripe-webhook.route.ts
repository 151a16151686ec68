// POST /webhooks/stripe: verify Stripe-Signature over the raw body (enforced
// in live mode, checked and recorded in sandbox), apply the event once, answer,
// and leave exactly one webhook log row whatever happened. (docs/public/webhooks.md)
import type { Request, RequestHandler, Response } from 'express';
import Stripe from 'stripe';
import type { AppDeps } from '../app-deps';
import type { SignatureCheck, WebhookOutcome } from '../generated/prisma/enums';
import { redactedRequest, writeWebhookLog } from '../webhooks/webhook-log';
import { STRIPE_SIGNATURE_TOLERANCE_SECONDS, stripeWebhooks } from './stripe-client';
import { MalformedStripeEvent, readStripeEvent, type StripeEventEnvelope } from './stripe-events';
import { applyStripeEvent } from './stripe-webhook.service';

export const STRIPE_SIGNATURE_HEADER = 'stripe-signature';
/** Stripe events are a few KiB; a large invoice with many lines stays well under this. */
export const STRIPE_BODY_LIMIT = '512kb';

interface SignatureResult {
  check: SignatureCheck;
  /** Why it is not VALID, for the log and the 403. */
  reason: string | null;
}

export function stripeWebhookHandler(deps: AppDeps): RequestHandler {
  return async (req: Request, res: Response) => {
    const started = process.hrtime.bigint();
    const receivedAt = deps.clock.now();
    const raw = Buffer.isBuffer(req.body) ? req.body : null;
    let signature: SignatureResult = { check: 'UNCHECKED', reason: null };
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
    signature = checkStripeSignature(deps, raw, req.header(STRIPE_SIGNATURE_HEADER));
    let event: StripeEventEnvelope | null = null;
    let malformed: string | null = null;
    try {
      event = readStripeEvent(rawText);
      eventId = event.id;
    } catch (error) {
      if (!(error instanceof MalformedStripeEvent)) throw error;
      malformed = error.message;
    }
    // The log keeps the parsed event (redacted and cut like any delivery), not the raw bytes.
    req.body = parsedOrNull(rawText);

    if (deps.config.integrationMode === 'live' && signature.check !== 'VALID') {
      await answer(403, 'REJECTED', signature.reason, 'FORBIDDEN');
      return;
    }
    if (!event) {
      await answer(400, 'MALFORMED', malformed, 'BAD_REQUEST');
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

function checkStripeSignature(deps: AppDeps, raw: Buffer, header: string | undefined): SignatureResult {
  const secret = deps.config.stripe.webhookSecret;
  if (!secret) return { check: 'NOT_CONFIGURED', reason: 'STRIPE_WEBHOOK_SECRET is not configured, so no signature can be verified' };
  if (!header) return { check: 'MISSING', reason: 'Stripe-Signature is missing (INTEGRATION_MODE=live requires signed deliveries)' };
  try {
    // The injected clock decides "now", so the 300 s tolerance is testable without sleeping.
    stripeWebhooks.constructEvent(raw, header, secret, STRIPE_SIGNATURE_TOLERANCE_SECONDS, undefined, deps.clock.now().getTime());
    return { check: 'VALID', reason: null };
  } catch (error) {
    // constructEvent parses the body after verifying it: a signed body that is not JSON is malformed, not forged.
    if (!(error instanceof Stripe.errors.StripeSignatureVerificationError)) return { check: 'VALID', reason: null };
    const message = (error as Error).message ?? '';
    const reason = /tolerance/i.test(message)
      ? `Stripe-Signature timestamp is more than ${STRIPE_SIGNATURE_TOLERANCE_SECONDS} s away from now (a stale or replayed delivery)`
      : /header/i.test(message) && !/signatures found/i.test(message)
        ? 'Stripe-Signature is not in Stripe\'s format (t=…,v1=…)'
        : 'Stripe-Signature does not match this body and STRIPE_WEBHOOK_SECRET';
    return { check: 'INVALID', reason };
  }
}

function parsedOrNull(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { unparsable: text.slice(0, 2000) };
  }
}
