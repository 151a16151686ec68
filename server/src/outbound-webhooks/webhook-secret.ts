// Endpoint signing secrets (whsec_…): issued here, and sealed at rest. HMAC signing needs
// the secret itself, so unlike credentials it cannot be stored as a hash: it is encrypted
// with AES-256-GCM under a key derived (HKDF-SHA256) from the audit signing key
// (AUDIT_SIGNING_KEY, or the sandbox installation's key file). docs/decisions/0022-outbound-webhooks.md
import crypto from 'node:crypto';
import { auditSigningKeyInUse, type AuditSigningKey } from '../audit/audit-signing';

const SECRET_PREFIX = 'whsec_';
const SEALED_PREFIX = 'v1.';
const KEY_PURPOSE = 'callsnare outbound webhook endpoint secrets';

/** A new signing secret: whsec_ + 32 random bytes (base64url). The HMAC key is the whole string. */
export function issueWebhookSecret(): string {
  return `${SECRET_PREFIX}${crypto.randomBytes(32).toString('base64url')}`;
}

export class WebhookSecretUnavailable extends Error {
  constructor(reason: string) {
    super(`the endpoint's signing secret cannot be opened: ${reason}; rotate the endpoint's secret`);
    this.name = 'WebhookSecretUnavailable';
  }
}

function sealingKey(key: AuditSigningKey | null = auditSigningKeyInUse()): Buffer {
  if (!key) throw new Error('no audit signing key is loaded: webhook secrets cannot be sealed or opened');
  return key.deriveKey(KEY_PURPOSE);
}

/** The secret encrypted for the database: v1.<base64url(iv | tag | ciphertext)>. */
export function sealWebhookSecret(secret: string, key?: AuditSigningKey | null): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', sealingKey(key), iv);
  const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return `${SEALED_PREFIX}${Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64url')}`;
}

/** The secret a sealed value holds. Throws WebhookSecretUnavailable when it was sealed under another key or altered. */
export function openWebhookSecret(sealed: string, key?: AuditSigningKey | null): string {
  if (!sealed.startsWith(SEALED_PREFIX)) throw new WebhookSecretUnavailable('unknown format');
  const bytes = Buffer.from(sealed.slice(SEALED_PREFIX.length), 'base64url');
  if (bytes.length < 12 + 16 + 1) throw new WebhookSecretUnavailable('truncated');
  const decipher = crypto.createDecipheriv('aes-256-gcm', sealingKey(key), bytes.subarray(0, 12));
  decipher.setAuthTag(bytes.subarray(12, 28));
  try {
    return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8');
  } catch {
    throw new WebhookSecretUnavailable('it was sealed with another AUDIT_SIGNING_KEY, or altered');
  }
}
