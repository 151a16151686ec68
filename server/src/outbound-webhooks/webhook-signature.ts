// The CallSnare-Signature header: t=<unix s>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>,
// with one v1 per secret that signs (two during a rotation's grace period), as Stripe does.
// The HMAC key is the whole secret string, whsec_ included.
import crypto from 'node:crypto';

export const SIGNATURE_HEADER = 'CallSnare-Signature';
export const EVENT_ID_HEADER = 'CallSnare-Event-Id';
export const USER_AGENT = 'CallSnare-Webhooks/1';

export function signatureHeader(body: string, secrets: readonly string[], timestampSeconds: number): string {
  const signed = `${timestampSeconds}.${body}`;
  const v1 = secrets.map((secret) => `v1=${crypto.createHmac('sha256', secret).update(signed).digest('hex')}`);
  return [`t=${timestampSeconds}`, ...v1].join(',');
}
