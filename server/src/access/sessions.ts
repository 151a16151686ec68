// Staff session tokens and their lifetime: a random 256-bit token in the
// `callsnare_session` cookie; the database keeps only its SHA-256.
// (docs/decisions/0006-credentials-sessions-rotation.md)
import crypto from 'node:crypto';
import type { CookieOptions } from 'express';
import type { Config } from '../config';

export const SESSION_COOKIE = 'callsnare_session';

/** A session unused for this long ends (each request slides it, at most once a minute). */
export const SESSION_IDLE_MS = 8 * 60 * 60 * 1000;
/** A session ends this long after sign-in, however active. */
export const SESSION_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;
/** lastSeenAt / idle expiry are written at most this often per session. */
export const SESSION_TOUCH_INTERVAL_MS = 60_000;

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** A session or set-password token: 32 random bytes, base64url (43 characters). */
export function newRandomToken(): string {
  return crypto.randomBytes(32).toString('base64url');
}

export function isWellFormedToken(token: string): boolean {
  return TOKEN_PATTERN.test(token);
}

/** SHA-256 hex: the only form in which session and set-password tokens are stored. */
export function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token, 'utf8').digest('hex');
}

/** HttpOnly, SameSite=Lax, Path=/, Secure when the public URL is https. */
export function sessionCookieOptions(config: Config, maxAgeMs: number): CookieOptions {
  return {
    httpOnly: true,
    sameSite: 'lax',
    secure: config.publicBaseUrl.startsWith('https:'),
    path: '/',
    maxAge: Math.max(0, maxAgeMs),
  };
}
