// The one place that reads process.env. Everything else receives a Config.
// Invalid configuration is reported all at once, one line per problem.
import { isIP } from 'node:net';
import { parseAuditSigningKey, type AuditSigningKey } from './audit/audit-signing';

export type IntegrationMode = 'sandbox' | 'live';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface Config {
  port: number;
  host: string;
  /** Unset: embedded PGlite in dataDir. `memory://`: in-memory PGlite. `postgresql://…`: a server. */
  databaseUrl: string | undefined;
  dataDir: string;
  redisUrl: string | undefined;
  integrationMode: IntegrationMode;
  /** The URL providers call (no trailing slash); signatures are verified against it. */
  publicBaseUrl: string;
  twilio: { accountSid: string | undefined; authToken: string | undefined };
  stripe: { secretKey: string | undefined; webhookSecret: string | undefined };
  /**
   * Express `trust proxy`: how many proxies in front of us append to X-Forwarded-For
   * (a hop count), or which addresses are our proxies. Never `true`: that trusts the
   * client's own X-Forwarded-For and lets it pick the IP every per-IP limit counts.
   */
  trustProxy: number | string[] | undefined;
  /** ALLOW_SANDBOX_ON_NETWORK=1: serve sandbox mode on a non-loopback HOST anyway (server.ts warns). */
  allowSandboxOnNetwork: boolean;
  rateLimits: { webhookPerMinute: number; apiPerMinute: number; signInPer15Minutes: number };
  logLevel: LogLevel;
  /** AUDIT_SIGNING_KEY; unset in sandbox: a key generated into DATA_DIR (audit/audit-signing.ts). Never logged. */
  auditSigningKey: AuditSigningKey | undefined;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
  }
}

const LOG_LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

type Env = Record<string, string | undefined>;

/** Reads and validates the environment (README "Configuration"). Throws ConfigError listing every problem. */
export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const value = (name: string): string | undefined => {
    const raw = env[name];
    return raw === undefined || raw.trim() === '' ? undefined : raw.trim();
  };
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = value(name);
    if (raw === undefined) return fallback;
    const parsed = Number(raw);
    if (!/^\d+$/.test(raw) || parsed < min || parsed > max) {
      problems.push(`${name} must be an integer from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return parsed;
  };

  const port = integer('PORT', 4000, 0, 65535);
  const host = value('HOST') ?? '127.0.0.1';
  const allowSandboxOnNetworkRaw = value('ALLOW_SANDBOX_ON_NETWORK') ?? '0';
  if (!['0', '1'].includes(allowSandboxOnNetworkRaw)) {
    problems.push(`ALLOW_SANDBOX_ON_NETWORK must be 1 or 0 (got "${allowSandboxOnNetworkRaw}")`);
  }
  const allowSandboxOnNetwork = allowSandboxOnNetworkRaw === '1';

  const databaseUrl = value('DATABASE_URL');
  if (databaseUrl && !/^(postgres(ql)?:\/\/.+|memory:(\/\/)?)$/.test(databaseUrl)) {
    problems.push('DATABASE_URL must be postgresql://user@host:port/db, or memory:// for an in-memory database');
  }
  const dataDir = value('DATA_DIR') ?? './.callsnare';

  const redisUrl = value('REDIS_URL');
  if (redisUrl && !/^rediss?:\/\/.+/.test(redisUrl)) problems.push('REDIS_URL must be redis://host:port or rediss://…');

  const modeRaw = value('INTEGRATION_MODE') ?? 'sandbox';
  let integrationMode: IntegrationMode = 'sandbox';
  if (modeRaw === 'sandbox' || modeRaw === 'live') integrationMode = modeRaw;
  else problems.push(`INTEGRATION_MODE must be "sandbox" or "live" (got "${modeRaw}")`);

  let publicBaseUrl = value('PUBLIC_BASE_URL') ?? `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  try {
    const url = new URL(publicBaseUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('protocol');
    publicBaseUrl = publicBaseUrl.replace(/\/+$/, '');
  } catch {
    problems.push(`PUBLIC_BASE_URL must be an absolute http(s) URL (got "${publicBaseUrl}")`);
  }

  const twilio = { accountSid: value('TWILIO_ACCOUNT_SID'), authToken: value('TWILIO_AUTH_TOKEN') };
  const stripe = { secretKey: value('STRIPE_SECRET_KEY'), webhookSecret: value('STRIPE_WEBHOOK_SECRET') };
  if (twilio.accountSid && !/^AC[0-9a-fA-F]{32}$/.test(twilio.accountSid)) {
    problems.push('TWILIO_ACCOUNT_SID must look like AC followed by 32 hex characters');
  }
  if (stripe.secretKey && !/^(sk|rk)_(test|live)_/.test(stripe.secretKey)) {
    problems.push('STRIPE_SECRET_KEY must start with sk_test_, sk_live_, rk_test_ or rk_live_');
  }
  if (stripe.webhookSecret && !stripe.webhookSecret.startsWith('whsec_')) {
    problems.push('STRIPE_WEBHOOK_SECRET must start with whsec_');
  }
  if (integrationMode === 'live') {
    const required: [string, string | undefined][] = [
      ['TWILIO_ACCOUNT_SID', twilio.accountSid],
      ['TWILIO_AUTH_TOKEN', twilio.authToken],
      ['STRIPE_SECRET_KEY', stripe.secretKey],
      ['STRIPE_WEBHOOK_SECRET', stripe.webhookSecret],
      ['PUBLIC_BASE_URL', value('PUBLIC_BASE_URL')],
    ];
    for (const [name, present] of required) {
      if (!present) problems.push(`${name} is required when INTEGRATION_MODE=live`);
    }
  }

  const auditSigningKeyRaw = value('AUDIT_SIGNING_KEY');
  const auditSigningKey = auditSigningKeyRaw === undefined ? undefined : (parseAuditSigningKey(auditSigningKeyRaw) ?? undefined);
  if (auditSigningKeyRaw !== undefined && !auditSigningKey) {
    problems.push('AUDIT_SIGNING_KEY must be at least 32 random bytes written as hex or base64 (e.g. `openssl rand -hex 32`)');
  } else if (integrationMode === 'live' && !auditSigningKey) {
    problems.push('AUDIT_SIGNING_KEY is required when INTEGRATION_MODE=live (32 or more random bytes as hex or base64, e.g. `openssl rand -hex 32`)');
  }

  const trustProxy = parseTrustProxy(value('TRUST_PROXY'), problems);

  const rateLimits = {
    webhookPerMinute: integer('RATE_LIMIT_WEBHOOK_PER_MIN', 600, 1, 1_000_000),
    apiPerMinute: integer('RATE_LIMIT_API_PER_MIN', 300, 1, 1_000_000),
    signInPer15Minutes: integer('RATE_LIMIT_SIGNIN_PER_15MIN', 10, 1, 1_000_000),
  };

  const logLevelRaw = value('LOG_LEVEL') ?? 'info';
  let logLevel: LogLevel = 'info';
  if ((LOG_LEVELS as string[]).includes(logLevelRaw)) logLevel = logLevelRaw as LogLevel;
  else problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${logLevelRaw}")`);

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    port,
    host,
    databaseUrl,
    dataDir,
    redisUrl,
    integrationMode,
    publicBaseUrl,
    twilio,
    stripe,
    trustProxy,
    allowSandboxOnNetwork,
    rateLimits,
    logLevel,
    auditSigningKey,
  };
}

/** Express `trust proxy` keywords for address ranges (proxy-addr). */
const TRUSTED_PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/**
 * A hop count (0 trusts nothing), or a comma-separated list of proxy addresses,
 * CIDR subnets and the names loopback, linklocal, uniquelocal. `true` is refused.
 */
function parseTrustProxy(raw: string | undefined, problems: string[]): Config['trustProxy'] {
  if (raw === undefined) return undefined;
  if (/^\d+$/.test(raw)) return Number(raw);
  if (/^(true|false|yes|no|on|off)$/i.test(raw)) {
    problems.push(
      `TRUST_PROXY=${raw} is not accepted: set the number of proxies in front of CallSnare (e.g. TRUST_PROXY=1 behind one load balancer, 0 for none) or their addresses/CIDRs; "true" would let any client pick its own IP with X-Forwarded-For and dodge every per-IP limit`,
    );
    return undefined;
  }
  const entries = raw.split(',').map((entry) => entry.trim());
  const invalid = entries.filter((entry) => !TRUSTED_PROXY_NAMES.includes(entry) && !isAddressOrSubnet(entry));
  if (invalid.length > 0) {
    problems.push(
      `TRUST_PROXY must be a hop count (e.g. 1) or a comma-separated list of proxy IPs, CIDRs, loopback, linklocal or uniquelocal (not understood: ${invalid.map((entry) => `"${entry}"`).join(', ')})`,
    );
    return undefined;
  }
  return entries;
}

function isAddressOrSubnet(entry: string): boolean {
  const [address, bits, ...rest] = entry.split('/');
  const family = isIP(address ?? '');
  if (family === 0 || rest.length > 0) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
}

/** True for addresses only this machine can reach: 127.0.0.0/8, ::1 (also IPv4-mapped) and localhost. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (bare === 'localhost' || bare.endsWith('.localhost')) return true;
  const ipv4 = bare.replace(/^::ffff:/, '');
  if (isIP(ipv4) === 4) return ipv4.startsWith('127.');
  return isIP(bare) === 6 && /^(0{0,4}:){2,7}0{0,3}1$|^::1$/.test(bare);
}
