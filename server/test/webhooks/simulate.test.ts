// `callsnare simulate missed-call` against a running server.
import net from 'node:net';
import { runCli } from '../../src/cli/main';
import type { Database } from '../../src/db/client';
import type { RunningServer } from '../../src/server';
import { ManualClock } from '../../src/common/clock';
import { openTestDatabase } from '../support/database';
import { createTestCredential, createTestOrg } from '../support/fixtures';
import { startTestServer } from '../support/server';
import { newCallerNumber, TEST_AUTH_TOKEN, webhookLogs } from '../support/twilio';

jest.setTimeout(60_000);

/** A port nothing listens on right now. */
async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', () => resolve()));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

async function cli(env: Record<string, string>, ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (line) => out.push(line), err: (line) => err.push(line), env: { LOG_LEVEL: 'silent', ...env } });
  return { code, out, err };
}

describe('callsnare simulate missed-call', () => {
  let db: Database;
  let server: RunningServer;

  beforeAll(async () => {
    db = await openTestDatabase('pglite');
    // A real port (not 0), so the server's default PUBLIC_BASE_URL is the URL the simulator signs.
    server = await startTestServer(db, {
      clock: new ManualClock('2026-01-15T15:00:00.000Z'),
      env: { TWILIO_AUTH_TOKEN: TEST_AUTH_TOKEN, PORT: String(await freePort()) },
      start: { workers: true },
    });
  });
  afterAll(async () => {
    await server.close();
    await db.close();
  });

  it('plays the call, shows the lead, the text-back and its delivery, then threads the reply', async () => {
    const org = await createTestOrg(db, { name: 'Summit Heating & Air' });
    const caller = newCallerNumber();
    const { secret } = await createTestCredential(db, org.orgId, ['leads:read']);
    const run = await cli(
      { TWILIO_AUTH_TOKEN: TEST_AUTH_TOKEN, CALLSNARE_API_KEY: secret },
      'simulate',
      'missed-call',
      '--to',
      org.trackingNumber!,
      '--from',
      caller,
      '--url',
      server.url,
    );
    expect(run.err).toEqual([]);
    expect(run.code).toBe(0);
    const lead = await db.prisma.lead.findFirstOrThrow({ where: { orgId: org.orgId } });
    const text = run.out.join('\n');
    expect(text).toContain('signed with TWILIO_AUTH_TOKEN');
    expect(text).toMatch(/voice +200 PROCESSED +rings \+15005550001 for 20 s/);
    expect(text).toMatch(/dial-status +200 PROCESSED/);
    expect(text).toContain(`lead         ${lead.id}`);
    expect(text).toMatch(/text-back +SENT SM[0-9a-f]{32}/);
    expect(text).toContain('"Hi there, sorry we missed your call at Summit Heating & Air!');
    expect(text).toMatch(/delivery +200 PROCESSED +delivered/);
    expect(text).toMatch(new RegExp(`reply +200 PROCESSED +"Hi, our AC stopped cooling.*" -> lead ${lead.id}`));

    expect(lead.status).toBe('CONTACTED');
    expect(await db.prisma.message.findMany({ where: { orgId: org.orgId }, orderBy: { id: 'asc' }, select: { kind: true, status: true } })).toEqual([
      { kind: 'TEXT_BACK', status: 'DELIVERED' },
      { kind: 'INBOUND', status: 'RECEIVED' },
    ]);
    const logs = await db.prisma.webhookLog.findMany({ where: { orgId: org.orgId } });
    expect(logs.map((l) => l.signature)).toEqual(Array(4).fill('VALID'));
  });

  it("without the org's API credential it shows the queued text-back's id and how to follow it, and still threads the reply", async () => {
    const org = await createTestOrg(db);
    const run = await cli(
      { TWILIO_AUTH_TOKEN: TEST_AUTH_TOKEN },
      'simulate',
      'missed-call',
      '--to',
      org.trackingNumber!,
      '--from',
      newCallerNumber(),
      '--url',
      server.url,
    );
    expect(run.err).toEqual([]);
    expect(run.code).toBe(0);
    const text = run.out.join('\n');
    const message = await db.prisma.message.findFirstOrThrow({ where: { orgId: org.orgId, kind: 'TEXT_BACK' } });
    expect(text).toContain(`text-back    queued (message ${message.id}; pass --api-key or set CALLSNARE_API_KEY to follow it)`);
    expect(text).not.toMatch(/delivery +200/);
    expect(text).toMatch(/reply +200 PROCESSED/);
  });

  it('refuses bad input with one line and exit code 2', async () => {
    const run = await cli({}, 'simulate', 'missed-call', '--to', '5005550006', '--from', '+13125550123', '--url', server.url);
    expect(run.code).toBe(2);
    expect(run.err).toEqual(['callsnare: --to must be an E.164 number like +15005550006 (got "5005550006")']);
    const before = (await webhookLogs(db)).length;
    const unknown = await cli({}, 'simulate', 'missed-call', '--to', '+13125559876', '--from', '+13125550123', '--url', server.url);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toEqual([`callsnare: +13125559876 is not an active tracking number on ${server.url} (the server answered "not in service")`]);
    expect((await webhookLogs(db)).length).toBe(before + 1);
  });

  it('says so when no server is listening', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const run = await cli({}, 'simulate', 'missed-call', '--to', '+15005550006', '--from', '+13125550123', '--url', url);
    expect(run.code).toBe(1);
    expect(run.err).toEqual([`callsnare: failed: cannot reach ${url} (ECONNREFUSED); is the server running? (npm start)`]);
  });
});
