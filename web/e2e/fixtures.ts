// The dashboard e2e's fixtures: one built server per worker (its own data dir, in-memory
// PGlite, the sandbox demo seed), a test API against it (GraphQL, sandbox Twilio webhooks,
// members in any role), and a watch on every browser context a test opens: a Content
// Security Policy violation or an unexpected console error fails the test that caused it.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test as base, expect, type BrowserContext, type BrowserContextOptions, type Page } from '@playwright/test';

export { expect };

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Named screenshots of the main pages, for people to look at (failures get Playwright's own). */
const screenshots = path.join(root, 'test-artifacts', 'e2e', 'screenshots');

export type Role = 'OWNER' | 'ADMIN' | 'DISPATCHER' | 'ANALYST';

export interface Account {
  email: string;
  password: string;
}

/** The running server and what the tests do to it without a browser. */
export interface App {
  url: string;
  /** The demo owner printed on first start. */
  owner: Account;
  trackingNumber: string;
  /** POST /graphql with an optional Cookie header; throws on GraphQL errors; returns data. */
  gql<T = Record<string, unknown>>(cookie: string | null, query: string, variables?: Record<string, unknown>): Promise<T>;
  /** The owner's session cookie (signed in through the API once per worker). */
  ownerCookie(): Promise<string>;
  /** An unsigned (sandbox) Twilio webhook, e.g. '/voice'. */
  postTwilio(route: string, params: Record<string, string>): Promise<void>;
  /** A caller number no other test in this worker uses. */
  newCaller(): string;
  /** Ringing, then the dial ends unanswered (`busy` or `no-answer`): one missed call from `from`. */
  missedCall(from: string, dialStatus?: 'no-answer' | 'busy'): Promise<void>;
  /** An inbound text from `from` to the tracking number. */
  callerTexts(from: string, body: string): Promise<void>;
  /** A member with a password, invited by the owner: a fresh account per call. */
  createMember(role: Role, name?: string): Promise<Account>;
  /** The server's output so far (attached to a failed test). */
  output(): string;
}

interface Violation {
  label: string;
  directive?: string;
  blocked?: string;
  source?: string;
  sample?: string;
  page?: string;
  console?: string;
}

/** What the pages of one test reported: CSP violations and console errors, by context label. */
export class PageWatch {
  readonly cspViolations: Violation[] = [];
  readonly consoleErrors: string[] = [];
  private readonly allowed: { label: string; pattern: RegExp }[] = [];

  /** Console errors of contexts labelled `label` matching `pattern` are expected (e.g. while offline). */
  allowConsoleErrors(label: string, pattern: RegExp): void {
    this.allowed.push({ label, pattern });
  }

  unexpectedConsoleErrors(): string[] {
    return this.consoleErrors.filter((line) => !this.allowed.some(({ label, pattern }) => line.startsWith(`[${label}] `) && pattern.test(line)));
  }

  /** Removes and returns what the context `label` reported: for a test that causes a violation on purpose. */
  take(label: string): { cspViolations: Violation[]; consoleErrors: string[] } {
    const taken = {
      cspViolations: this.cspViolations.filter((v) => v.label === label),
      consoleErrors: this.consoleErrors.filter((l) => l.startsWith(`[${label}] `)),
    };
    remove(this.cspViolations, (v) => v.label === label);
    remove(this.consoleErrors, (l) => l.startsWith(`[${label}] `));
    return taken;
  }

  async attach(context: BrowserContext, label: string): Promise<void> {
    // Reported from inside the page: the browser's own record of what the CSP blocked.
    await context.exposeFunction('__reportCspViolation', (violation: Omit<Violation, 'label'>) => this.cspViolations.push({ label, ...violation }));
    await context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) => {
        (window as unknown as { __reportCspViolation: (v: object) => void }).__reportCspViolation({
          directive: event.violatedDirective,
          blocked: event.blockedURI,
          source: event.sourceFile,
          sample: event.sample,
          page: location.pathname,
        });
      });
    });
    const watchPage = (page: Page) => {
      page.on('console', (message) => {
        if (message.type() === 'error') this.consoleErrors.push(`[${label}] console: ${message.text()} @ ${page.url()}`);
        if (/Content Security Policy/i.test(message.text())) this.cspViolations.push({ label, console: message.text(), page: page.url() });
      });
      page.on('pageerror', (error) => this.consoleErrors.push(`[${label}] page error: ${error.message} @ ${page.url()}`));
    };
    context.pages().forEach(watchPage);
    context.on('page', watchPage);
  }
}

function remove<T>(list: T[], predicate: (item: T) => boolean): void {
  for (let i = list.length - 1; i >= 0; i--) if (predicate(list[i] as T)) list.splice(i, 1);
}

interface TestFixtures {
  watch: PageWatch;
  /** A further browser context (another person, device or permission set), watched like `page`'s and closed after the test. */
  newPage: (label: string, options?: BrowserContextOptions) => Promise<{ context: BrowserContext; page: Page }>;
  /** Signs in (default: the demo owner), opens the dashboard and waits for it. */
  signIn: (page: Page, account?: Account) => Promise<void>;
  /** Full-page screenshot to test-artifacts/e2e/screenshots/<name>.png. */
  shot: (page: Page, name: string) => Promise<void>;
}

interface WorkerFixtures {
  app: App;
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
  app: [
    // eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's dependencies from this pattern
    async ({}, use, workerInfo) => {
      // A worker whose server failed is replaced by a new one, which would try again for every
      // remaining test: the first failure is remembered and the rest fail at once.
      const failedBefore = path.join(workerInfo.project.outputDir, 'server-start-failed.txt');
      if (fs.existsSync(failedBefore)) throw new Error(`the server failed to start in an earlier worker:\n${fs.readFileSync(failedBefore, 'utf8')}`);
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `callsnare-e2e-${workerInfo.workerIndex}-`));
      try {
        let server: Awaited<ReturnType<typeof startServer>>;
        try {
          server = await startServer(dataDir);
        } catch (error) {
          fs.mkdirSync(workerInfo.project.outputDir, { recursive: true });
          fs.writeFileSync(failedBefore, String(error instanceof Error ? error.message : error));
          throw error;
        }
        try {
          await use(server.app);
        } finally {
          await server.stop();
        }
      } finally {
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
    },
    { scope: 'worker', timeout: 150_000 },
  ],

  baseURL: async ({ app }, use) => use(app.url),

  watch: [
    async ({ app }, use, testInfo) => {
      const watch = new PageWatch();
      await use(watch);
      const unexpected = watch.unexpectedConsoleErrors();
      if (testInfo.status !== testInfo.expectedStatus) {
        const tail = app.output().split('\n').slice(-40).join('\n');
        await testInfo.attach('server-output.txt', { body: tail, contentType: 'text/plain' });
        if (unexpected.length) await testInfo.attach('console-errors.txt', { body: unexpected.join('\n'), contentType: 'text/plain' });
        return;
      }
      expect(watch.cspViolations, 'no Content Security Policy violation on any page').toEqual([]);
      expect(unexpected, 'no console errors on any page').toEqual([]);
    },
    { auto: true },
  ],

  context: async ({ context, watch }, use) => {
    await watch.attach(context, 'page');
    await use(context);
  },

  newPage: async ({ browser, baseURL, viewport, watch }, use) => {
    const contexts: BrowserContext[] = [];
    await use(async (label, options = {}) => {
      const context = await browser.newContext({ baseURL, viewport, ...options });
      contexts.push(context);
      await watch.attach(context, label);
      return { context, page: await context.newPage() };
    });
    for (const context of contexts) await context.close();
  },

  signIn: async ({ app }, use) => {
    await use(async (page, account = app.owner) => {
      // The context's request API shares the browser's cookies: the session cookie lands in the
      // context as if the form had been used (sign-in.spec.ts drives the form itself).
      const response = await page.context().request.post(`${app.url}/graphql`, {
        data: {
          query: 'mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) { __typename } }',
          variables: { e: account.email, p: account.password },
        },
      });
      const body = (await response.json()) as { errors?: unknown[] };
      expect(body.errors, `signing in as ${account.email}`).toBeUndefined();
      await page.goto('/');
      await expect(page.getByRole('navigation', { name: 'Primary' })).toBeVisible();
    });
  },

  // eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's dependencies from this pattern
  shot: async ({}, use) => {
    await use(async (page, name) => {
      await page.screenshot({ path: path.join(screenshots, `${name}.png`), fullPage: true });
    });
  },
});

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** `callsnare serve` from the build, sandbox mode, on a free port; resolves once it printed the demo sign-in. */
async function startServer(dataDir: string): Promise<{ app: App; stop: () => Promise<void> }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(process.execPath, [path.join(root, 'server', 'bin', 'callsnare.js'), 'serve'], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: 'memory://',
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      INTEGRATION_MODE: 'sandbox',
      LOG_LEVEL: 'warn',
      PUBLIC_BASE_URL: url,
      // Every test signs in afresh from 127.0.0.1: the limits have their own integration tests.
      RATE_LIMIT_SIGNIN_PER_15MIN: '100000',
      RATE_LIMIT_API_PER_MIN: '100000',
      RATE_LIMIT_WEBHOOK_PER_MIN: '100000',
      NODE_OPTIONS: '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };

  const started = Date.now();
  while (!/is running at/i.test(output)) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}):\n${output}`);
    if (Date.now() - started > 120_000) {
      await stop();
      throw new Error(`the server did not start in 120 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const signIn = /as (\S+@\S+) with password: (\S+)/.exec(output);
  const tracking = /Demo tracking number: (\+\d+)/.exec(output);
  if (!signIn?.[1] || !signIn[2] || !tracking?.[1]) {
    await stop();
    throw new Error(`could not read the demo sign-in from the server output:\n${output}`);
  }
  const owner = { email: signIn[1], password: signIn[2] };
  const trackingNumber = tracking[1];

  const gql = async <T>(cookie: string | null, query: string, variables: Record<string, unknown> = {}): Promise<T> => {
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: T; errors?: unknown[] };
    if (body.errors || !body.data) throw new Error(`GraphQL: ${JSON.stringify(body.errors)}`);
    return body.data;
  };

  let ownerCookie: Promise<string> | null = null;
  const signInByApi = async (account: Account): Promise<string> => {
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: 'mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) { __typename } }',
        variables: { e: account.email, p: account.password },
      }),
    });
    const body = (await response.json()) as { errors?: unknown[] };
    if (body.errors) throw new Error(`signIn: ${JSON.stringify(body.errors)}`);
    return response.headers
      .getSetCookie()
      .map((line) => line.split(';')[0])
      .join('; ');
  };

  const postTwilio = async (route: string, params: Record<string, string>) => {
    const response = await fetch(`${url}/webhooks/twilio${route}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(params).toString(),
    });
    expect(response.status, `${route} answered ${response.status}: ${await response.text()}`).toBe(200);
  };

  let callers = 0;
  let sids = 0;
  const sid = (prefix: 'CA' | 'SM') => {
    sids += 1;
    return `${prefix}${Date.now().toString(16)}${String(sids).padStart(6, '0')}${'0'.repeat(20)}`.slice(0, 34);
  };
  let members = 0;

  const app: App = {
    url,
    owner,
    trackingNumber,
    gql,
    ownerCookie: () => (ownerCookie ??= signInByApi(owner)),
    postTwilio,
    newCaller() {
      callers += 1;
      return `+1500555${String(1000 + callers).padStart(4, '0')}`;
    },
    async missedCall(from, dialStatus = 'no-answer') {
      const call = { CallSid: sid('CA'), AccountSid: `AC${'1'.repeat(32)}`, From: from, To: trackingNumber, Direction: 'inbound' };
      await postTwilio('/voice', { ...call, CallStatus: 'ringing' });
      await postTwilio('/voice/dial-status', { ...call, CallStatus: 'in-progress', DialCallStatus: dialStatus, DialCallDuration: '0' });
    },
    async callerTexts(from, body) {
      await postTwilio('/sms', { MessageSid: sid('SM'), AccountSid: `AC${'1'.repeat(32)}`, From: from, To: trackingNumber, Body: body, NumMedia: '0' });
    },
    async createMember(role, name) {
      members += 1;
      const account = { email: `${role.toLowerCase()}.${members}.${port}@e2e.test`, password: `${role.toLowerCase()} password ${members}` };
      const invited = await gql<{ inviteMember: { setPasswordToken: string } }>(
        await app.ownerCookie(),
        'mutation($e: String!, $r: Role!, $n: String) { inviteMember(email: $e, role: $r, name: $n) { setPasswordToken } }',
        { e: account.email, r: role, n: name ?? null },
      );
      await gql(null, 'mutation($t: String!, $p: String!) { setPassword(token: $t, password: $p) { email } }', {
        t: invited.inviteMember.setPasswordToken,
        p: account.password,
      });
      return account;
    },
    output: () => output,
  };
  return { app, stop };
}
