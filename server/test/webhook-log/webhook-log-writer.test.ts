// The batching webhook-log writer: rows logged together share one INSERT,
// each write resolves once its row is stored, a row the database refuses does
// not cost the rest of its batch, and flush() leaves nothing queued.
import type { Database } from '../../src/db/client';
import type { Prisma } from '../../src/generated/prisma/client';
import { createLogger } from '../../src/logger';
import { openTestDatabase, testDatabaseKinds } from '../support/database';
import { WebhookLogWriter, writeWebhookLog, type WebhookLogEntry } from '../../src/webhook-log/webhook-log';

const logger = createLogger('silent');

const entry = (eventId: string, payload: WebhookLogEntry['payload'] = { body: { CallSid: eventId } }): WebhookLogEntry => ({
  provider: 'TWILIO',
  route: '/webhooks/twilio/voice/dial-status',
  eventId,
  orgId: null,
  signature: 'VALID',
  outcome: 'PROCESSED',
  httpStatus: 200,
  receivedAt: new Date(),
  durationMs: 1.4,
  payload,
  error: null,
  requestId: null,
  ip: null,
});

describe.each(testDatabaseKinds)('the webhook-log writer on %s', (kind) => {
  let db: Database;
  /** The statements the writer sent: rows per INSERT (counted on the way to the real database). */
  let inserts: number[];
  let counted: Database;

  beforeAll(async () => {
    db = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await db.close();
  });
  beforeEach(() => {
    inserts = [];
    // The writer's one statement per batch carries its rows as one jsonb array (db/row-sql.ts, insertRowsSql).
    const $queryRaw = (query: Prisma.Sql) => {
      inserts.push((JSON.parse(String(query.values.at(-1))) as unknown[]).length);
      return db.prisma.$queryRaw(query);
    };
    counted = { ...db, prisma: { $queryRaw } as unknown as Database['prisma'] };
  });

  const stored = (prefix: string) => db.prisma.webhookLog.count({ where: { eventId: { startsWith: prefix } } });

  it('rows logged at the same time go in one INSERT, and each write resolves once its row is stored', async () => {
    const writer = new WebhookLogWriter({ db: counted, logger });
    const deps = { db: counted, logger, webhookLog: writer };
    await Promise.all(Array.from({ length: 50 }, (_, i) => writeWebhookLog(deps, entry(`burst-${i}`))));
    expect(inserts).toEqual([50]);
    expect(await stored('burst-')).toBe(50);
    // Idle, a row is written at once: its delivery's answer is not held back.
    await writeWebhookLog(deps, entry('alone'));
    expect(inserts).toEqual([50, 1]);
    expect(await stored('alone')).toBe(1);
  });

  it('rows logged while an INSERT runs go in the next one, at most maxRows each', async () => {
    const writer = new WebhookLogWriter({ db: counted, logger }, { maxRows: 20 });
    const first = writer.write(entry('wave-first'));
    await new Promise((resolve) => setImmediate(resolve));
    // The first INSERT is on its way; these 45 wait for it, then go 20, 20, 5.
    const rest = Array.from({ length: 45 }, (_, i) => writer.write(entry(`wave-${i}`)));
    await Promise.all([first, ...rest]);
    expect(inserts).toEqual([1, 20, 20, 5]);
    expect(await stored('wave-')).toBe(46);
  });

  it('a row the database refuses is stored without its payload; the rest of its batch is stored as sent', async () => {
    const writer = new WebhookLogWriter({ db: counted, logger });
    // PostgreSQL's jsonb cannot hold U+0000.
    await Promise.all([writer.write(entry('mixed-ok-1')), writer.write(entry('mixed-bad', { body: { text: 'a\u0000b' } })), writer.write(entry('mixed-ok-2'))]);
    const rows = await db.prisma.webhookLog.findMany({ where: { eventId: { startsWith: 'mixed-' } }, orderBy: { eventId: 'asc' } });
    expect(rows.map((row) => [row.eventId, row.payload])).toEqual([
      ['mixed-bad', { note: 'payload could not be stored' }],
      ['mixed-ok-1', { body: { CallSid: 'mixed-ok-1' } }],
      ['mixed-ok-2', { body: { CallSid: 'mixed-ok-2' } }],
    ]);
  });

  it('flush() waits for every queued row (what shutdown does after the last delivery)', async () => {
    const writer = new WebhookLogWriter({ db, logger });
    for (let i = 0; i < 30; i++) void writer.write(entry(`flush-${i}`));
    await writer.flush();
    expect(await stored('flush-')).toBe(30);
  });
});
