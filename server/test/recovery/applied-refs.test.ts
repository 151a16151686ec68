// Replays of a missed call this node already applied are answered from memory
// (recovery/applied-refs.ts): the duplicate costs no statement, and nothing is
// written twice.
import { AppliedRefs } from '../../src/recovery/applied-refs';
import { providerRefs } from '../../src/recovery/exactly-once';
import { testDatabaseKinds } from '../support/database';
import { createTestOrg } from '../support/fixtures';
import { useTestServer } from '../support/test-server';
import { countRecoveryRows, newCall, newCallerNumber, webhookLogs } from '../support/twilio';

jest.setTimeout(60_000);

describe('AppliedRefs', () => {
  it('knows a ref per organization', () => {
    const refs = new AppliedRefs();
    refs.add('org-a', 'call_missed:CA1');
    expect(refs.has('org-a', 'call_missed:CA1')).toBe(true);
    expect(refs.has('org-b', 'call_missed:CA1')).toBe(false);
    expect(refs.has('org-a', 'call_missed:CA2')).toBe(false);
  });

  it('forgets the oldest ref past its capacity, and re-adding does not refresh it', () => {
    const refs = new AppliedRefs(3);
    for (const sid of ['CA1', 'CA2', 'CA3']) refs.add('org', sid);
    refs.add('org', 'CA1');
    refs.add('org', 'CA4');
    expect(['CA1', 'CA2', 'CA3', 'CA4'].map((sid) => refs.has('org', sid))).toEqual([false, true, true, true]);
  });
});

describe.each(testDatabaseKinds)('missed-call replays on %s', (kind) => {
  const fixture = useTestServer(kind);

  it('remembers a committed missed call and answers its replays as duplicates, writing nothing more', async () => {
    const org = await createTestOrg(fixture.db);
    const call = newCall(newCallerNumber(), org.trackingNumber!);
    const applied = fixture.server.deps.appliedRefs!;
    expect(applied.has(org.orgId, providerRefs.callMissed(call.callSid))).toBe(false);

    expect((await fixture.twilio.dialStatus(call)).status).toBe(200);
    expect(applied.has(org.orgId, providerRefs.callMissed(call.callSid))).toBe(true);
    const rows = await countRecoveryRows(fixture.db, org.orgId);

    const replays = await Promise.all(Array.from({ length: 5 }, () => fixture.twilio.dialStatus(call)));
    expect(replays.map((response) => response.status)).toEqual([200, 200, 200, 200, 200]);
    expect(await countRecoveryRows(fixture.db, org.orgId)).toEqual(rows);
    const outcomes = (await webhookLogs(fixture.db, { eventId: call.callSid })).map((log) => log.outcome);
    expect(outcomes.sort()).toEqual(['DUPLICATE', 'DUPLICATE', 'DUPLICATE', 'DUPLICATE', 'DUPLICATE', 'PROCESSED']);
  });

  it('answers a remembered call without asking the database', async () => {
    const org = await createTestOrg(fixture.db);
    const call = newCall(newCallerNumber(), org.trackingNumber!);
    // Remembered, but never written: only a replay answered from memory leaves no lead behind.
    fixture.server.deps.appliedRefs!.add(org.orgId, providerRefs.callMissed(call.callSid));

    expect((await fixture.twilio.dialStatus(call)).status).toBe(200);
    expect(await countRecoveryRows(fixture.db, org.orgId)).toMatchObject({ leads: 0, events: 0 });
    expect((await webhookLogs(fixture.db, { eventId: call.callSid })).map((log) => log.outcome)).toEqual(['DUPLICATE']);
  });
});
