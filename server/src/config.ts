// The one place that reads process.env. Everything else receives a Config.
// Invalid configuration is reported all at once, one line per problem (validated with zod:
// one schema entry per variable, then the rules between variables).
import { isIP } from 'node:net';
import { z } from 'zod';
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

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const satisfies readonly LogLevel[];

type Env = Record<string, string | undefined>;

/** An environment variable: unset and blank are the same; surrounding whitespace is dropped. */
const variable = z
  .string()
  .optional()
  .transform((raw) => (raw === undefined || raw.trim() === '' ? undefined : raw.trim()));

const integer = (name: string, fallback: number, min: number, max: number) =>
  variable.transform((raw, ctx) => {
    if (raw === undefined) return fallback;
    const parsed = Number(raw);
    if (/^\d+$/.test(raw) && parsed >= min && parsed <= max) return parsed;
    ctx.addIssue({ code: 'custom', message: `${name} must be an integer from ${min} to ${max} (got "${raw}")` });
    return z.NEVER;
  });

const oneOf = <T extends string>(name: string, allowed: readonly T[], fallback: T, message = `${name} must be one of ${allowed.join(', ')}`) =>
  variable.transform((raw, ctx) => {
    const chosen = raw ?? fallback;
    if ((allowed as readonly string[]).includes(chosen)) return chosen as T;
    ctx.addIssue({ code: 'custom', message: `${message} (got "${chosen}")` });
    return z.NEVER;
  });

const matching = (pattern: RegExp, message: string) => variable.refine((raw) => raw === undefined || pattern.test(raw), { error: message });

const ENVIRONMENT = z.object({
  PORT: integer('PORT', 4000, 0, 65535),
  HOST: variable.transform((raw) => raw ?? '127.0.0.1'),
  ALLOW_SANDBOX_ON_NETWORK: oneOf('ALLOW_SANDBOX_ON_NETWORK', ['0', '1'], '0', 'ALLOW_SANDBOX_ON_NETWORK must be 1 or 0'),
  DATABASE_URL: matching(
    /^(postgres(ql)?:\/\/.+|memory:(\/\/)?)$/,
    'DATABASE_URL must be postgresql://user@host:port/db, or memory:// for an in-memory database',
  ),
  DATA_DIR: variable.transform((raw) => raw ?? './.callsnare'),
  REDIS_URL: matching(/^rediss?:\/\/.+/, 'REDIS_URL must be redis://host:port or rediss://…'),
  INTEGRATION_MODE: oneOf<IntegrationMode>('INTEGRATION_MODE', ['sandbox', 'live'], 'sandbox', 'INTEGRATION_MODE must be "sandbox" or "live"'),
  PUBLIC_BASE_URL: variable.refine((raw) => raw === undefined || isHttpUrl(raw), {
    error: (issue) => `PUBLIC_BASE_URL must be an absolute http(s) URL (got "${String(issue.input)}")`,
  }),
  TWILIO_ACCOUNT_SID: matching(/^AC[0-9a-fA-F]{32}$/, 'TWILIO_ACCOUNT_SID must look like AC followed by 32 hex characters'),
  TWILIO_AUTH_TOKEN: variable,
  STRIPE_SECRET_KEY: matching(/^(sk|rk)_(test|live)_/, 'STRIPE_SECRET_KEY must start with sk_test_, sk_live_, rk_test_ or rk_live_'),
  STRIPE_WEBHOOK_SECRET: matching(/^whsec_/, 'STRIPE_WEBHOOK_SECRET must start with whsec_'),
  AUDIT_SIGNING_KEY: variable.transform((raw, ctx) => {
    if (raw === undefined) return undefined;
    const key = parseAuditSigningKey(raw);
    if (key) return key;
    ctx.addIssue({ code: 'custom', message: 'AUDIT_SIGNING_KEY must be at least 32 random bytes written as hex or base64 (e.g. `openssl rand -hex 32`)' });
    return z.NEVER;
  }),
  TRUST_PROXY: variable.transform((raw, ctx) => {
    const problems: string[] = [];
    const parsed = parseTrustProxy(raw, problems);
    for (const message of problems) ctx.addIssue({ code: 'custom', message });
    return parsed;
  }),
  RATE_LIMIT_WEBHOOK_PER_MIN: integer('RATE_LIMIT_WEBHOOK_PER_MIN', 600, 1, 1_000_000),
  RATE_LIMIT_API_PER_MIN: integer('RATE_LIMIT_API_PER_MIN', 300, 1, 1_000_000),
  RATE_LIMIT_SIGNIN_PER_15MIN: integer('RATE_LIMIT_SIGNIN_PER_15MIN', 10, 1, 1_000_000),
  LOG_LEVEL: oneOf<LogLevel>('LOG_LEVEL', LOG_LEVELS, 'info'),
});

/** Reads and validates the environment (README "Configuration"). Throws ConfigError listing every problem. */
export function loadConfig(env: Env = process.env): Config {
  const parsed = ENVIRONMENT.safeParse(env);
  // Rules between variables are checked only once each variable is valid on its own.
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((issue) => issue.message));
  const vars = parsed.data;
  const problems: string[] = [];

  const publicBaseUrl = (vars.PUBLIC_BASE_URL ?? `http://${vars.HOST.includes(':') ? `[${vars.HOST}]` : vars.HOST}:${vars.PORT}`).replace(/\/+$/, '');
  if (!isHttpUrl(publicBaseUrl)) problems.push(`HOST=${vars.HOST} cannot make the default PUBLIC_BASE_URL (got "${publicBaseUrl}"): set PUBLIC_BASE_URL`);
  if (vars.INTEGRATION_MODE === 'live') {
    const required: [string, unknown][] = [
      ['TWILIO_ACCOUNT_SID', vars.TWILIO_ACCOUNT_SID],
      ['TWILIO_AUTH_TOKEN', vars.TWILIO_AUTH_TOKEN],
      ['STRIPE_SECRET_KEY', vars.STRIPE_SECRET_KEY],
      ['STRIPE_WEBHOOK_SECRET', vars.STRIPE_WEBHOOK_SECRET],
      ['PUBLIC_BASE_URL', vars.PUBLIC_BASE_URL],
    ];
    for (const [name, present] of required) {
      if (!present) problems.push(`${name} is required when INTEGRATION_MODE=live`);
    }
    if (!vars.AUDIT_SIGNING_KEY) {
      problems.push('AUDIT_SIGNING_KEY is required when INTEGRATION_MODE=live (32 or more random bytes as hex or base64, e.g. `openssl rand -hex 32`)');
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);

  return {
    port: vars.PORT,
    host: vars.HOST,
    databaseUrl: vars.DATABASE_URL,
    dataDir: vars.DATA_DIR,
    redisUrl: vars.REDIS_URL,
    integrationMode: vars.INTEGRATION_MODE,
    publicBaseUrl,
    twilio: { accountSid: vars.TWILIO_ACCOUNT_SID, authToken: vars.TWILIO_AUTH_TOKEN },
    stripe: { secretKey: vars.STRIPE_SECRET_KEY, webhookSecret: vars.STRIPE_WEBHOOK_SECRET },
    trustProxy: vars.TRUST_PROXY,
    allowSandboxOnNetwork: vars.ALLOW_SANDBOX_ON_NETWORK === '1',
    rateLimits: {
      webhookPerMinute: vars.RATE_LIMIT_WEBHOOK_PER_MIN,
      apiPerMinute: vars.RATE_LIMIT_API_PER_MIN,
      signInPer15Minutes: vars.RATE_LIMIT_SIGNIN_PER_15MIN,
    },
    logLevel: vars.LOG_LEVEL,
    auditSigningKey: vars.AUDIT_SIGNING_KEY,
  };
}

function isHttpUrl(raw: string): boolean {
  try {
    const url = new URL(raw);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
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
