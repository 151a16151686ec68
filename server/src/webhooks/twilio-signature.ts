// X-Twilio-Signature: an HMAC over the URL Twilio called plus the POST
// parameters. The URL is rebuilt from PUBLIC_BASE_URL and the request's
// original path and query - never from the Host header, which proxies and
// tunnels rewrite, so a Host-based URL would reject genuine deliveries (or,
// worse, let the sender choose the URL being verified). Fails closed: only a
// signature that verifies is VALID; anything that makes verification throw is INVALID.
import { validateRequest } from 'twilio/lib/webhooks/webhooks';
import type { Request } from 'express';
import type { Config } from '../config';
import type { SignatureCheck } from '../generated/prisma/enums';

export const TWILIO_SIGNATURE_HEADER = 'x-twilio-signature';

/** The URL Twilio signed for this request. */
export function twilioSignedUrl(config: Pick<Config, 'publicBaseUrl'>, req: Pick<Request, 'originalUrl'>): string {
  return `${config.publicBaseUrl}${req.originalUrl}`;
}

export function checkTwilioSignature(config: Pick<Config, 'publicBaseUrl' | 'twilio'>, req: Request): SignatureCheck {
  const authToken = config.twilio.authToken;
  if (!authToken) return 'NOT_CONFIGURED';
  const signature = req.header(TWILIO_SIGNATURE_HEADER);
  if (!signature) return 'MISSING';
  const params = req.method === 'POST' && isPlainObject(req.body) ? req.body : {};
  try {
    return validateRequest(authToken, signature, twilioSignedUrl(config, req), params) ? 'VALID' : 'INVALID';
  } catch {
    // validateRequest throws on what it cannot read (a request line that makes the signed URL no URL,
    // a parameter that is not text): whatever it was, the request is not verified.
    return 'INVALID';
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
