// Every timeline event moves its lead's lastActivityAt (which orders the inbox),
// whichever path wrote it: the same failure must not reorder the inbox on one
// path and leave it alone on another.
import fs from 'node:fs';
import path from 'node:path';
import { runCallbackSlaOnce, runOutboxOnce } from '../../src/server';
import type { LeadEventType } from '../../src/generated/prisma/enums';
import { testDatabaseKinds } from '../support/database';
import { createTestOrg } from '../support/fixtures';
import { newCall, newCallerNumber } from '../support/twilio';
import { useTestServer } from '../support/test-server';

jest.setTimeout(120_000);

const MINUTE = 60_000;
const BUSINESS_HOURS = '2026-01-15T15:00:00.000Z';

describe.each(testDatabaseKinds)('lead activity on %s', (kind) => {
  const fixture = useTestServer(kind, { now: BUSINESS_HOURS });
  const { clock } = fixture;

  /** A caller's missed call (text-back queued, callback open), then time passes. */
  async function missedCallThenLater() {
    const org = await createTestOrg(fixture.db, { forwardTo: '+13125550100' });
    const caller = newCallerNumber();
    await fixture.twilio.dialStatus(newCall(caller, org.trackingNumber!));
    const lead = await fixture.db.prisma.lead.findFirstOrThrow({ where: { orgId: org.orgId, phone: caller } });
    const textBack = await fixture.db.prisma.message.findFirstOrThrow({ where: { leadId: lead.id, kind: 'TEXT_BACK' } });
    clock.advance(30 * MINUTE);
    return { orgId: org.orgId, trackingNumber: org.trackingNumber!, caller, lead, textBack };
  }

  async function expectMovedBy(leadId: string, type: LeadEventType) {
    const event = await fixture.db.prisma.leadEvent.findFirstOrThrow({ where: { leadId, type }, orderBy: { createdAt: 'desc' } });
    expect(event.createdAt.toISOString()).toBe(clock.now().toISOString());
    const lead = await fixture.db.prisma.lead.findUniqueOrThrow({ where: { id: leadId } });
    expect({ type, lastActivityAt: lead.lastActivityAt.toISOString() }).toEqual({ type, lastActivityAt: clock.now().toISOString() });
  }

  it('CALLBACK_OVERDUE moves lastActivityAt', async () => {
    const { lead } = await missedCallThenLater();
    await runCallbackSlaOnce(fixture.server.deps);
    await expectMovedBy(lead.id, 'CALLBACK_OVERDUE');
  });

  it('a failed delivery report (TEXT_BACK_FAILED) and the carrier opt-out it implies (OPTED_OUT) move lastActivityAt', async () => {
    const { lead, textBack } = await missedCallThenLater();
    clock.set(new Date(clock.now().getTime() - 30 * MINUTE));
    await runOutboxOnce(fixture.server.deps);
    const sent = await fixture.db.prisma.message.findUniqueOrThrow({ where: { id: textBack.id } });
    clock.advance(30 * MINUTE);
    const response = await fixture.twilio.smsStatus(sent.providerSid!, 'undelivered', { messageId: sent.id, errorCode: '21610' });
    expect(response.status).toBe(200);
    await expectMovedBy(lead.id, 'TEXT_BACK_FAILED');
    await expectMovedBy(lead.id, 'OPTED_OUT');
  });

  it('a text withdrawn at send time because the caller opted out meanwhile (TEXT_BACK_SKIPPED) moves lastActivityAt', async () => {
    const { lead } = await missedCallThenLater();
    await fixture.db.prisma.lead.update({ where: { id: lead.id }, data: { optedOut: true } });
    await runOutboxOnce(fixture.server.deps);
    await expectMovedBy(lead.id, 'TEXT_BACK_SKIPPED');
  });

  it('a STOP withdraws texts queued on the caller’s other lead, and moves that lead too', async () => {
    const { orgId, trackingNumber, caller, lead } = await missedCallThenLater();
    // The first lead closes with its text-back still queued (quiet hours, say); the caller's next call opens a new lead.
    await fixture.db.prisma.lead.update({ where: { id: lead.id }, data: { status: 'LOST', openPhone: null } });
    await fixture.twilio.dialStatus(newCall(caller, trackingNumber));
    const texting = await fixture.db.prisma.lead.findFirstOrThrow({ where: { orgId, phone: caller, id: { not: lead.id } } });
    clock.advance(30 * MINUTE);
    await fixture.twilio.sms(caller, trackingNumber, 'STOP');
    await expectMovedBy(texting.id, 'OPTED_OUT');
    await expectMovedBy(lead.id, 'TEXT_BACK_SKIPPED');
  });
});

describe('the one writer of timeline events', () => {
  // Single statements that insert events and move the lead in the same statement (one round trip) are listed;
  // the demo seed writes finished stories (lastActivityAt included).
  it('no source file inserts LeadEvent rows except leads/lead-events.ts and the listed single statements that also move lastActivityAt', () => {
    const root = path.join(__dirname, '../../src');
    const statements = ['recovery/missed-call-writes.ts', 'messaging/outbox.worker.ts'];
    const allowed = new Set(['leads/lead-events.ts', 'demo/demo.seed.ts', ...statements]);
    for (const file of statements)
      expect({ file, moves: fs.readFileSync(path.join(root, file), 'utf8').includes('"lastActivityAt"') }).toEqual({ file, moves: true });
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) {
          if (entry.name !== 'generated') walk(file);
        } else if (file.endsWith('.ts')) {
          const relative = path.relative(root, file).split(path.sep).join('/');
          const source = fs.readFileSync(file, 'utf8');
          if (/leadEvent\.(create|createMany|createManyAndReturn|upsert)\(|INSERT INTO "LeadEvent"/.test(source) && !allowed.has(relative))
            offenders.push(relative);
        }
      }
    };
    walk(root);
    expect(offenders).toEqual([]);
  });
});
