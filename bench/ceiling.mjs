// The ceiling the webhook figures are read against, measured in the same run on the
// same box: an Express 5 route that parses the same signed Twilio dial-status form
// and answers (no database), and the same route plus one
// `INSERT … ON CONFLICT DO NOTHING` on the database under test (a pg pool of the
// server's size on PostgreSQL; the same in-memory PGlite instance on PGlite). The
// product's throughput is reported as a ratio of the one-INSERT route: what one Node
// process and this database can do for a delivery that writes a single row.
import { createRequire } from 'node:module';
import { DIAL_STATUS_PATH } from './webhooks.mjs';

const requireFromServer = createRequire(new URL('../server/package.json', import.meta.url));

const TABLE = 'bench_ceiling_delivery';

/**
 * Runs both ceiling routes at `concurrency` for `seconds` each with the webhook
 * runs' client (runJob 'throughput', mode 'unique': a new CallSid each time).
 * Returns { formOnly, oneInsert } throughput results (shaped like the webhook runs').
 */
export async function ceilingBenchmarks({ kind, db, to, runJob, seconds, concurrency, noise, perRequest, twilio, log }) {
  const express = requireFromServer('express');
  let insert;
  let closeDb = async () => {};
  if (kind === 'pg') {
    const pg = requireFromServer('pg');
    const pool = new pg.Pool({ connectionString: db.target.url, max: 10, application_name: 'callsnare-bench-ceiling' });
    await pool.query(
      `CREATE TABLE IF NOT EXISTS ${TABLE} (call_sid text PRIMARY KEY, from_phone text NOT NULL, to_phone text NOT NULL, received_at timestamptz NOT NULL)`,
    );
    insert = (values) =>
      pool.query(`INSERT INTO ${TABLE} (call_sid, from_phone, to_phone, received_at) VALUES ($1, $2, $3, now()) ON CONFLICT (call_sid) DO NOTHING`, values);
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
  }

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
      twilio: { ...twilio, mode: 'unique', fromOffset: offset, runId: `c${prefix.slice(1, 4)}` },
    });
    return { ...result, ...perRequest(await noise.measure(mark), Math.max(1, result.completed + result.failures)) };
  };
  try {
    log(`  ceiling: Express form route, no database: ${concurrency} in flight for ${seconds} s`);
    const formOnly = await run('/form', 0);
    log(`  ceiling: Express form route + one INSERT … ON CONFLICT DO NOTHING: ${concurrency} in flight for ${seconds} s`);
    const oneInsert = await run('/insert', 0);
    return { formOnly, oneInsert, to };
  } finally {
    await new Promise((resolve) => listener.close(resolve));
    listener.closeAllConnections?.();
    await closeDb();
  }
}
