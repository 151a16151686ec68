// The API credential secret format (docs/decisions/0003-opaque-credentials.md):
//
//   cs_test_<40 base62 random chars><6 base62 chars of CRC32(prefix+random)>
//   cs_live_…                                                  (live mode)
//
// Opaque (no claims inside), ~238 bits of entropy, recognisable by secret
// scanners by its prefix, and self-checking: a mistyped or truncated token is
// rejected by the checksum before any database lookup. Only the SHA-256 of
// the whole secret is stored; `displayPrefix` is kept to identify it in lists.
import crypto from 'node:crypto';
import zlib from 'node:zlib';
import type { CredentialMode } from '../generated/prisma/enums';
import type { IntegrationMode } from '../config';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const RANDOM_LENGTH = 40;
const CHECKSUM_LENGTH = 6;
const MODE_PREFIX: Record<CredentialMode, string> = { TEST: 'cs_test_', LIVE: 'cs_live_' };
const SECRET_PATTERN = new RegExp(`^cs_(test|live)_[0-9A-Za-z]{${RANDOM_LENGTH + CHECKSUM_LENGTH}}$`);

export interface IssuedSecret {
  /** Shown to the creator once, never stored. */
  secret: string;
  /** SHA-256 hex of the secret: what the database keeps. */
  secretHash: string;
  /** Safe to display: mode prefix + first 8 random characters. */
  displayPrefix: string;
}

export function issueCredentialSecret(mode: CredentialMode): IssuedSecret {
  const body = MODE_PREFIX[mode] + randomBase62(RANDOM_LENGTH);
  const secret = body + checksum(body);
  return { secret, secretHash: hashCredentialSecret(secret), displayPrefix: displayPrefixOf(secret) };
}

/** Shape and checksum only; no database. */
export function isWellFormedCredentialSecret(token: string): boolean {
  if (!SECRET_PATTERN.test(token)) return false;
  const body = token.slice(0, -CHECKSUM_LENGTH);
  const given = token.slice(-CHECKSUM_LENGTH);
  return crypto.timingSafeEqual(Buffer.from(checksum(body)), Buffer.from(given));
}

export function credentialModeOf(token: string): CredentialMode | null {
  if (token.startsWith(MODE_PREFIX.TEST)) return 'TEST';
  if (token.startsWith(MODE_PREFIX.LIVE)) return 'LIVE';
  return null;
}

/** The one kind of secret a server issues and accepts: cs_live_ in live mode, cs_test_ in sandbox. */
export function credentialModeFor(integrationMode: IntegrationMode): CredentialMode {
  return integrationMode === 'live' ? 'LIVE' : 'TEST';
}

export function hashCredentialSecret(secret: string): string {
  return crypto.createHash('sha256').update(secret, 'utf8').digest('hex');
}

export function displayPrefixOf(secret: string): string {
  return secret.slice(0, MODE_PREFIX.TEST.length + 8);
}

function checksum(body: string): string {
  let n = zlib.crc32(body);
  let out = '';
  for (let i = 0; i < CHECKSUM_LENGTH; i++) {
    out = BASE62.charAt(n % 62) + out;
    n = Math.floor(n / 62);
  }
  return out;
}

/** Uniform base62 via rejection sampling (no modulo bias). */
function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of crypto.randomBytes(length * 2)) {
      if (byte < 248) out += BASE62.charAt(byte % 62);
      if (out.length === length) break;
    }
  }
  return out;
}
