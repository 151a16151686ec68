// The secret that keys the audit chain (AUDIT_SIGNING_KEY, or a key generated
// once per sandbox installation) and the one this process signs new entries with.
// The key never reaches the database or a log: without it, someone who can write
// to the database can delete or edit entries but cannot make them verify again.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import util from 'node:util';

/** File in DATA_DIR that holds a sandbox installation's key when AUDIT_SIGNING_KEY is unset. */
export const LOCAL_AUDIT_KEY_FILE = 'audit-signing.key';

const MIN_KEY_BYTES = 32;
const CHECKPOINT_KEY_INFO = 'callsnare audit checkpoint';

export class AuditSigningKey {
  readonly #entryKey: Buffer;
  readonly #checkpointKey: Buffer;

  private constructor(secret: Buffer) {
    this.#entryKey = Buffer.from(secret);
    // Checkpoints use a key of their own, so an entry hash can never pass for a checkpoint signature.
    this.#checkpointKey = Buffer.from(crypto.hkdfSync('sha256', secret, Buffer.alloc(0), CHECKPOINT_KEY_INFO, 32));
  }

  static fromBytes(secret: Buffer): AuditSigningKey {
    if (secret.length < MIN_KEY_BYTES) throw new Error(`an audit signing key needs at least ${MIN_KEY_BYTES} bytes`);
    return new AuditSigningKey(secret);
  }

  static generate(): AuditSigningKey {
    return new AuditSigningKey(crypto.randomBytes(MIN_KEY_BYTES));
  }

  /** HMAC-SHA256 of an entry's canonical content, hex. */
  signEntry(canonical: string): string {
    return crypto.createHmac('sha256', this.#entryKey).update(canonical).digest('hex');
  }

  /** HMAC-SHA256 of a checkpoint's canonical text under the HKDF-derived checkpoint key, hex. */
  signCheckpoint(canonical: string): string {
    return crypto.createHmac('sha256', this.#checkpointKey).update(canonical).digest('hex');
  }

  /** A 32-byte key for another purpose (HKDF-SHA256, `purpose` as info): never the audit key itself, and distinct per purpose. */
  deriveKey(purpose: string): Buffer {
    return Buffer.from(crypto.hkdfSync('sha256', this.#entryKey, Buffer.alloc(0), purpose, 32));
  }

  sameAs(other: AuditSigningKey): boolean {
    return crypto.timingSafeEqual(Buffer.from(this.signEntry('same key?'), 'hex'), Buffer.from(other.signEntry('same key?'), 'hex'));
  }

  /** Written to the local key file only. */
  exportHex(): string {
    return this.#entryKey.toString('hex');
  }

  // A key that ends up in a log line, a JSON dump or a console.log stays hidden.
  toJSON(): string {
    return '[audit signing key]';
  }
  toString(): string {
    return '[audit signing key]';
  }
  [util.inspect.custom](): string {
    return '[audit signing key]';
  }
}

/** AUDIT_SIGNING_KEY as hex or base64 (standard or URL-safe), at least 32 bytes; null when it is neither. */
export function parseAuditSigningKey(raw: string): AuditSigningKey | null {
  let bytes: Buffer | null = null;
  if (/^(?:[0-9a-fA-F]{2})+$/.test(raw)) bytes = Buffer.from(raw, 'hex');
  else if (/^[A-Za-z0-9+/]+={0,2}$/.test(raw) || /^[A-Za-z0-9_-]+$/.test(raw))
    bytes = Buffer.from(raw, raw.includes('-') || raw.includes('_') ? 'base64url' : 'base64');
  if (!bytes || bytes.length < MIN_KEY_BYTES) return null;
  return AuditSigningKey.fromBytes(bytes);
}

export interface LoadKeyOptions {
  /** Generate the sandbox key file when there is none (the server and writing commands). */
  create: boolean;
  /** Where to say that a local key is in use (the line never includes the key). */
  log: (line: string) => void;
}

/**
 * AUDIT_SIGNING_KEY when set; otherwise the installation's key in DATA_DIR,
 * generated on first use when `create` (config.ts already refused live mode
 * without AUDIT_SIGNING_KEY). Null: no key, and the caller may not create one.
 */
export function loadAuditSigningKey(
  config: { auditSigningKey: AuditSigningKey | undefined; dataDir: string },
  options: LoadKeyOptions,
): AuditSigningKey | null {
  if (config.auditSigningKey) return config.auditSigningKey;
  const file = path.resolve(config.dataDir, LOCAL_AUDIT_KEY_FILE);
  const local = readLocalKey(file) ?? (options.create ? createLocalKey(file) : null);
  if (local)
    options.log(
      `audit entries are signed with a key generated for this installation in ${file}; set AUDIT_SIGNING_KEY to use your own (required in live mode)`,
    );
  return local;
}

function readLocalKey(file: string): AuditSigningKey | null {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const key = parseAuditSigningKey(text);
  if (!key)
    throw new Error(
      `${file} does not hold an audit signing key (64 hex characters); restore it from a backup, or remove it to start a new key (existing entries will no longer verify)`,
    );
  return key;
}

function createLocalKey(file: string): AuditSigningKey {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const key = AuditSigningKey.generate();
  try {
    // 'wx': if another process created it first, use theirs.
    fs.writeFileSync(file, `${key.exportHex()}\n`, { flag: 'wx', mode: 0o600 });
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const theirs = readLocalKey(file);
    if (!theirs) throw new Error(`${file} was created by another process and then removed`);
    return theirs;
  }
}

let keyInUse: AuditSigningKey | null = null;

/**
 * Makes `key` the one this process signs new audit entries with. Audit writes
 * happen deep inside every service's transaction; a process-wide key keeps them
 * from each having to carry it. A process signs with one key only.
 */
export function useAuditSigningKey(key: AuditSigningKey): void {
  if (keyInUse && !keyInUse.sameAs(key)) throw new Error('this process already signs audit entries with a different key');
  keyInUse = key;
}

/** The key new entries are signed with, or null before the server or a CLI command loaded one. */
export function auditSigningKeyInUse(): AuditSigningKey | null {
  return keyInUse;
}

/**
 * Loads the configured key (or the sandbox installation key) and signs new
 * entries with it. A process that already signs with a key (an embedding
 * process, or tests) keeps it unless AUDIT_SIGNING_KEY names another one.
 */
export function startAuditSigning(config: { auditSigningKey: AuditSigningKey | undefined; dataDir: string }, log: (line: string) => void): AuditSigningKey {
  if (keyInUse && !config.auditSigningKey) return keyInUse;
  const key = loadAuditSigningKey(config, { create: true, log });
  if (!key) throw new Error('no audit signing key could be loaded or created');
  useAuditSigningKey(key);
  return key;
}
