// Every page, document and API answer carries the browser security headers: no
// framing (clickjacking), a Content Security Policy without inline code, no
// referrers, no MIME sniffing, and HSTS only when the public URL is https.
import crypto from 'node:crypto';
import type { Database } from '../../src/db/client';
import type { RunningServer } from '../../src/server';
import { openTestDatabase, testDatabaseKinds } from '../support/database';
import { startTestServer } from '../support/server';

jest.setTimeout(60_000);

/** A CSP header as { directive: [values] }. */
function parseCsp(header: string | null): Record<string, string[]> {
  const directives: Record<string, string[]> = {};
  for (const part of (header ?? '').split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) directives[name] = values;
  }
  return directives;
}

describe.each(testDatabaseKinds)('security headers on %s', (kind) => {
  let db: Database;
  let server: RunningServer;

  beforeAll(async () => {
    db = await openTestDatabase(kind);
    server = await startTestServer(db);
  });
  afterAll(async () => {
    await server.close();
    await db.close();
  });

  const requests: [string, () => Promise<Response>][] = [
    ['GET /', () => fetch(`${server.url}/`, { headers: { accept: 'text/html' } })],
    ['GET /leads/some-id (the dashboard, client-routed)', () => fetch(`${server.url}/leads/some-id`, { headers: { accept: 'text/html' } })],
    ['GET /docs', () => fetch(`${server.url}/docs`)],
    ['GET /docs/security', () => fetch(`${server.url}/docs/security`)],
    [
      'POST /graphql',
      () => fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' }),
    ],
    ['GET /healthz', () => fetch(`${server.url}/healthz`)],
  ];

  it.each(requests.map(([name]) => name))('%s forbids framing and sniffing, sends no referrer, and has a CSP', async (name) => {
    const response = await requests.find(([candidate]) => candidate === name)![1]();
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    const csp = parseCsp(response.headers.get('content-security-policy'));
    expect(csp['frame-ancestors']).toEqual(["'none'"]);
    expect(csp['object-src'] ?? csp['default-src']).toEqual(["'none'"]);
    expect(response.headers.get('content-security-policy')).not.toMatch(/unsafe-inline|unsafe-eval/);
    // Plain http: HSTS would be ignored by browsers and only mislead.
    expect(response.headers.get('strict-transport-security')).toBeNull();
    expect(response.headers.get('x-powered-by')).toBeNull();
  });

  it('gives the dashboard a same-origin policy: scripts and styles from here, images also as data:, sockets to here', async () => {
    const response = await fetch(`${server.url}/`, { headers: { accept: 'text/html' } });
    expect(parseCsp(response.headers.get('content-security-policy'))).toEqual({
      'default-src': ["'self'"],
      'script-src': ["'self'"],
      'script-src-attr': ["'none'"],
      'style-src': ["'self'"],
      'img-src': ["'self'", 'data:'],
      'font-src': ["'self'"],
      // PUBLIC_BASE_URL's origin (tests run with PORT=0, hence :0).
      'connect-src': ["'self'", server.deps.config.publicBaseUrl.replace(/^http/, 'ws')],
      'object-src': ["'none'"],
      'base-uri': ["'self'"],
      'form-action': ["'self'"],
      'frame-ancestors': ["'none'"],
    });
  });

  it('lets the docs pages style themselves only with their own stylesheet, by hash', async () => {
    const response = await fetch(`${server.url}/docs/security`);
    const html = await response.text();
    const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((match) => match[1]!);
    expect(styles).toHaveLength(1);
    const hash = `'sha256-${crypto.createHash('sha256').update(styles[0]!).digest('base64')}'`;
    const csp = parseCsp(response.headers.get('content-security-policy'));
    expect(csp['style-src']).toEqual([hash]);
    expect(csp['default-src']).toEqual(["'none'"]);
    expect(html).not.toMatch(/<script|\sstyle=/i);
  });
});

describe('HSTS', () => {
  it('is sent when PUBLIC_BASE_URL is https, with requests upgraded', async () => {
    const db = await openTestDatabase('pglite');
    const server = await startTestServer(db, { env: { PUBLIC_BASE_URL: 'https://calls.example-hvac.test' } });
    try {
      const response = await fetch(`${server.url}/`, { headers: { accept: 'text/html' } });
      expect(response.headers.get('strict-transport-security')).toBe('max-age=31536000');
      const csp = parseCsp(response.headers.get('content-security-policy'));
      expect(csp['connect-src']).toEqual(["'self'", 'wss://calls.example-hvac.test']);
      expect(csp['upgrade-insecure-requests']).toEqual([]);
    } finally {
      await server.close();
      await db.close();
    }
  });
});
