// The life of one Twilio delivery, the same for every route: verify the
// signature (enforced in live mode), parse, let the route apply it, answer,
// and leave exactly one webhook log row whatever happened. Routes only say
// what the delivery means.
import type { Request, RequestHandler, Response } from 'express';
import type { AppDeps } from '../app-deps';
import type { SignatureCheck, WebhookOutcome } from '../generated/prisma/enums';
import type { RequestMeta } from '../common/actor';
import { checkTwilioSignature } from './twilio-signature';
import { MalformedDelivery, type TwilioParams } from './twilio-params';
import { redactedRequest, writeWebhookLog } from '../webhook-log/webhook-log';

export interface TwilioDelivery {
  params: TwilioParams;
  /** Query parameters of the URL Twilio called (ours, from TwiML or the status callback; covered by the signature). */
  query: Record<string, string>;
  request: RequestMeta;
}

export interface HandledDelivery {
  outcome: Extract<WebhookOutcome, 'PROCESSED' | 'DUPLICATE' | 'IGNORED'>;
  orgId: string | null;
  /** The TwiML answer. */
  twiml: string;
  /** Why it was ignored (stored in the log's error column). */
  note?: string | null;
  /** Sandbox only: response headers that let the simulator follow what happened. */
  sandboxHeaders?: Record<string, string>;
  /** Runs right after the delivery's transaction committed (e.g. nudge the outbox worker). */
  onCommitted?: () => void;
}

export interface TwilioRoute {
  /** What identifies this delivery in the log: CallSid, MessageSid+status, … */
  eventId(params: TwilioParams): string | null;
  handle(delivery: TwilioDelivery): Promise<HandledDelivery>;
}

export function twilioDeliveryHandler(deps: AppDeps, route: TwilioRoute): RequestHandler {
  return async (req: Request, res: Response) => {
    const started = process.hrtime.bigint();
    const receivedAt = deps.clock.now();
    const params: TwilioParams = isRecord(req.body) ? req.body : {};
    const signature = checkTwilioSignature(deps.config, req);
    const answer = async (
      httpStatus: number,
      outcome: WebhookOutcome,
      body: { twiml: string } | { error: { code: string; message: string } },
      extra: { orgId?: string | null; error?: string | null } = {},
    ) => {
      await writeWebhookLog(deps, {
        provider: 'TWILIO',
        route: `${req.baseUrl}${req.path}`,
        eventId: safeEventId(route, params),
        orgId: extra.orgId ?? null,
        signature,
        outcome,
        httpStatus,
        receivedAt,
        durationMs: Number(process.hrtime.bigint() - started) / 1e6,
        payload: redactedRequest(req),
        error: extra.error ?? null,
        requestId: req.requestId,
        ip: req.ip ?? null,
      });
      res.setHeader('X-CallSnare-Outcome', outcome);
      if ('twiml' in body) res.status(httpStatus).type('text/xml').send(body.twiml);
      else res.status(httpStatus).json(body);
    };

    if (deps.config.integrationMode === 'live' && signature !== 'VALID') {
      const message = rejectionReason(signature);
      await answer(403, 'REJECTED', { error: { code: 'FORBIDDEN', message } }, { error: message });
      return;
    }
    let handled: HandledDelivery;
    try {
      handled = await route.handle({
        params,
        query: stringQuery(req.query),
        request: { requestId: req.requestId, ip: req.ip ?? null, userAgent: req.headers['user-agent'] ?? null },
      });
    } catch (error) {
      if (error instanceof MalformedDelivery) {
        await answer(400, 'MALFORMED', { error: { code: 'BAD_REQUEST', message: error.message } }, { error: error.message });
        return;
      }
      // 5xx only when CallSnare failed: the provider retries, and the retry is safe (idempotency keys).
      deps.logger.error({ err: error, requestId: req.requestId, route: req.path }, 'twilio webhook failed');
      const message = `CallSnare could not process this delivery (request ${req.requestId}); it is safe to retry`;
      await answer(500, 'FAILED', { error: { code: 'INTERNAL_SERVER_ERROR', message } }, { error: message });
      return;
    }
    handled.onCommitted?.();
    if (deps.config.integrationMode === 'sandbox') {
      for (const [name, value] of Object.entries(handled.sandboxHeaders ?? {})) res.setHeader(name, value);
    }
    await answer(200, handled.outcome, { twiml: handled.twiml }, { orgId: handled.orgId, error: handled.note ?? null });
  };
}

function rejectionReason(signature: SignatureCheck): string {
  if (signature === 'MISSING') return 'X-Twilio-Signature is missing (INTEGRATION_MODE=live requires signed deliveries)';
  if (signature === 'NOT_CONFIGURED') return 'TWILIO_AUTH_TOKEN is not configured, so no signature can be verified';
  return 'X-Twilio-Signature does not match this request (it is verified against PUBLIC_BASE_URL + path)';
}

function safeEventId(route: TwilioRoute, params: TwilioParams): string | null {
  try {
    return route.eventId(params)?.slice(0, 200) ?? null;
  } catch {
    return null;
  }
}

function stringQuery(query: Request['query']): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(query)) if (typeof value === 'string') result[key] = value;
  return result;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
