// A CRM sync that never re-reads the world and never double-writes: an HTTP endpoint
// that verifies CallSnare's webhooks (verifyWebhook) and applies each event once (by its
// id), plus reconciliation with LeadFilter.updatedSince on start and every few minutes
// for whatever a webhook could not deliver (the service was down, a delivery gave up).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CallSnare, WebhookSignatureError, isKnownWebhookEvent, verifyWebhook, type KnownWebhookEvent, type Lead, type Page } from '@callsnare/sdk';
import { CrmStore } from './store.js';

export interface CrmSyncOptions {
  client: CallSnare;
  /** The endpoint's signing secret (whsec_…); during a rotation, the new one and the old one. */
  signingSecrets: string[];
  /** The JSON file the CRM lives in. */
  file: string;
  /** Where to listen; default 127.0.0.1, port 4100 (0: any free port). */
  host?: string;
  port?: number;
  /** Reconcile this often; default every 15 minutes. */
  reconcileEveryMinutes?: number;
  log?: (line: string) => void;
}

export interface ReconcileResult {
  /** True for the first run: every lead was read. */
  full: boolean;
  /** Leads read from the API. */
  read: number;
  /** Leads the CRM did not have, or had an older copy of. */
  changed: number;
}

export interface CrmSync {
  /** The URL to register as the webhook endpoint (POST). */
  webhookUrl: string;
  store: CrmStore;
  /** Runs a reconciliation now (one at a time: a call during a run waits for that run). */
  reconcile(): Promise<ReconcileResult>;
  close(): Promise<void>;
}

export const WEBHOOK_PATH = '/callsnare/webhooks';
/** The body limit: CallSnare's events are a few kilobytes. */
const MAX_BODY_BYTES = 1024 * 1024;
/**
 * Reconciliation asks for leads changed since the last one's highest updatedAt minus this:
 * a transaction that committed just after that read can carry a slightly older updatedAt.
 * Re-reading a few leads twice is harmless (the newer copy wins).
 */
const OVERLAP_MS = 5 * 60_000;
const FULL_SYNC_SINCE = new Date(0).toISOString();

export async function startCrmSync(options: CrmSyncOptions): Promise<CrmSync> {
  const { client, signingSecrets } = options;
  const log = options.log ?? ((line: string) => console.log(line));
  const store = new CrmStore(options.file);

  function apply(event: KnownWebhookEvent): string {
    switch (event.type) {
      case 'lead.created':
      case 'lead.updated':
      case 'lead.opted_out': {
        const { id, phone, name, status, optedOut, updatedAt } = event.data.object;
        const applied = store.upsertLead({ id, phone, name, status, optedOut, updatedAt, via: 'webhook' });
        return applied ? `lead ${phone} is ${status}${optedOut ? ' (opted out)' : ''}` : `lead ${phone}: a newer copy is already stored`;
      }
      case 'callback.created':
      case 'callback.completed': {
        const { id, leadId, status, outcome, dueAt, updatedAt } = event.data.object;
        store.upsertCallback({ id, leadId, status, outcome, dueAt, updatedAt, via: 'webhook' });
        return `callback ${id} is ${status}${outcome ? ` (${outcome})` : ''}`;
      }
      case 'message.received': {
        const { id, leadId, from, body, createdAt } = event.data.object;
        store.addText({ id, leadId, from, body, createdAt });
        return `text from ${from}`;
      }
    }
  }

  async function handleWebhook(rawBody: Buffer, signature: string | string[] | undefined): Promise<{ status: number; body: object }> {
    let event;
    try {
      event = await verifyWebhook(rawBody, signature, signingSecrets);
    } catch (error) {
      if (!(error instanceof WebhookSignatureError)) throw error;
      log(`refused a webhook: ${error.reason}`);
      return { status: 400, body: { error: error.reason } };
    }
    if (store.hasSeen(event.id)) return { status: 200, body: { received: event.id, duplicate: true } };
    // A type newer than this SDK: acknowledged (or CallSnare retries it for a day) and skipped.
    const outcome = isKnownWebhookEvent(event) ? apply(event) : `skipped (unknown type)`;
    store.markSeen(event.id);
    store.save();
    log(`${event.type} ${event.id}: ${outcome}`);
    return { status: 200, body: { received: event.id } };
  }

  const server = http.createServer((request, response) => {
    const reply = (status: number, body: object) => {
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (request.method !== 'POST' || request.url !== WEBHOOK_PATH) return reply(404, { error: 'not found' });
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reply(413, { error: 'body too large' });
        request.destroy();
      } else chunks.push(chunk);
    });
    request.on('end', () => {
      // Node lower-cases header names: CallSnare-Signature arrives as callsnare-signature.
      handleWebhook(Buffer.concat(chunks), request.headers['callsnare-signature']).then(
        ({ status, body }) => reply(status, body),
        (error: unknown) => {
          // Not acknowledged: CallSnare delivers the event again later.
          log(`could not apply a webhook: ${error instanceof Error ? error.message : String(error)}`);
          reply(500, { error: 'not applied' });
        },
      );
    });
  });

  let running: Promise<ReconcileResult> | null = null;
  function reconcile(): Promise<ReconcileResult> {
    running ??= reconcileLeads().finally(() => {
      running = null;
    });
    return running;
  }

  async function reconcileLeads(): Promise<ReconcileResult> {
    const { leadsSyncedThrough, leadsResume } = store.data;
    // With updatedSince the API pages oldest change first, on (updatedAt, id): a lead changed while
    // we page moves behind the cursor, so this pass still sees it, and a stored cursor resumes an
    // interrupted pass. The first (full) sync is the same query from the epoch.
    const updatedSince =
      leadsResume?.updatedSince ?? (leadsSyncedThrough ? new Date(Date.parse(leadsSyncedThrough) - OVERLAP_MS).toISOString() : FULL_SYNC_SINCE);
    let highest = leadsResume ? leadsResume.highest : leadsSyncedThrough;
    const result: ReconcileResult = { full: updatedSince === FULL_SYNC_SINCE, read: 0, changed: 0 };
    let page: Page<Lead> | null = await client.leads.list({ updatedSince }, { first: 100, after: leadsResume?.after ?? null });
    while (page) {
      for (const { id, phone, name, status, optedOut, updatedAt } of page.nodes) {
        result.read += 1;
        if (store.upsertLead({ id, phone, name, status, optedOut, updatedAt, via: 'reconcile' })) result.changed += 1;
        if (highest === null || updatedAt > highest) highest = updatedAt;
      }
      const { endCursor } = page.pageInfo;
      store.data.leadsResume = endCursor ? { updatedSince, after: endCursor, highest } : store.data.leadsResume;
      store.save();
      page = await page.fetchNext();
    }
    store.data.leadsSyncedThrough = highest;
    store.data.leadsResume = null;
    store.save();
    log(`reconciled: ${result.full ? 'full sync, ' : ''}${result.read} leads read, ${result.changed} new or changed`);
    return result;
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 4100, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const webhookUrl = `http://${host}:${address.port}${WEBHOOK_PATH}`;
  log(`listening for CallSnare webhooks on ${webhookUrl}`);

  // Webhooks are accepted while the first reconciliation runs: both keep the newer copy.
  try {
    await reconcile();
  } catch (error) {
    server.close();
    throw error;
  }
  const timer = setInterval(
    () => {
      reconcile().catch((error: unknown) => log(`reconciliation failed (retried next time): ${error instanceof Error ? error.message : String(error)}`));
    },
    (options.reconcileEveryMinutes ?? 15) * 60_000,
  );
  timer.unref();

  return {
    webhookUrl,
    store,
    reconcile,
    async close() {
      clearInterval(timer);
      await running?.catch(() => undefined);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Idle keep-alive connections (CallSnare's worker reuses them) would hold close() open.
        server.closeAllConnections();
      });
    },
  };
}
