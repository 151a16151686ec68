// AUDIT_SIGNING_KEY: required in live mode, at least 32 bytes of hex or base64,
// never printed; without it a sandbox installation keeps a local key file.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import util from 'node:util';
import { loadConfig } from '../../src/config';
import { configProblemsOf as problemsOf } from '../support/config-problems';
import { AuditSigningKey, LOCAL_AUDIT_KEY_FILE, loadAuditSigningKey } from '../../src/audit/audit-signing';

const LIVE = {
  INTEGRATION_MODE: 'live',
  TWILIO_ACCOUNT_SID: `AC${'a'.repeat(32)}`,
  TWILIO_AUTH_TOKEN: 'token',
  STRIPE_SECRET_KEY: 'sk_live_123',
  STRIPE_WEBHOOK_SECRET: 'whsec_123',
  PUBLIC_BASE_URL: 'https://hooks.example.test',
};

describe('AUDIT_SIGNING_KEY', () => {
  it('is required in live mode: one line', () => {
    expect(problemsOf(LIVE)).toEqual([
      'AUDIT_SIGNING_KEY is required when INTEGRATION_MODE=live (32 or more random bytes as hex or base64, e.g. `openssl rand -hex 32`)',
    ]);
  });

  it('accepts 32 or more bytes as hex or base64, and refuses less or anything else in one line', () => {
    const bytes = crypto.randomBytes(32);
    const fromHex = loadConfig({ ...LIVE, AUDIT_SIGNING_KEY: bytes.toString('hex') }).auditSigningKey!;
    const fromBase64 = loadConfig({ AUDIT_SIGNING_KEY: bytes.toString('base64') }).auditSigningKey!;
    expect(fromHex.sameAs(fromBase64)).toBe(true);
    expect(loadConfig({ AUDIT_SIGNING_KEY: crypto.randomBytes(48).toString('base64url') }).auditSigningKey).toBeInstanceOf(AuditSigningKey);
    for (const raw of [crypto.randomBytes(16).toString('hex'), 'correct horse battery staple correct horse', '%%%%']) {
      expect(problemsOf({ AUDIT_SIGNING_KEY: raw })).toEqual([
        'AUDIT_SIGNING_KEY must be at least 32 random bytes written as hex or base64 (e.g. `openssl rand -hex 32`)',
      ]);
    }
  });

  it('never shows the key when the config is printed, logged as JSON or inspected', () => {
    const raw = crypto.randomBytes(32).toString('hex');
    const config = loadConfig({ AUDIT_SIGNING_KEY: raw });
    const base64 = Buffer.from(raw, 'hex').toString('base64');
    for (const shown of [JSON.stringify(config), util.inspect(config, { depth: 10 }), String(config.auditSigningKey)]) {
      expect(shown).not.toContain(raw);
      expect(shown).not.toContain(base64);
    }
  });
});

describe('the sandbox installation key', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'callsnare-key-')), 'data');
  });
  afterEach(() => fs.rmSync(path.dirname(dataDir), { recursive: true, force: true }));

  it('is generated once into DATA_DIR/audit-signing.key (mode 0600), announced as local, then reused', () => {
    const said: string[] = [];
    const config = loadConfig({ DATA_DIR: dataDir });
    const first = loadAuditSigningKey(config, { create: true, log: (line) => said.push(line) });
    const file = path.join(dataDir, LOCAL_AUDIT_KEY_FILE);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(said).toEqual([
      `audit entries are signed with a key generated for this installation in ${path.resolve(file)}; set AUDIT_SIGNING_KEY to use your own (required in live mode)`,
    ]);
    expect(said.join('\n')).not.toContain(fs.readFileSync(file, 'utf8').trim());
    const again = loadAuditSigningKey(config, { create: true, log: () => undefined });
    expect(again?.sameAs(first!)).toBe(true);
  });

  it('is not created by a read-only caller', () => {
    expect(loadAuditSigningKey(loadConfig({ DATA_DIR: dataDir }), { create: false, log: () => undefined })).toBeNull();
    expect(fs.existsSync(dataDir)).toBe(false);
  });

  it('is not used when AUDIT_SIGNING_KEY is set', () => {
    const raw = crypto.randomBytes(32).toString('hex');
    const key = loadAuditSigningKey(loadConfig({ DATA_DIR: dataDir, AUDIT_SIGNING_KEY: raw }), { create: true, log: () => undefined });
    expect(key?.sameAs(AuditSigningKey.fromBytes(Buffer.from(raw, 'hex')))).toBe(true);
    expect(fs.existsSync(dataDir)).toBe(false);
  });
});
