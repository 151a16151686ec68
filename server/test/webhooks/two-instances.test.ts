// Scale-out: two CallSnare processes (here: two app instances with their own
// connection pools and workers) behind one PostgreSQL database. Replays spread
// over both still have exactly one effect: the database keys decide, not memory.
import { openDatabase, type Database } from '../../src/db/client';
import type { RunningServer } from '../../src/server';
import { ManualClock } from '../../src/common/clock';
import type { SandboxSmsTransport } from '../../src/messaging/sandbox-sms.transport';
import { openTestDatabase } from '../support/database';
import { createTestOrg } from '../support/fixtures';
import { startTestServer } from '../support/server';
import { countRecoveryRows, newCall, newCallerNumber, TEST_AUTH_TOKEN, twilioPoster, webhookLogs } from '../support/twilio';

jest.setTimeout(120_000);

const describeWithPostgres = process.env.TEST_DATABASE_URL ? describe : describe.skip;

describeWithPostgres('two app instances sharing one PostgreSQL', () => {
  let db: Database;
  let secondPool: Database;
  let a: RunningServer;
  let b: RunningServer;
  const clock = new ManualClock('2026-01-15T15:00:00.000Z');

  beforeAll(async () => {
    db = await openTestDatabase('postgres');
    if (db.target.kind !== 'postgres') throw new Error('expected PostgreSQL');
    secondPool = await openDatabase({ kind: 'postgres', url: db.target.url }, { poolSize: 5 });
    const options = { clock, env: { TWILIO_AUTH_TOKEN: TEST_AUTH_TOKEN }, start: { workers: true } };
    a = await startTestServer(db, options);
    b = await startTestServer(secondPool, options);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await secondPool?.close();
    await db?.close();
  });

  const sends = () => (a.deps.sms as SandboxSmsTransport).sent.length + (b.deps.sms as SandboxSmsTransport).sent.length;

  async function untilSent(orgId: string, expected: number) {
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      if ((await db.prisma.message.count({ where: { orgId, status: 'SENT' } })) >= expected) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error('the text-back was not sent');
  }

  it('50 replays of one dial-status spread over both instances: one lead, one event, one callback, one text', async () => {
    const org = await createTestOrg(db);
    const call = newCall(newCallerNumber(), org.trackingNumber!);
    const instances = [twilioPoster(a), twilioPoster(b)];
    const sendsBefore = sends();
    const responses = await Promise.all(Array.from({ length: 50 }, (_, i) => instances[i % 2]!.dialStatus(call)));
    expect(responses.map((r) => r.status)).toEqual(Array(50).fill(200));
    await untilSent(org.orgId, 1);
    // Give the other instance's worker a chance to (wrongly) send it again.
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(await countRecoveryRows(db, org.orgId)).toEqual({ leads: 1, events: 4, callbacks: 1, messages: 1 });
    expect(sends() - sendsBefore).toBe(1);
    const outcomes = (await webhookLogs(db, { eventId: call.callSid })).map((l) => l.outcome);
    expect(outcomes).toHaveLength(50);
    expect(outcomes.filter((o) => o === 'PROCESSED')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'DUPLICATE')).toHaveLength(49);
  });

  it('twenty different calls from one caller at once, over both instances: one open lead, one callback, one text', async () => {
    const org = await createTestOrg(db);
    const caller = newCallerNumber();
    const instances = [twilioPoster(a), twilioPoster(b)];
    const responses = await Promise.all(Array.from({ length: 20 }, (_, i) => instances[i % 2]!.dialStatus(newCall(caller, org.trackingNumber!))));
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
    await untilSent(org.orgId, 1);
    expect(await countRecoveryRows(db, org.orgId)).toMatchObject({ leads: 1, callbacks: 1, messages: 1 });
    expect(await db.prisma.leadEvent.count({ where: { orgId: org.orgId, type: 'CALL_MISSED' } })).toBe(20);
    expect(await db.prisma.leadEvent.count({ where: { orgId: org.orgId, type: 'TEXT_BACK_SKIPPED' } })).toBe(19);
  });
});
