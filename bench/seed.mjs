// Set-based seeding of one organization's history for the benchmarks: every
// table is filled by one INSERT … SELECT … FROM generate_series, never row by
// row. Ids are md5-derived uuids of the row number, so rows can reference each
// other without joins (lead i is md5('lead:' || i)::uuid everywhere).
//
// Shape, for N leads (default 100k):
//   Lead        N        lead i: phone +1 (2000000000 + i), created over the last
//                        365 days in order of i; status by i % 10: 0–3 NEW,
//                        4–5 CONTACTED (open: openPhone = phone), 6–7 BOOKED,
//                        8–9 LOST (closed: openPhone null)
//   LeadEvent   10 N     10 per lead, minutes apart (CALL_MISSED first, two
//                        per lead with a providerRef); lastActivityAt = newest
//   Callback    0.3 N    i % 10 = 0 OPEN, 1 SCHEDULED (openLeadId set; past due
//                        and already escalated: overdueAt set; scheduled times
//                        already announced: dueAnnouncedAt set), 6 COMPLETED/BOOKED
//   Message     N        one per lead: i % 3 = 0 an INBOUND reply, else the
//                        OUTBOUND text-back (SENT, idempotency key, provider sid)
//   AuditEntry  N        continues the org's chain (seq after the real entries);
//                        hashes are placeholders, so verifyAuditChain would fail

/** The statements, in order; each is one set-based INSERT. */
export function seedStatements({ orgId, leads, trackingNumber }) {
  const N = Number(leads);
  if (!Number.isInteger(N) || N < 10) throw new Error(`leads must be an integer ≥ 10 (got ${leads})`);
  const org = `'${orgId}'::uuid`;
  const line = `'${trackingNumber}'`;
  // Seeded history ends an hour ago, so rows the benchmark creates are the newest.
  const end = `(now() - interval '1 hour')`;
  const spread = `(31536000.0 / ${N})`; // seconds between consecutive leads (365 days / N)
  const leadCreated = (i) => `(${end} - ((${N} - ${i}) * ${spread}) * interval '1 second')`;
  const stepMinutes = (i) => `((${i}) % 7 + 1)`;
  const leadId = (i) => `md5('lead:' || (${i}))::uuid`;
  const eventTypes = [
    'CALL_MISSED',
    'CALLBACK_OPENED',
    'TEXT_BACK_QUEUED',
    'TEXT_BACK_SENT',
    'MESSAGE_RECEIVED',
    'NOTE_ADDED',
    'STATUS_CHANGED',
    'CALL_MISSED',
    'CALLBACK_SCHEDULED',
    'NOTE_ADDED',
  ];
  const auditActions = [
    'lead.updated',
    'lead.note_added',
    'callback.scheduled',
    'callback.assigned',
    'callback.completed',
    'message.sent',
    'settings.updated',
    'callback.canceled',
  ];

  return [
    {
      table: 'Lead',
      rows: N,
      sql: `
INSERT INTO "Lead" ("id", "orgId", "phone", "openPhone", "name", "status", "optedOut", "optedOutAt", "createdAt", "updatedAt", "lastActivityAt")
SELECT ${leadId('i')}, ${org},
       '+1' || (2000000000 + i)::text,
       CASE WHEN i % 10 < 6 THEN '+1' || (2000000000 + i)::text END,
       CASE WHEN i % 4 = 0 THEN NULL ELSE 'Caller ' || i END,
       (CASE WHEN i % 10 < 4 THEN 'NEW' WHEN i % 10 < 6 THEN 'CONTACTED' WHEN i % 10 < 8 THEN 'BOOKED' ELSE 'LOST' END)::"LeadStatus",
       i % 97 = 0,
       CASE WHEN i % 97 = 0 THEN ${leadCreated('i')} + interval '1 day' END,
       ${leadCreated('i')},
       ${leadCreated('i')} + ${stepMinutes('i')} * 9 * interval '1 minute',
       ${leadCreated('i')} + ${stepMinutes('i')} * 9 * interval '1 minute'
FROM generate_series(1, ${N}) AS i`,
    },
    {
      table: 'LeadEvent',
      rows: N * 10,
      sql: `
INSERT INTO "LeadEvent" ("id", "orgId", "leadId", "type", "data", "actorType", "actorId", "actorLabel", "providerRef", "createdAt")
SELECT md5('event:' || g)::uuid, ${org}, ${leadId('i')},
       (ARRAY[${eventTypes.map((t) => `'${t}'`).join(', ')}]::"LeadEventType"[])[k + 1],
       CASE WHEN k IN (0, 7) THEN jsonb_build_object('callSid', 'CA' || md5('call:' || g), 'dialCallStatus', 'no-answer') ELSE '{}'::jsonb END,
       (CASE WHEN k IN (0, 4, 7) THEN 'PROVIDER' ELSE 'SYSTEM' END)::"ActorType",
       CASE WHEN k IN (0, 4, 7) THEN 'twilio' END,
       CASE WHEN k IN (0, 4, 7) THEN 'Twilio' ELSE 'CallSnare' END,
       CASE WHEN k = 0 THEN 'call_missed:CA' || md5('call:' || g) WHEN k = 4 THEN 'sms:SM' || md5('sms:' || g) END,
       ${leadCreated('i')} + ${stepMinutes('i')} * k * interval '1 minute'
FROM (SELECT g, (g - 1) / 10 + 1 AS i, (g - 1) % 10 AS k FROM generate_series(1, ${N * 10}) AS g) AS s`,
    },
    {
      table: 'Callback',
      rows: Math.floor(N / 10) * 3 + [0, 1, 6].filter((r) => r > 0 && r <= N % 10).length,
      sql: `
INSERT INTO "Callback" ("id", "orgId", "leadId", "openLeadId", "status", "dueAt", "scheduledFor", "outcome", "completedAt", "overdueAt", "dueAnnouncedAt", "createdAt", "updatedAt")
SELECT md5('callback:' || i)::uuid, ${org}, ${leadId('i')},
       CASE WHEN i % 10 IN (0, 1) THEN ${leadId('i')} END,
       (CASE i % 10 WHEN 0 THEN 'OPEN' WHEN 1 THEN 'SCHEDULED' ELSE 'COMPLETED' END)::"CallbackStatus",
       ${leadCreated('i')} + interval '15 minutes',
       CASE WHEN i % 10 = 1 THEN ${leadCreated('i')} + interval '2 hours' END,
       CASE WHEN i % 10 = 6 THEN 'BOOKED'::"CallbackOutcome" END,
       CASE WHEN i % 10 = 6 THEN ${leadCreated('i')} + interval '40 minutes' END,
       -- Every seeded open callback is past due and was escalated when it fell due, as the
       -- SLA worker would have done; otherwise the worker escalates 0.2 N of them mid-benchmark.
       CASE WHEN i % 10 IN (0, 1) THEN ${leadCreated('i')} + interval '16 minutes' END,
       -- Likewise every scheduled time was announced (CALLBACK_DUE) when it came.
       CASE WHEN i % 10 = 1 THEN ${leadCreated('i')} + interval '2 hours 1 minute' END,
       ${leadCreated('i')} + ${stepMinutes('i')} * interval '1 minute',
       ${leadCreated('i')} + ${stepMinutes('i')} * 8 * interval '1 minute'
FROM generate_series(1, ${N}) AS i
WHERE i % 10 IN (0, 1, 6)`,
    },
    {
      table: 'Message',
      rows: N,
      sql: `
INSERT INTO "Message" ("id", "orgId", "leadId", "direction", "kind", "body", "status", "fromPhone", "toPhone", "providerSid", "idempotencyKey", "attempts", "sentAt", "createdAt", "updatedAt")
SELECT md5('message:' || i)::uuid, ${org}, ${leadId('i')},
       (CASE WHEN i % 3 = 0 THEN 'INBOUND' ELSE 'OUTBOUND' END)::"MessageDirection",
       (CASE WHEN i % 3 = 0 THEN 'INBOUND' ELSE 'TEXT_BACK' END)::"MessageKind",
       CASE WHEN i % 3 = 0 THEN 'Yes please, the AC stopped blowing cold air'
            ELSE 'Sorry we missed your call! Bench HVAC here: we will call you back within 15 minutes.' END,
       (CASE WHEN i % 3 = 0 THEN 'RECEIVED' ELSE 'SENT' END)::"MessageStatus",
       CASE WHEN i % 3 = 0 THEN '+1' || (2000000000 + i)::text ELSE ${line} END,
       CASE WHEN i % 3 = 0 THEN ${line} ELSE '+1' || (2000000000 + i)::text END,
       'SM' || md5('message:' || i),
       CASE WHEN i % 3 = 0 THEN NULL ELSE 'textback:CA' || md5('call:' || ((i - 1) * 10 + 1)) END,
       CASE WHEN i % 3 = 0 THEN 0 ELSE 1 END,
       CASE WHEN i % 3 = 0 THEN NULL ELSE ${leadCreated('i')} + ${stepMinutes('i')} * 3 * interval '1 minute' END,
       ${leadCreated('i')} + ${stepMinutes('i')} * (CASE WHEN i % 3 = 0 THEN 4 ELSE 2 END) * interval '1 minute',
       ${leadCreated('i')} + ${stepMinutes('i')} * 4 * interval '1 minute'
FROM generate_series(1, ${N}) AS i`,
    },
    {
      table: 'AuditEntry',
      rows: N,
      sql: `
INSERT INTO "AuditEntry" ("id", "orgId", "seq", "action", "actorType", "actorId", "actorLabel", "targetType", "targetId", "changes", "requestId", "prevHash", "hash", "createdAt")
SELECT md5('audit:' || g)::uuid, ${org}, base.seq + g,
       (ARRAY[${auditActions.map((a) => `'${a}'`).join(', ')}])[(g % ${auditActions.length}) + 1],
       (CASE WHEN g % 5 = 0 THEN 'CREDENTIAL' ELSE 'SYSTEM' END)::"ActorType",
       NULL,
       CASE WHEN g % 5 = 0 THEN 'API key bench sync' ELSE 'CallSnare' END,
       'Lead', (${leadId(`((g - 1) % ${N}) + 1`)})::text,
       jsonb_build_object('status', jsonb_build_object('before', 'NEW', 'after', 'CONTACTED')),
       'req-' || g,
       md5('hash:' || (g - 1)) || md5('hash2:' || (g - 1)),
       md5('hash:' || g) || md5('hash2:' || g),
       ${leadCreated(`((g - 1) % ${N}) + 1`)} + interval '5 minutes'
FROM generate_series(1, ${N}) AS g,
     (SELECT coalesce(max("seq"), 0) AS seq FROM "AuditEntry" WHERE "orgId" = ${org}) AS base`,
    },
  ];
}

/**
 * Runs the statements through `exec(sql)` (a pg client's query or PGlite's exec),
 * then VACUUM (ANALYZE): fresh statistics and visibility maps, the steady state
 * autovacuum would reach, and no autovacuum starting mid-measurement; then a
 * CHECKPOINT: the load's dirty pages are written now, not by a checkpoint the
 * load's WAL started that would spread the writes over the whole run, and the
 * measured writes pay full-page images as a database past its last checkpoint
 * does, not on every page they touch first after a bulk load.
 * Returns per-table timings for the report.
 */
export async function seed(exec, options, log = () => {}) {
  const timings = [];
  for (const statement of seedStatements(options)) {
    const started = performance.now();
    await exec(statement.sql);
    const ms = performance.now() - started;
    timings.push({ table: statement.table, rows: statement.rows, ms });
    log(`  seeded ${statement.table}: ${statement.rows.toLocaleString('en-US')} rows in ${(ms / 1000).toFixed(1)} s`);
  }
  const started = performance.now();
  await exec('VACUUM (ANALYZE)');
  const ms = performance.now() - started;
  timings.push({ table: 'VACUUM (ANALYZE)', rows: 0, ms });
  log(`  VACUUM (ANALYZE) in ${(ms / 1000).toFixed(1)} s`);
  const checkpointStarted = performance.now();
  await exec('CHECKPOINT');
  const checkpointMs = performance.now() - checkpointStarted;
  timings.push({ table: 'CHECKPOINT', rows: 0, ms: checkpointMs });
  log(`  CHECKPOINT in ${(checkpointMs / 1000).toFixed(1)} s`);
  return timings;
}
