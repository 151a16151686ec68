// examples/crm-sync end to end against a real CallSnare server (in-process, PGlite):
// an endpoint created through the SDK pointing at the example's loopback URL, a missed
// call through the signed Twilio route, the server's own delivery worker POSTing the
// signed lead.created to the example (verified there with verifyWebhook), a redelivery
// applied once, and a change made while the example was down picked up by the
// reconciliation it runs on start.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { runWebhookDeliveriesOnce } from '../../server/src/outbound-webhooks/webhook-delivery.worker';
import { createTestLead } from '../../server/test/support/leads';
import { TEST_AUTH_TOKEN, newCall, newCallerNumber, twilioPoster } from '../../server/test/support/twilio';
import { startCrmSync, type CrmSync } from '../examples/crm-sync/crm-sync';
import type { CallSnare } from '../src/index';
import { startSdkTestServer, type SdkTestServer } from './support/harness';

jest.setTimeout(90_000);

let api: SdkTestServer;
let admin: CallSnare;
let syncClient: CallSnare;
let dir: string;
let port: number;
let example: CrmSync | null = null;
const logged: string[] = [];

/** A free loopback port: the endpoint's URL must stay the same across the example's restart. */
async function freePort(): Promise<number> {
  const probe = http.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port: free } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return free;
}

const deliver = () => runWebhookDeliveriesOnce(api.server.deps);

beforeAll(async () => {
  api = await startSdkTestServer({ env: { TWILIO_AUTH_TOKEN: TEST_AUTH_TOKEN } });
  admin = await api.client(['webhooks:read', 'webhooks:write', 'leads:write']);
  // The example holds only what it needs.
  syncClient = await api.client(['leads:read']);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'callsnare-crm-sync-'));
  port = await freePort();
});
afterAll(async () => {
  await example?.close();
  await api?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

it('verifies and applies lead.created from the real server once, and reconciles what changed while it was down', async () => {
  const file = path.join(dir, 'crm.json');
  const { endpoint, secret } = await admin.webhooks.create({
    url: `http://127.0.0.1:${port}/callsnare/webhooks`,
    events: ['lead.created', 'lead.updated', 'callback.created'],
    description: 'crm-sync example',
  });
  expect(secret).toMatch(/^whsec_/);
  const start = () => startCrmSync({ client: syncClient, signingSecrets: [secret], file, port, log: (line) => logged.push(line) });

  // A lead from before the integration existed: the first start's full sync copies it.
  const existing = await createTestLead(api.db, api.orgId, { name: 'Existing Eve' });
  example = await start();
  expect(example.webhookUrl).toBe(endpoint.url);
  expect(example.store.data.leads[existing.id]).toMatchObject({ name: 'Existing Eve', status: 'NEW', via: 'reconcile' });
  expect(logged.at(-1)).toBe('reconciled: full sync, 1 leads read, 1 new or changed');
  expect(example.store.data.leadsSyncedThrough).toEqual(expect.any(String));

  // A missed call: the server writes lead.created (and callback.created) with the lead.
  const caller = newCallerNumber();
  const twilio = twilioPoster(api.server);
  const call = newCall(caller, api.trackingNumber);
  expect((await twilio.voice(call)).status).toBe(200);
  expect((await twilio.dialStatus(call)).status).toBe(200);

  const run = await deliver();
  expect(run).toMatchObject({ succeeded: 2, failed: 0, retried: 0 });
  const lead = Object.values(example.store.data.leads).find((stored) => stored.phone === caller);
  expect(lead).toMatchObject({ phone: caller, status: 'NEW', via: 'webhook' });
  expect(Object.values(example.store.data.callbacks)).toEqual([expect.objectContaining({ leadId: lead!.id, status: 'OPEN', via: 'webhook' })]);

  // The delivery log, through the SDK: each event delivered once, answered 200.
  const deliveries = await admin.webhooks.deliveries({ endpointId: endpoint.id });
  expect(deliveries.nodes.map((delivery) => [delivery.eventType, delivery.status, delivery.lastStatusCode]).sort()).toEqual([
    ['callback.created', 'SUCCEEDED', 200],
    ['lead.created', 'SUCCEEDED', 200],
  ]);
  const leadCreated = deliveries.nodes.find((delivery) => delivery.eventType === 'lead.created')!;
  expect(example.store.data.seenEvents).toContain(leadCreated.eventId);
  expect(logged).toContain(`lead.created ${leadCreated.eventId}: lead ${caller} is NEW`);

  // A redelivery (same event id, freshly signed) is acknowledged and not applied twice.
  const before = JSON.stringify(example.store.data);
  const redelivered = await admin.webhooks.redeliver(leadCreated.id);
  expect(redelivered).toMatchObject({ status: 'SUCCEEDED', attempts: 2 });
  expect(redelivered.attemptLog.at(-1)).toMatchObject({ redelivery: true, statusCode: 200, responseExcerpt: expect.stringContaining('"duplicate":true') });
  expect(JSON.stringify(example.store.data)).toBe(before);

  // Anything not signed with the endpoint's secret is refused.
  const forged = await fetch(example.webhookUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'CallSnare-Signature': `t=${Math.floor(Date.now() / 1000)},v1=${'0'.repeat(64)}` },
    body: JSON.stringify({ id: 'evt_forged', type: 'lead.updated', created: 0, orgId: api.orgId, data: { object: {} } }),
  });
  expect([forged.status, await forged.json()]).toEqual([400, { error: 'NO_MATCHING_SIGNATURE' }]);

  // The example goes down; staff (here: the API) change the lead meanwhile.
  await example.close();
  example = null;
  await admin.leads.update(lead!.id, { name: 'Dana Whitfield', status: 'CONTACTED' });
  // The lead.updated delivery cannot reach it: it waits for a retry, minutes away.
  expect(await deliver()).toMatchObject({ succeeded: 0, retried: 1 });
  const waiting = await admin.webhooks.deliveries({ endpointId: endpoint.id, eventType: 'lead.updated' });
  expect(waiting.nodes).toEqual([expect.objectContaining({ status: 'PENDING', lastStatusCode: null, nextAttemptAt: expect.any(String) })]);

  // Back up: the reconciliation on start asks for leads updated since the last sync and finds the change.
  example = await start();
  expect(example.store.data.leads[lead!.id]).toMatchObject({ name: 'Dana Whitfield', status: 'CONTACTED', via: 'reconcile' });
  // Not a full sync: only leads changed since the last one (minus a few minutes of overlap) are read.
  expect(logged.at(-1)).toMatch(/^reconciled: [12] leads read, 1 new or changed$/);
  // Persisted: another process reading the file sees the same CRM.
  const onDisk = JSON.parse(fs.readFileSync(file, 'utf8')) as { leads: Record<string, { name: string }>; leadsSyncedThrough: string | null };
  expect(onDisk.leads[lead!.id]!.name).toBe('Dana Whitfield');
  expect(onDisk.leadsSyncedThrough).toEqual(expect.any(String));
});
