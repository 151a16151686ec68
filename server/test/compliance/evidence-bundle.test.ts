// The dispute bundle for a caller's phone: a missed call, the text-back, the caller's reply
// and STOP, played through the real Twilio webhooks, come back as one record (calls with
// CallSid, texts with provider ids, delivery reports, consent events, audit entries with their
// chain position and hash, webhook-log ids), across the organization's leads for that phone
// and never another organization's. Downloaded over HTTP by whoever may read the lead
// (audited); the CLI prints or writes the same bundle and refuses bad input with exit 2.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runOutboxOnce } from '../../src/server';
import { databaseTargetFrom, openDatabase } from '../../src/db/client';
import { applyMigrations } from '../../src/db/migration-runner';
import type { LeadEvidenceBundle } from '../../src/compliance/evidence-bundle';
import { seedEmbeddedDatabase, testDatabaseKinds } from '../support/database';
import { createTestCredential, createTestOrg } from '../support/fixtures';
import { createTestLead } from '../support/leads';
import { createTestStaff, openTestSession, ownerOf } from '../support/sessions';
import { newCall, newCallerNumber } from '../support/twilio';
import { useTestServer } from '../support/test-server';
import { cliHarness } from '../cli/cli-harness';

jest.setTimeout(180_000);

/** Thursday 14:00 in New York, 11:00 on the west coast: inside every calling window. */
const AFTERNOON = '2026-01-15T19:00:00.000Z';
const HOSTILE = '<script>alert("x")</script> & \'quotes\'';

describe.each(testDatabaseKinds)('the dispute bundle on %s', (kind) => {
  const fixture = useTestServer(kind, { now: AFTERNOON });

  afterEach(async () => {
    await fixture.db.prisma.staffAlert.updateMany({ where: { status: { in: ['QUEUED', 'SENDING'] } }, data: { status: 'CANCELED' } });
    await fixture.db.prisma.message.updateMany({ where: { status: { in: ['QUEUED', 'SENDING'] } }, data: { status: 'CANCELED' } });
  });

  /** A shop, a caller with an older closed lead, and the story: missed call, text-back (delivered), reply, STOP. */
  async function story() {
    const org = await createTestOrg(fixture.db);
    const owner = await ownerOf(fixture.db, org.orgId);
    const cookie = await openTestSession(fixture.db, owner.userId, org.orgId);
    const caller = newCallerNumber();
    const older = await createTestLead(fixture.db, org.orgId, { phone: caller, status: 'LOST', at: new Date('2025-12-01T15:00:00Z') });
    const call = newCall(caller, org.trackingNumber!);
    expect((await fixture.twilio.voice(call)).status).toBe(200);
    expect((await fixture.twilio.dialStatus(call, 'no-answer')).status).toBe(200);
    await runOutboxOnce(fixture.server.deps);
    const textBack = await fixture.db.prisma.message.findFirstOrThrow({ where: { orgId: org.orgId, toPhone: caller, kind: 'TEXT_BACK' } });
    expect(textBack.providerSid).toBeTruthy();
    expect((await fixture.twilio.smsStatus(textBack.providerSid!, 'delivered')).status).toBe(200);
    fixture.clock.advance(60_000);
    expect((await fixture.twilio.sms(caller, org.trackingNumber!, `Is tomorrow ok? ${HOSTILE}`)).status).toBe(200);
    fixture.clock.advance(60_000);
    expect((await fixture.twilio.sms(caller, org.trackingNumber!, 'STOP')).status).toBe(200);
    const lead = await fixture.db.prisma.lead.findFirstOrThrow({ where: { orgId: org.orgId, phone: caller, id: { not: older.id } } });
    await fixture.db.prisma.lead.update({ where: { id: lead.id }, data: { name: HOSTILE } });
    // Another shop's lead for the same phone never appears.
    const elsewhere = await createTestOrg(fixture.db);
    const foreign = await createTestLead(fixture.db, elsewhere.orgId, { phone: caller });
    return { orgId: org.orgId, cookie, caller, call, lead, older, textBack, elsewhere, foreign };
  }

  const download = (leadId: string, format: string, headers: Record<string, string> = {}) =>
    fetch(`${fixture.server.url}/api/leads/${leadId}/evidence.${format}`, { headers });

  it('holds the calls, texts, delivery reports, consent, audit entries and webhook-log ids for the phone, across its leads', async () => {
    const s = await story();
    const response = await download(s.lead.id, 'json', { cookie: s.cookie });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="callsnare-evidence-\d+-2026-01-15\.json"$/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const bundle = (await response.json()) as LeadEvidenceBundle;

    expect(bundle).toMatchObject({ format: 'callsnare.lead-evidence/1', phone: s.caller, requestedLeadId: s.lead.id, organization: { id: s.orgId } });
    expect(bundle.leads.map((lead) => lead.id)).toEqual([s.older.id, s.lead.id]);
    expect(bundle.leads.find((lead) => lead.id === s.lead.id)).toMatchObject({ optedOut: true });
    expect(JSON.stringify(bundle)).not.toContain(s.foreign.id);

    expect(bundle.calls).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'CALL_MISSED', callSid: s.call.callSid, leadId: s.lead.id })]));
    const textBack = bundle.texts.find((text) => text.id === s.textBack.id)!;
    expect(textBack).toMatchObject({ direction: 'OUTBOUND', kind: 'TEXT_BACK', status: 'DELIVERED', providerSid: s.textBack.providerSid, failureReason: null });
    expect(textBack).toHaveProperty('deferredUntil');
    expect(textBack).toHaveProperty('evidence');
    const inbound = bundle.texts.filter((text) => text.direction === 'INBOUND').map((text) => text.body);
    expect(inbound).toEqual([`Is tomorrow ok? ${HOSTILE}`, 'STOP']);

    expect(bundle.deliveryReports).toEqual([
      expect.objectContaining({ messageSid: s.textBack.providerSid, status: 'delivered', outcome: 'PROCESSED', webhookLogId: expect.any(String) }),
    ]);
    expect(bundle.consent.map((event) => event.type)).toEqual(['OPTED_OUT']);

    const logs = await fixture.db.prisma.webhookLog.findMany({ where: { orgId: s.orgId }, select: { id: true, route: true } });
    expect(logs.length).toBeGreaterThanOrEqual(5);
    expect(bundle.webhookLogs.map((log) => log.id).sort()).toEqual(logs.map((log) => log.id).sort());
    expect(bundle.deliveryReports[0]!.webhookLogId).toBe(logs.find((log) => log.route.endsWith('/sms/status'))!.id);

    const optedOut = bundle.auditEntries.find((entry) => entry.action === 'lead.opted_out')!;
    const stored = await fixture.db.prisma.auditEntry.findUniqueOrThrow({ where: { id: optedOut.id } });
    expect(optedOut).toMatchObject({ seq: stored.seq, hash: stored.hash, prevHash: stored.prevHash, targetId: s.lead.id });
    expect(bundle.auditEntries.every((entry) => typeof entry.seq === 'number' && entry.hash.length > 0)).toBe(true);
    expect(bundle.verification.command).toBe(`callsnare audit verify --org ${s.orgId}`);
    expect(bundle.verification.chainHead!.seq).toBeGreaterThanOrEqual(optedOut.seq);

    // The export itself is audited, after the bundle was assembled.
    const exported = await fixture.db.prisma.auditEntry.findMany({ where: { orgId: s.orgId, action: 'lead.evidence_exported' } });
    expect(exported).toEqual([expect.objectContaining({ targetType: 'Lead', targetId: s.lead.id, actorType: 'USER' })]);
  });

  it('the HTML page is self-contained and escapes everything', async () => {
    const s = await story();
    const response = await download(s.older.id, 'html', { cookie: s.cookie });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await response.text();
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quotes&#39;');
    expect(html).not.toContain('<script');
    expect(html).not.toMatch(/<(link|img|iframe)\b/);
    expect(html).toContain(s.call.callSid);
    expect(html).toContain(s.textBack.providerSid!);
    expect(html).toContain(`callsnare audit verify --org ${s.orgId}`);
  });

  it('is denied without sign-in, to another organization, to a credential without leads:read, and for a malformed id or format', async () => {
    const s = await story();
    expect((await download(s.lead.id, 'json')).status).toBe(401);
    expect((await download(s.lead.id, 'json', { cookie: 'callsnare_session=not-a-session' })).status).toBe(401);
    const otherOwner = await ownerOf(fixture.db, s.elsewhere.orgId);
    const asOther = await openTestSession(fixture.db, otherOwner.userId, s.elsewhere.orgId);
    const foreign = await download(s.lead.id, 'json', { cookie: asOther });
    expect(foreign.status).toBe(404);
    expect(await foreign.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'Lead not found' } });
    const noScope = await createTestCredential(fixture.db, s.orgId, ['callbacks:read']);
    expect((await download(s.lead.id, 'json', { authorization: `Bearer ${noScope.secret}` })).status).toBe(403);
    const reader = await createTestCredential(fixture.db, s.orgId, ['leads:read']);
    expect((await download(s.lead.id, 'json', { authorization: `Bearer ${reader.secret}` })).status).toBe(200);
    const analyst = await createTestStaff(fixture.db, s.orgId, 'ANALYST');
    expect((await download(s.lead.id, 'html', { cookie: await openTestSession(fixture.db, analyst.userId, s.orgId) })).status).toBe(200);
    expect((await download('not-a-uuid', 'json', { cookie: s.cookie })).status).toBe(404);
    expect((await download(s.lead.id, 'pdf', { cookie: s.cookie })).status).toBe(404);
    const audited = await fixture.db.prisma.auditEntry.count({ where: { orgId: s.orgId, action: 'lead.evidence_exported' } });
    expect(audited).toBe(2);
    expect(await fixture.db.prisma.auditEntry.count({ where: { orgId: s.elsewhere.orgId, action: 'lead.evidence_exported' } })).toBe(0);
  });

  if (kind === 'postgres') {
    it('callsnare lead evidence prints or writes the same bundle, audited, and exits 2 on bad input', async () => {
      const s = await story();
      const cli = cliHarness('postgres', fixture.db);
      const out = path.join(cli.env.DATA_DIR!, 'bundle.json');
      try {
        const printed = await cli.run('lead', 'evidence', '--lead', s.lead.id);
        expect(printed.code).toBe(0);
        const bundle = JSON.parse(printed.out.join('\n')) as LeadEvidenceBundle;
        expect(bundle).toMatchObject({ phone: s.caller, requestedLeadId: s.lead.id, generatedBy: 'operator (CLI)' });
        expect(bundle.calls.find((call) => call.leadId === s.lead.id)!.callSid).toBe(s.call.callSid);

        const written = await cli.run('lead', 'evidence', '--lead', s.lead.id, '--org', s.orgId, '--out', out, '--html');
        expect(written.code).toBe(0);
        expect(fs.readFileSync(out, 'utf8')).toMatch(/^<!doctype html>/);
        expect(await fixture.db.prisma.auditEntry.count({ where: { orgId: s.orgId, action: 'lead.evidence_exported', actorType: 'SYSTEM' } })).toBe(2);

        const bad: [string[], RegExp][] = [
          [['lead', 'evidence', '--lead', 'nope'], /--lead must be a lead id/],
          [['lead', 'evidence', '--lead', s.foreign.id, '--org', s.orgId], /has no lead/],
          [['lead', 'evidence', '--lead', '0190f000-0000-7000-8000-000000000000'], /no lead with id/],
          [['lead', 'evidence', '--lead', s.lead.id, '--org', 'x'], /--org must be an organization id/],
          [['lead', 'evidence', '--lead', s.lead.id, '--out', path.join(cli.env.DATA_DIR!, 'missing', 'x.json')], /does not exist/],
          [['lead', 'evidence'], /--lead/],
        ];
        for (const [argv, message] of bad) {
          const result = await cli.run(...argv);
          expect(result.code).toBe(2);
          expect(result.err).toHaveLength(1);
          expect(result.err[0]).toMatch(message);
        }
        expect(await fixture.db.prisma.auditEntry.count({ where: { action: 'lead.evidence_exported', actorType: 'SYSTEM' } })).toBe(2);
      } finally {
        cli.cleanup();
      }
    });
  }
});

describe('callsnare lead evidence on the embedded database', () => {
  it('writes the bundle, and exits 2 naming the pid while a running server holds the database', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'callsnare-evidence-'));
    const cli = cliHarness('pglite', null);
    cli.env.DATA_DIR = dataDir;
    try {
      await seedEmbeddedDatabase(dataDir);
      const open = () => openDatabase(databaseTargetFrom(undefined, dataDir), { holder: 'a running server' });
      let db = await open();
      let leadId: string;
      try {
        await applyMigrations(db);
        const org = await createTestOrg(db);
        leadId = (await createTestLead(db, org.orgId)).id;
      } finally {
        await db.close();
      }
      const ok = await cli.run('lead', 'evidence', '--lead', leadId);
      expect(ok.code).toBe(0);
      expect(JSON.parse(ok.out.join('\n'))).toMatchObject({ requestedLeadId: leadId });

      db = await open();
      try {
        const refused = await cli.run('lead', 'evidence', '--lead', leadId, '--out', path.join(dataDir, 'x.json'));
        expect(refused.code).toBe(2);
        expect(refused.err).toEqual([
          `callsnare: the embedded database in ${path.resolve(dataDir)} is in use by a running server (pid ${process.pid}); stop it or use DATABASE_URL`,
        ]);
        expect(fs.existsSync(path.join(dataDir, 'x.json'))).toBe(false);
        expect(await db.prisma.auditEntry.count({ where: { action: 'lead.evidence_exported' } })).toBe(1);
      } finally {
        await db.close();
      }
    } finally {
      cli.cleanup();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
