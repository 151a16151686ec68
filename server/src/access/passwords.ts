// Staff passwords: argon2id (OWASP parameters), verified in constant time even
// for unknown emails so response time does not reveal which emails exist.
// Policy (NIST SP 800-63B): long enough, not blank, not a known common
// password; no composition rules, any character allowed.
import fs from 'node:fs';
import path from 'node:path';
import { hash, verify } from '@node-rs/argon2';
import { badInput } from '../common/errors';
import { repoRoot } from '../common/paths';

const ARGON2_OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;

let dummyHash: Promise<string> | null = null;
let commonPasswords: Set<string> | null = null;

/** The shipped list (server/src/access/common-passwords.txt, source in its header), loaded once. */
function isCommonPassword(password: string): boolean {
  commonPasswords ??= new Set(
    fs
      .readFileSync(path.join(repoRoot(), 'server', 'src', 'access', 'common-passwords.txt'), 'utf8')
      .split('\n')
      .filter((line) => line !== '' && !line.startsWith('#')),
  );
  return commonPasswords.has(password.toLowerCase());
}

/** Why a new password is refused, in words for the person choosing it; null when it is fine. */
export function passwordProblem(password: string): string | null {
  // Length in characters as people count them (an emoji is one), not UTF-16 units.
  // eslint-disable-next-line @typescript-eslint/no-misused-spread -- code points are what is counted here, not grapheme clusters
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) return `password must be at least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.length > MAX_PASSWORD_LENGTH) return `password must be at most ${MAX_PASSWORD_LENGTH} characters`;
  if (password.trim() === '') return 'password cannot be only spaces';
  if (new Set(password).size === 1) return 'password cannot be one character repeated';
  if (isCommonPassword(password)) return 'this password is on a list of commonly used passwords; choose another';
  return null;
}

export async function hashPassword(password: string): Promise<string> {
  const problem = passwordProblem(password);
  if (problem) throw badInput(problem, { password: problem });
  return hash(password, ARGON2_OPTIONS);
}

/** Verifies against the stored hash, or against a dummy hash when there is none (same cost). */
export async function verifyPassword(storedHash: string | null | undefined, password: string): Promise<boolean> {
  if (!storedHash) {
    dummyHash ??= hash('callsnare-dummy-password', ARGON2_OPTIONS);
    await verify(await dummyHash, password).catch(() => false);
    return false;
  }
  return verify(storedHash, password).catch(() => false);
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function isEmail(email: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) && email.length <= 254;
}
