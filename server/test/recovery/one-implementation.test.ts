// One implementation of the missed-call rules: the webhook's one statement
// (recovery/missed-call-writes.ts) writes the same rows, column for column,
// as the services do through Prisma (openLeadForCaller, leadEventRow +
// appendLeadEvents, queueOutboundMessage, a callback create), and its column
// lists come from the schema: a column added to the schema without a
// migration, or a stray key in a row, fails here.
import { inTransaction } from '../../src/db/types';
import { callsnareActor, twilioActor } from '../../src/common/actor';
import { Prisma } from '../../src/generated/prisma/client';
import { appendLeadEvents, leadEventRow } from '../../src/leads/lead-events';
import { queueOutboundMessage } from '../../src/messaging/outbox.service';
import { openLeadForCaller } from '../../src/recovery/caller-lead';
import { insertedColumns, insertRowSql } from '../../src/db/row-sql';
import { testDatabaseKinds } from '../support/database';
import { createTestOrg } from '../support/fixtures';
import { newCall, newCallerNumber } from '../support/twilio';
import { useTestServer } from '../support/test-server';
import type { MessageEvidence } from '../../src/compliance/message-evidence';

jest.setTimeout(120_000);

const BUSINESS_HOURS = '2026-01-15T15:00:00.000Z';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The models the missed-call statement writes, with Prisma's field enum for each. */
const MODELS = {
  Lead: Prisma.LeadScalarFieldEnum,
  LeadEvent: Prisma.LeadEventScalarFieldEnum,
  Message: Prisma.MessageScalarFieldEnum,
  Callback: Prisma.CallbackScalarFieldEnum,
} as const;

describe.each(testDatabaseKinds)('one implementation of the missed-call rows on %s', (kind) => {
  const fixture = useTestServer(kind, { now: BUSINESS_HOURS });
  const { clock } = fixture;

  it.each(Object.entries(MODELS))(
    "%s: the database's columns are Prisma's generated fields (no drift between schema and migrations)",
    async (table, fields) => {
      const rows = await fixture.db.prisma.$queryRaw<{ column: string }[]>`
      SELECT column_name::text AS column FROM information_schema.columns WHERE table_name = ${table} AND table_schema = current_schema()`;
      expect(rows.map((row) => row.column).sort()).toEqual(Object.values(fields).sort());
    },
  );

  it('a row key that is not a column of the model is refused before any SQL is sent', () => {
    expect(() => insertedColumns({ table: 'Lead', fields: Prisma.LeadScalarFieldEnum, row: { orgId: 'x', phoneNumber: '+1' } as never })).toThrow(
      'Lead has no column phoneNumber',
    );
    expect(() => insertRowSql({ table: 'Message', fields: Prisma.MessageScalarFieldEnum, row: {}, computed: { lead: Prisma.sql`1` } as never })).toThrow(
      'Message has no column lead',
    );
  });

  /**
   * A row with what legitimately differs between two callers replaced: its own
   * ids, the caller's phone and lead, the wall-clock write time.
   */
  function comparable(row: Record<string, unknown>, names: Map<string, string>): Record<string, unknown> {
    const now = clock.now().getTime();
    const out: Record<string, unknown> = {};
    for (const [column, value] of Object.entries(row)) {
      if (value instanceof Date)
        out[column] = value.getTime() === now ? 'NOW' : Math.abs(value.getTime() - Date.now()) < 120_000 ? 'WALL' : value.toISOString();
      else if (typeof value === 'string' && UUID.test(value) && !names.has(value)) out[column] = 'UUIDv7';
      else if (typeof value === 'string') out[column] = [...names].reduce((text, [from, to]) => text.split(from).join(to), value);
      else if (value !== null && typeof value === 'object') {
        let json = JSON.stringify(value);
        for (const [from, to] of names) json = json.split(from).join(to);
        out[column] = JSON.parse(json.replace(/[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/g, 'UUIDv7')) as unknown;
      } else out[column] = value;
    }
    return out;
  }

  async function rowsOf(leadId: string) {
    const lead = await fixture.db.prisma.lead.findUniqueOrThrow({ where: { id: leadId } });
    const events = await fixture.db.prisma.leadEvent.findMany({ where: { leadId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
    const messages = await fixture.db.prisma.message.findMany({ where: { leadId }, orderBy: { id: 'asc' } });
    const callbacks = await fixture.db.prisma.callback.findMany({ where: { leadId }, orderBy: { id: 'asc' } });
    return { lead, events, messages, callbacks };
  }

  it("a first call: the webhook's statement and the services write the same lead, events, text-back and callback", async () => {
    const org = await createTestOrg(fixture.db, { forwardTo: '+13125550100' });
    const trackingNumber = org.trackingNumber!;
    const hotCaller = newCallerNumber();
    const call = newCall(hotCaller, trackingNumber);
    const response = await fixture.twilio.dialStatus(call);
    expect(response.status).toBe(200);
    const hot = await rowsOf(response.headers.get('x-callsnare-lead-id')!);
    const [missed, queued, opened] = hot.events;
    expect(hot.events.map((event) => event.type)).toEqual(['CALL_MISSED', 'TEXT_BACK_QUEUED', 'CALLBACK_OPENED']);

    // The same call from another caller, through the services (Prisma).
    const serviceCaller = newCallerNumber();
    const otherSid = newCall(serviceCaller, trackingNumber).callSid;
    const now = clock.now();
    const service = await inTransaction(fixture.db.prisma, async (tx) => {
      const lead = await openLeadForCaller(tx, org.orgId, serviceCaller, now);
      const sameData = (data: unknown) =>
        JSON.parse(JSON.stringify(data).split(call.callSid).join(otherSid).split(hotCaller).join(serviceCaller)) as Prisma.InputJsonObject;
      const hotMessage = hot.messages[0]!;
      const message = await queueOutboundMessage(
        tx,
        { orgId: org.orgId },
        {
          leadId: lead.id,
          kind: 'TEXT_BACK',
          body: hotMessage.body,
          fromPhone: trackingNumber,
          toPhone: serviceCaller,
          idempotencyKey: `textback:${otherSid}`,
          notBefore: hotMessage.nextAttemptAt,
          evidence: sameData(hotMessage.evidence) as unknown as MessageEvidence,
        },
        clock,
      );
      const callback = await tx.callback.create({
        data: { orgId: org.orgId, leadId: lead.id, openLeadId: lead.id, status: 'OPEN', dueAt: hot.callbacks[0]!.dueAt, createdAt: now },
      });
      const queuedData = { ...(sameData(queued!.data) as Record<string, unknown>), messageId: message.id };
      const openedData = { ...(sameData(opened!.data) as Record<string, unknown>), callbackId: callback.id };
      await appendLeadEvents(tx, [
        leadEventRow(twilioActor(org.orgId), lead.id, 'CALL_MISSED', sameData(missed!.data), now, `call_missed:${otherSid}`),
        leadEventRow(callsnareActor(org.orgId), lead.id, 'TEXT_BACK_QUEUED', queuedData, now),
        leadEventRow(callsnareActor(org.orgId), lead.id, 'CALLBACK_OPENED', openedData, now),
      ]);
      return lead;
    });
    const serviceRows = await rowsOf(service.id);

    const hotNames = new Map([
      [hot.lead.id, 'LEAD'],
      [hotCaller, 'CALLER'],
      [call.callSid, 'CALL'],
    ]);
    const serviceNames = new Map([
      [service.id, 'LEAD'],
      [serviceCaller, 'CALLER'],
      [otherSid, 'CALL'],
    ]);
    expect(comparable(hot.lead, hotNames)).toEqual(comparable(serviceRows.lead, serviceNames));
    expect(hot.messages.map((row) => comparable(row, hotNames))).toEqual(serviceRows.messages.map((row) => comparable(row, serviceNames)));
    expect(hot.callbacks.map((row) => comparable(row, hotNames))).toEqual(serviceRows.callbacks.map((row) => comparable(row, serviceNames)));
    expect(hot.events.map((row) => comparable(row, hotNames))).toEqual(serviceRows.events.map((row) => comparable(row, serviceNames)));
  });

  it("a returning caller: both paths inherit the latest lead's name and consent (with its date) into the new lead", async () => {
    const org = await createTestOrg(fixture.db, { forwardTo: '+13125550100' });
    const optedOutAt = new Date('2026-01-10T12:00:00.000Z');
    const previous = async (phone: string) =>
      fixture.db.prisma.lead.create({
        data: { orgId: org.orgId, phone, openPhone: null, status: 'LOST', name: 'Dana Whitfield', optedOut: true, optedOutAt, createdAt: optedOutAt },
      });
    const hotCaller = newCallerNumber();
    const serviceCaller = newCallerNumber();
    await previous(hotCaller);
    await previous(serviceCaller);

    const response = await fixture.twilio.dialStatus(newCall(hotCaller, org.trackingNumber!));
    expect(response.headers.get('x-callsnare-text-back')).toBe('skipped opted_out');
    const hot = await fixture.db.prisma.lead.findUniqueOrThrow({ where: { id: response.headers.get('x-callsnare-lead-id')! } });
    const service = await inTransaction(fixture.db.prisma, (tx) => openLeadForCaller(tx, org.orgId, serviceCaller, clock.now()));
    const serviceLead = await fixture.db.prisma.lead.findUniqueOrThrow({ where: { id: service.id } });

    expect(hot).toMatchObject({ name: 'Dana Whitfield', optedOut: true, optedOutAt, openPhone: hotCaller, status: 'NEW' });
    expect(
      comparable(
        hot,
        new Map([
          [hot.id, 'LEAD'],
          [hotCaller, 'CALLER'],
        ]),
      ),
    ).toEqual(
      comparable(
        serviceLead,
        new Map([
          [service.id, 'LEAD'],
          [serviceCaller, 'CALLER'],
        ]),
      ),
    );
  });
});
