// Stripe-Signature verification over the raw request bytes, failing closed:
// only a header in Stripe's exact format (t=<seconds>,v1=<64 lowercase hex>,…)
// whose v1 matches the body and the endpoint secret, signed within the
// tolerance of the injected clock, is VALID. Everything else - including
// anything we failed to anticipate - is INVALID. Kept apart from JSON parsing,
// so "signed but not JSON" is a malformed delivery and never a forged one.
import crypto from 'node:crypto';
import type { SignatureCheck } from '../generated/prisma/enums';
import { STRIPE_SIGNATURE_TOLERANCE_SECONDS } from './stripe-client';

export interface StripeSignatureResult {
  check: SignatureCheck;
  /** Why it is not VALID, for the log and the 403. */
  reason: string | null;
}

const V1 = /^[0-9a-f]{64}$/;
const TIMESTAMP = /^[0-9]{1,12}$/;
/** A header element: a lowercase key, "=", and a value of visible ASCII without separators. */
const ELEMENT = /^([a-z0-9]+)=([\x21-\x2b\x2d-\x3c\x3e-\x7e]+)$/;

const NOT_STRIPE_FORMAT = "Stripe-Signature is not in Stripe's format (t=<seconds>,v1=<64 hex digits>)";
const NO_MATCH = 'Stripe-Signature does not match this body and STRIPE_WEBHOOK_SECRET';

export function verifyStripeSignature(raw: Buffer, header: string | undefined, secret: string | null | undefined, now: Date): StripeSignatureResult {
  if (!secret) return { check: 'NOT_CONFIGURED', reason: 'STRIPE_WEBHOOK_SECRET is not configured, so no signature can be verified' };
  if (!header) return { check: 'MISSING', reason: 'Stripe-Signature is missing (INTEGRATION_MODE=live requires signed deliveries)' };
  try {
    return verify(raw, header, secret, now);
  } catch {
    // Whatever went wrong, an unverified delivery is never treated as verified.
    return { check: 'INVALID', reason: NOT_STRIPE_FORMAT };
  }
}

function verify(raw: Buffer, header: string, secret: string, now: Date): StripeSignatureResult {
  const parsed = parseHeader(header);
  if (!parsed) return { check: 'INVALID', reason: NOT_STRIPE_FORMAT };
  const expected = crypto.createHmac('sha256', secret).update(`${parsed.timestamp}.`).update(raw).digest();
  // Compare every v1 (Stripe sends one per secret while a secret is being rolled), in constant time.
  let matched = false;
  for (const signature of parsed.signatures) {
    if (crypto.timingSafeEqual(Buffer.from(signature, 'hex'), expected)) matched = true;
  }
  if (!matched) return { check: 'INVALID', reason: NO_MATCH };
  const ageSeconds = Math.floor(now.getTime() / 1000) - Number(parsed.timestamp);
  if (ageSeconds > STRIPE_SIGNATURE_TOLERANCE_SECONDS) {
    return { check: 'INVALID', reason: `Stripe-Signature timestamp is more than ${STRIPE_SIGNATURE_TOLERANCE_SECONDS} s old (a stale or replayed delivery)` };
  }
  return { check: 'VALID', reason: null };
}

/** Exactly one numeric t and at least one well-formed v1; other schemes (v0) are ignored but must be well-formed too. */
function parseHeader(header: string): { timestamp: string; signatures: string[] } | null {
  let timestamp: string | null = null;
  const signatures: string[] = [];
  for (const element of header.split(',')) {
    const match = ELEMENT.exec(element);
    if (!match) return null;
    const [, key, value] = match as unknown as [string, string, string];
    if (key === 't') {
      if (timestamp !== null || !TIMESTAMP.test(value)) return null;
      timestamp = value;
    } else if (key === 'v1') {
      if (!V1.test(value)) return null;
      signatures.push(value);
    }
  }
  if (timestamp === null || signatures.length === 0) return null;
  return { timestamp, signatures };
}
