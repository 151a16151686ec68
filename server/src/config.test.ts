import { configProblemsOf as problemsOf } from '../test/support/config-problems';
import { loadConfig } from './config';

describe('loadConfig', () => {
  it('defaults to sandbox mode on the embedded database at 127.0.0.1:4000', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 4000,
      host: '127.0.0.1',
      databaseUrl: undefined,
      dataDir: './.callsnare',
      integrationMode: 'sandbox',
      publicBaseUrl: 'http://127.0.0.1:4000',
      rateLimits: { webhookPerMinute: 600, apiPerMinute: 300, signInPer15Minutes: 10 },
      logLevel: 'info',
    });
  });

  it('reports every invalid variable at once, one line each', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      DATABASE_URL: 'mysql://x',
      INTEGRATION_MODE: 'prod',
      LOG_LEVEL: 'loud',
      RATE_LIMIT_API_PER_MIN: '0',
      PUBLIC_BASE_URL: 'ftp://example.test',
    });
    expect(problems).toHaveLength(6);
    expect(problems.join('\n')).toMatch(/PORT must be an integer/);
    expect(problems.join('\n')).toMatch(/DATABASE_URL must be/);
    expect(problems.join('\n')).toMatch(/INTEGRATION_MODE must be "sandbox" or "live"/);
    expect(problems.join('\n')).toMatch(/LOG_LEVEL must be one of/);
    expect(problems.join('\n')).toMatch(/RATE_LIMIT_API_PER_MIN must be an integer from 1/);
    for (const line of problems) expect(line).not.toContain('\n');
  });

  it('refuses live mode without the provider secrets and a public URL', () => {
    const problems = problemsOf({ INTEGRATION_MODE: 'live' });
    expect(problems).toEqual(
      expect.arrayContaining([
        'TWILIO_ACCOUNT_SID is required when INTEGRATION_MODE=live',
        'TWILIO_AUTH_TOKEN is required when INTEGRATION_MODE=live',
        'STRIPE_SECRET_KEY is required when INTEGRATION_MODE=live',
        'STRIPE_WEBHOOK_SECRET is required when INTEGRATION_MODE=live',
        'PUBLIC_BASE_URL is required when INTEGRATION_MODE=live',
      ]),
    );
  });

  it('accepts a complete live configuration', () => {
    const config = loadConfig({
      INTEGRATION_MODE: 'live',
      TWILIO_ACCOUNT_SID: `AC${'a'.repeat(32)}`,
      TWILIO_AUTH_TOKEN: 'token',
      STRIPE_SECRET_KEY: 'sk_live_123',
      STRIPE_WEBHOOK_SECRET: 'whsec_123',
      PUBLIC_BASE_URL: 'https://hooks.example.test/',
      AUDIT_SIGNING_KEY: 'a'.repeat(64),
      DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/test',
      TRUST_PROXY: '1',
    });
    expect(config.integrationMode).toBe('live');
    expect(config.publicBaseUrl).toBe('https://hooks.example.test');
    expect(config.trustProxy).toBe(1);
  });

  it('accepts memory:// for an in-memory database', () => {
    expect(loadConfig({ DATABASE_URL: 'memory://' }).databaseUrl).toBe('memory://');
  });
});
