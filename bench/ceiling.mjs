// The ceiling the webhook figures are read against, measured in the same run on the
// same box: an Express 5 route that parses the same signed Twilio dial-status form
// and answers (no database), and the same route plus one
// `INSERT … ON CONFLICT DO NOTHING` on the database under test (a pg pool of the
// server's size on PostgreSQL; the same in-memory PGlite instance on PGlite). The
// product's throughput is reported as a ratio of the one-INSERT route: what one Node
// process and this database can do for a delivery that writes a single row.
// A third route is the floor of a missed call: the rows one leaves behind (its lead,
// CALL_MISSED, TEXT_BACK_QUEUED, CALLBACK_OPENED and TEXT_BACK_SENT events, the text
// as already sent, the open callback, the webhook log row) written into the real tables,
// with their indexes and triggers, by one plain statement: no reads, no decisions, no
// outbox round trips. No implementation of the product can do less per missed call.
// A fourth route is the floor of a missed call whose text goes through an outbox, as a
// text must that is never lost nor sent twice: the same rows, the text written claimed
// (before the provider is called), the response sent, then the send recorded after the
// provider accepted it (the text SENT with its sid, TEXT_BACK_SENT, the lead's
// lastActivityAt), for the texts of each turn of the event loop in one statement, as the
// product's outbox records handed-over texts. The provider call itself is left out.
import { createRequire } from 'node:module';
import { DIAL_STATUS_PATH } from './webhooks.mjs';

const requireFromServer = createRequire(new URL('../server/package.json', import.meta.url));

const TABLE = 'bench_ceiling_delivery';

/**
 * Runs the ceiling routes and the floor at `concurrency` for `seconds` each with the
 * webhook runs' client (runJob 'throughput', mode 'unique': a new CallSid each time).
 * Returns { formOnly, oneInsert, missedCallRows, missedCallOutbox } throughput results (shaped like the
 * webhook runs'). `baselineOnly`: the one-INSERT route alone, again (after the product's
 * runs), with CallSids of its own: { oneInsert }.
 */
export async function ceilingBenchmarks({ kind, db, to, runJob, seconds, concurrency, noise, perRequest, twilio, log, baselineOnly = false }) {
  const express = requireFromServer('express');
  const { v7: uuidv7 } = requireFromServer('uuid');
  const [{ orgId }] = await db.prisma.$queryRawUnsafe(`SELECT "orgId"::text AS "orgId" FROM "TrackingLine" WHERE number = $1`, to);
  let insert;
  let query;
  let closeDb = async () => {};
  if (kind === 'pg') {
    const pg = requireFromServer('pg');
    const pool = new pg.Pool({ connectionString: db.target.url, max: 10, application_name: 'callsnare-bench-ceiling' });
    await pool.query(
      `CREATE TABLE IF NOT EXISTS ${TABLE} (call_sid text PRIMARY KEY, from_phone text NOT NULL, to_phone text NOT NULL, received_at timestamptz NOT NULL)`,
    );
    insert = (values) =>
      pool.query(`INSERT INTO ${TABLE} (call_sid, from_phone, to_phone, received_at) VALUES ($1, $2, $3, now()) ON CONFLICT (call_sid) DO NOTHING`, values);
    query = (text, values) => pool.query(text, values);
    closeDb = () => pool.end();
  } else {
    await db.pglite.exec(
      `CREATE TABLE IF NOT EXISTS ${TABLE} (call_sid text PRIMARY KEY, from_phone text NOT NULL, to_phone text NOT NULL, received_at timestamptz NOT NULL)`,
    );
    insert = (values) =>
      db.pglite.query(
        `INSERT INTO ${TABLE} (call_sid, from_phone, to_phone, received_at) VALUES ($1, $2, $3, now()) ON CONFLICT (call_sid) DO NOTHING`,
        values,
      );
    query = (text, values) => db.pglite.query(text, values);
  }
  const rowValues = (body) => [orgId, body.From, body.To, body.CallSid, uuidv7(), uuidv7(), uuidv7(), uuidv7(), uuidv7(), uuidv7(), uuidv7(), uuidv7()];
  const rows = (body) => query(MISSED_CALL_ROWS, rowValues(body));
  // The outbox floor's second write: the claimed texts of a turn recorded together, after the response.
  const toRecord = [];
  let recording = null;
  const recordSent = async () => {
    while (toRecord.length > 0) {
      const batch = toRecord.splice(0, 32);
      await query(RECORD_SENT, [batch, batch.map(() => uuidv7())]);
    }
    recording = null;
  };
  const rowsThroughOutbox = async (body) => {
    const values = rowValues(body);
    await query(MISSED_CALL_ROWS_CLAIMED, values);
    const messageId = values[9]; // $10
    toRecord.push(messageId);
    recording ??= new Promise((resolve) => setImmediate(resolve)).then(recordSent);
  };

  const app = express();
  app.disable('x-powered-by');
  const form = express.urlencoded({ extended: false, limit: '64kb' });
  const valid = (body) => typeof body?.CallSid === 'string' && typeof body.From === 'string' && typeof body.To === 'string';
  app.post(`/form${DIAL_STATUS_PATH}`, form, (req, res) => {
    if (!valid(req.body)) return res.status(400).end();
    res.type('text/xml').send('<Response/>');
  });
  app.post(`/insert${DIAL_STATUS_PATH}`, form, async (req, res) => {
    if (!valid(req.body)) return res.status(400).end();
    await insert([req.body.CallSid, req.body.From, req.body.To]);
    res.type('text/xml').send('<Response/>');
  });
  app.post(`/rows${DIAL_STATUS_PATH}`, form, async (req, res) => {
    if (!valid(req.body)) return res.status(400).end();
    await rows(req.body);
    res.type('text/xml').send('<Response/>');
  });
  app.post(`/outbox${DIAL_STATUS_PATH}`, form, async (req, res) => {
    if (!valid(req.body)) return res.status(400).end();
    await rowsThroughOutbox(req.body);
    res.type('text/xml').send('<Response/>');
  });
  const listener = await new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => resolve(server));
  });
  const url = `http://127.0.0.1:${listener.address().port}`;
  const run = async (prefix, offset) => {
    const mark = await noise.mark();
    const result = await runJob({
      type: 'throughput',
      url,
      path: `${prefix}${DIAL_STATUS_PATH}`,
      concurrency,
      seconds,
      maxRequests: 1_000_000,
      twilio: { ...twilio, mode: 'unique', fromOffset: offset, runId: `c${prefix.slice(1, 4)}${baselineOnly ? 'again' : ''}` },
    });
    await recording; // the outbox floor's last records belong to its run
    return { ...result, ...perRequest(await noise.measure(mark), Math.max(1, result.completed + result.failures)) };
  };
  try {
    if (baselineOnly) {
      log(`  ceiling again: Express form route + one INSERT … ON CONFLICT DO NOTHING: ${concurrency} in flight for ${seconds} s`);
      return { oneInsert: await run('/insert', 0) };
    }
    log(`  ceiling: Express form route, no database: ${concurrency} in flight for ${seconds} s`);
    const formOnly = await run('/form', 0);
    log(`  ceiling: Express form route + one INSERT … ON CONFLICT DO NOTHING: ${concurrency} in flight for ${seconds} s`);
    const oneInsert = await run('/insert', 0);
    log(`  floor: Express form route + a missed call's rows in one plain statement: ${concurrency} in flight for ${seconds} s`);
    const missedCallRows = await run('/rows', 500_000);
    log(`  floor through an outbox: the same rows, the text claimed, its send recorded after the response: ${concurrency} in flight for ${seconds} s`);
    const missedCallOutbox = await run('/outbox', 1_000_000);
    return { formOnly, oneInsert, missedCallRows, missedCallOutbox, to };
  } finally {
    await new Promise((resolve) => listener.close(resolve));
    listener.closeAllConnections?.();
    await closeDb();
  }
}

/**
 * $1 org, $2 caller, $3 tracking number, $4 CallSid, $5 lead id, $6–$9 event ids, $10 message id, $11 callback id, $12 log id.
 * `claimed`: the text as an outbox holds it before the provider is called (SENDING, claimed, no sid) and no
 * TEXT_BACK_SENT yet ($9 names it and is not written); otherwise the text as already sent. Sids are 32 random-looking
 * hex digits (md5 of the message id), as the provider's are: ordered ones would fill the unique index on providerSid
 * at its right edge, a cheaper write than any real sid gets.
 */
function missedCallRows({ claimed }) {
  const text = claimed
    ? `'SENDING', $3, $2, 'textback:' || $4, NULL, NULL, 1, now(), 'bench-outbox', now()`
    : `'SENT', $3, $2, 'textback:' || $4, now(), 'SM' || md5($10::text), 0, NULL, NULL, now()`;
  return `
  WITH lead AS (
    INSERT INTO "Lead" (id, "orgId", phone, "openPhone", status, "lastActivityAt", "updatedAt")
    VALUES ($5::uuid, $1::uuid, $2, $2, 'NEW', now(), now()) RETURNING id
  ), msg AS (
    INSERT INTO "Message" (id, "orgId", "leadId", direction, kind, body, status, "fromPhone", "toPhone", "idempotencyKey", "sentAt", "providerSid",
      attempts, "claimedAt", "claimedBy", "updatedAt")
    SELECT $10::uuid, $1::uuid, lead.id, 'OUTBOUND', 'TEXT_BACK', 'Sorry we missed your call! We will call you back shortly.', ${text} FROM lead RETURNING id
  ), events AS (
    INSERT INTO "LeadEvent" (id, "orgId", "leadId", type, "actorType", "actorLabel", "providerRef", data)
    SELECT e.id, $1::uuid, lead.id, e.type::"LeadEventType", 'SYSTEM', 'CallSnare', e.ref, jsonb_build_object('callSid', $4::text)
    FROM lead, (VALUES ($6::uuid, 'CALL_MISSED', 'call_missed:' || $4), ($7::uuid, 'TEXT_BACK_QUEUED', NULL), ($8::uuid, 'CALLBACK_OPENED', NULL),
      ($9::uuid, 'TEXT_BACK_SENT', NULL)) e(id, type, ref)${claimed ? ` WHERE e.type <> 'TEXT_BACK_SENT'` : ''}
  ), cb AS (
    INSERT INTO "Callback" (id, "orgId", "leadId", "openLeadId", "dueAt", "updatedAt")
    SELECT $11::uuid, $1::uuid, lead.id, lead.id, now() + interval '15 minutes', now() FROM lead
  )
  INSERT INTO "WebhookLog" (id, "orgId", provider, route, "eventId", signature, outcome, "httpStatus", "durationMs", payload)
  VALUES ($12::uuid, $1::uuid, 'TWILIO', '/webhooks/twilio/voice/dial-status', $4, 'VALID', 'PROCESSED', 200, 1,
    jsonb_build_object('body', jsonb_build_object('CallSid', $4::text, 'From', $2::text, 'To', $3::text)))`;
}
const MISSED_CALL_ROWS = missedCallRows({ claimed: false });
const MISSED_CALL_ROWS_CLAIMED = missedCallRows({ claimed: true });

/** $1 the claimed texts' ids, $2 as many new event ids: each text SENT with a sid, its TEXT_BACK_SENT, its lead's lastActivityAt. */
const RECORD_SENT = `
  WITH sent AS (
    UPDATE "Message" m SET status = 'SENT', "sentAt" = now(), "providerSid" = 'SM' || md5(m.id::text), "claimedAt" = NULL, "claimedBy" = NULL,
      "updatedAt" = now()
    FROM unnest($1::uuid[], $2::uuid[]) AS t(id, "eventId") WHERE m.id = t.id
    RETURNING m.id, m."orgId", m."leadId", t."eventId"
  ), events AS (
    INSERT INTO "LeadEvent" (id, "orgId", "leadId", type, "actorType", "actorLabel", data)
    SELECT s."eventId", s."orgId", s."leadId", 'TEXT_BACK_SENT', 'SYSTEM', 'CallSnare', jsonb_build_object('messageId', s.id) FROM sent s
  )
  UPDATE "Lead" l SET "lastActivityAt" = GREATEST(l."lastActivityAt", now()), "updatedAt" = now() FROM sent s WHERE l.id = s."leadId"`;
