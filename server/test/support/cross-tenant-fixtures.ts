// Two organizations for tenant-isolation tests: org A (the callers) and org B
// (the target), B with a row in every org-owned table and distinctive values
// that must never show up in an answer to A; plus snapshots of B's rows.
import crypto from 'node:crypto';
import { issueWebhookSecret, sealWebhookSecret } from '../../src/outbound-webhooks/webhook-secret';
import type { Database } from '../../src/db/client';
import { SCOPES } from '../../src/access/scopes';
import { createTestCredential, createTestOrg } from './fixtures';
import { createTestStaff, openTestSession, ownerOf } from './sessions';
import { createTestLead } from './leads';

/** The kinds of org-B object an ID argument can aim at. */
export type TargetKind =
  'organization' | 'user' | 'membership' | 'credential' | 'lead' | 'callback' | 'trackingLine' | 'notice' | 'webhookEndpoint' | 'webhookDelivery';

export interface TenantA {
  orgId: string;
  ownerUserId: string;
  /** Secret of a credential holding every scope. */
  credential: string;
  leadId: string;
  /** An OPEN callback of leadId, unassigned. */
  callbackId: string;
  /** A's callback left assigned to B's analyst (who was removed from A; removeMember keeps assignments). */
  staleCallbackId: string;
}

export interface TenantB {
  orgId: string;
  orgName: string;
  owner: { userId: string; membershipId: string; email: string; name: string };
  dispatcher: { userId: string; membershipId: string; email: string; name: string };
  analyst: { userId: string; membershipId: string; email: string; name: string };
  credentialId: string;
  lead: { id: string; phone: string; name: string };
  /** OPEN, assigned to B's owner. */
  callbackId: string;
  /** B's tracking line. */
  trackingLineId: string;
  /** An undismissed dashboard notice of B (carriers filtering its line). */
  noticeId: string;
  /** B's outbound webhook endpoint, and a delivery to it. */
  webhookEndpointId: string;
  webhookDeliveryId: string;
  /** Cursors of B's own lists, as B's owner received them. */
  cursors: Record<'leads' | 'callbacks' | 'auditEntries' | 'webhookLogs' | 'members' | 'apiCredentials', string>;
}

export interface Tenants {
  a: TenantA;
  b: TenantB;
}

/** Every org-B id a probe may aim at, with its kind. */
export function targetKinds(b: TenantB): Map<string, TargetKind> {
  return new Map<string, TargetKind>([
    [b.orgId, 'organization'],
    [b.owner.userId, 'user'],
    [b.dispatcher.userId, 'user'],
    [b.analyst.userId, 'user'],
    [b.owner.membershipId, 'membership'],
    [b.dispatcher.membershipId, 'membership'],
    [b.analyst.membershipId, 'membership'],
    [b.credentialId, 'credential'],
    [b.lead.id, 'lead'],
    [b.callbackId, 'callback'],
    [b.trackingLineId, 'trackingLine'],
    [b.noticeId, 'notice'],
    [b.webhookEndpointId, 'webhookEndpoint'],
    [b.webhookDeliveryId, 'webhookDelivery'],
  ]);
}

/** Stand-in tenants with fresh ids, for checks that only look at which id goes where. */
export function placeholderTenants(): Tenants {
  const id = () => crypto.randomUUID();
  const person = (role: string) => ({ userId: id(), membershipId: id(), email: `${role}@b.test`, name: `B ${role}` });
  return {
    a: { orgId: id(), ownerUserId: id(), credential: 'cs_test_placeholder', leadId: id(), callbackId: id(), staleCallbackId: id() },
    b: {
      orgId: id(),
      orgName: 'B',
      owner: person('owner'),
      dispatcher: person('dispatcher'),
      analyst: person('analyst'),
      credentialId: id(),
      lead: { id: id(), phone: '+15550000000', name: 'B lead' },
      callbackId: id(),
      trackingLineId: id(),
      noticeId: id(),
      webhookEndpointId: id(),
      webhookDeliveryId: id(),
      cursors: { leads: 'x', callbacks: 'x', auditEntries: 'x', webhookLogs: 'x', members: 'x', apiCredentials: 'x' },
    },
  };
}

const tag = () => crypto.randomBytes(4).toString('hex');

/**
 * Builds A and B. B gets staff with names, a credential, leads with events,
 * messages, a note and callbacks, custom settings, a subscription, a billing
 * record and a webhook log; then B's owner reads B's lists once (B's cursors,
 * and anything a cache shared between requests would keep).
 */
export async function createTenants(db: Database, graphql: (query: string, cookie: string) => Promise<any>): Promise<Tenants> {
  const t = tag();
  const orgB = await createTestOrg(db, { name: `Bravo Heating ${t}`, forwardTo: '+15005550077' });
  const orgA = await createTestOrg(db, { name: `Alpha Cooling ${t}` });

  // ── org B ──
  const named = async (staff: { userId: string; membershipId: string; email: string }, name: string) => {
    await db.prisma.user.update({ where: { id: staff.userId }, data: { name } });
    return { userId: staff.userId, membershipId: staff.membershipId, email: staff.email, name };
  };
  const owner = await named(await ownerOf(db, orgB.orgId), `Beatrice Bravo ${t}`);
  const dispatcher = await named(await createTestStaff(db, orgB.orgId, 'DISPATCHER'), `Desmond Bravo ${t}`);
  const analyst = await named(await createTestStaff(db, orgB.orgId, 'ANALYST'), `Anika Bravo ${t}`);
  const credential = await createTestCredential(db, orgB.orgId, ['leads:read', 'callbacks:write'], `Bravo Zapier ${t}`);
  await db.prisma.orgSettings.update({
    where: { orgId: orgB.orgId },
    data: { businessName: `Bravo Secret Business ${t}`, businessHoursTemplate: `Bravo template ${t}: {businessName}` },
  });
  const leadName = `Brenda Caller ${t}`;
  const lead = await createTestLead(db, orgB.orgId, { name: leadName, callback: { status: 'OPEN', assigneeId: owner.userId } });
  const lineB = await db.prisma.trackingLine.findFirstOrThrow({ where: { orgId: orgB.orgId } });
  const trackingNumber = lineB.number;
  const noticeB = await db.prisma.notice.create({
    data: { orgId: orgB.orgId, kind: 'CARRIER_FILTERING', dedupeKey: `carrier:${lineB.id}:0`, message: `Bravo line blocked ${t}`, subjectId: lineB.id },
  });
  const endpointB = await db.prisma.webhookEndpoint.create({
    data: { orgId: orgB.orgId, url: `https://bravo-${t}.example/hooks`, events: ['lead.created'], secret: sealWebhookSecret(issueWebhookSecret()) },
  });
  const eventB = await db.prisma.webhookEvent.create({
    data: { id: `evt_bravo${t}`, orgId: orgB.orgId, type: 'lead.created', objectId: lead.id, payload: `{"bravo":"${t}"}`, dispatchedAt: new Date() },
  });
  const deliveryB = await db.prisma.webhookDelivery.create({
    data: { orgId: orgB.orgId, eventId: eventB.id, endpointId: endpointB.id, eventType: 'lead.created', status: 'SUCCEEDED', attempts: 1 },
  });
  await db.prisma.message.create({
    data: {
      orgId: orgB.orgId,
      leadId: lead.id,
      direction: 'INBOUND',
      kind: 'INBOUND',
      body: `Bravo gate code ${t}`,
      status: 'RECEIVED',
      fromPhone: lead.phone,
      toPhone: trackingNumber,
    },
  });
  await db.prisma.leadEvent.create({
    data: {
      orgId: orgB.orgId,
      leadId: lead.id,
      type: 'NOTE_ADDED',
      data: { body: `Bravo note ${t}` },
      actorType: 'USER',
      actorId: owner.userId,
      actorLabel: owner.email,
    },
  });
  const scheduledLead = await createTestLead(db, orgB.orgId, {
    name: `Bruno Scheduled ${t}`,
    callback: { status: 'SCHEDULED', assigneeId: dispatcher.userId },
  });
  await createTestLead(db, orgB.orgId, { name: `Bella Booked ${t}`, status: 'BOOKED' });
  const callback = await db.prisma.callback.findFirstOrThrow({ where: { orgId: orgB.orgId, leadId: lead.id } });
  await db.prisma.subscription.create({
    data: {
      orgId: orgB.orgId,
      stripeCustomerId: `cus_bravo${t}`,
      stripeSubscriptionId: `sub_bravo${t}`,
      status: 'past_due',
      priceId: `price_bravo${t}`,
      plan: `bravo-plan-${t}`,
    },
  });
  await db.prisma.billingRecord.create({
    data: {
      orgId: orgB.orgId,
      stripeEventId: `evt_bravo${t}`,
      type: 'invoice.payment_failed',
      amount: 4242,
      currency: 'usd',
      status: 'open',
      stripeCustomerId: `cus_bravo${t}`,
      occurredAt: new Date(),
    },
  });
  await db.prisma.webhookLog.create({
    data: {
      orgId: orgB.orgId,
      provider: 'TWILIO',
      route: '/webhooks/twilio/voice',
      eventId: `CAbravo${t}`,
      signature: 'VALID',
      outcome: 'PROCESSED',
      httpStatus: 200,
      durationMs: 5,
      payload: { From: scheduledLead.phone, To: trackingNumber, Body: `Bravo webhook body ${t}` },
    },
  });

  // B's owner uses B's lists once: their cursors, and a warm-up of any cache shared between requests.
  const bCookie = await openTestSession(db, owner.userId, orgB.orgId);
  const warm = await graphql(
    `
      {
        leads(first: 1) {
          pageInfo {
            endCursor
          }
          nodes {
            id
            callbacks {
              id
              assignee {
                email
              }
              lead {
                id
              }
            }
            events(first: 5) {
              nodes {
                id
              }
            }
            messages(first: 5) {
              nodes {
                body
              }
            }
          }
        }
        callbacks(first: 1) {
          pageInfo {
            endCursor
          }
          nodes {
            id
            assignee {
              id
              email
              name
            }
            lead {
              id
              name
            }
          }
        }
        auditEntries(first: 1) {
          pageInfo {
            endCursor
          }
        }
        webhookLogs(first: 1) {
          pageInfo {
            endCursor
          }
        }
        members(first: 1) {
          pageInfo {
            endCursor
          }
        }
        apiCredentials(first: 1) {
          pageInfo {
            endCursor
          }
        }
        settings {
          businessName
        }
        billing {
          status
        }
      }
    `,
    bCookie,
  );
  if (warm.errors) throw new Error(`B's warm-up failed: ${JSON.stringify(warm.errors)}`);
  const cursors = {} as TenantB['cursors'];
  for (const list of ['leads', 'callbacks', 'auditEntries', 'webhookLogs', 'members', 'apiCredentials'] as const) {
    cursors[list] = warm.data[list].pageInfo.endCursor;
  }

  // ── org A ──
  const ownerA = await ownerOf(db, orgA.orgId);
  const credentialA = await createTestCredential(db, orgA.orgId, [...SCOPES], 'A everything');
  const leadA = await createTestLead(db, orgA.orgId, { name: `Alan Caller ${t}`, callback: { status: 'OPEN' } });
  const callbackA = await db.prisma.callback.findFirstOrThrow({ where: { orgId: orgA.orgId, leadId: leadA.id } });
  // B's analyst once worked for A and was assigned this callback; removing a member keeps
  // their assignments, so A's row still points at a user who now belongs to B only.
  const staleLead = await createTestLead(db, orgA.orgId, { name: `Alma Stale ${t}`, callback: { status: 'OPEN', assigneeId: analyst.userId } });
  const staleCallback = await db.prisma.callback.findFirstOrThrow({ where: { orgId: orgA.orgId, leadId: staleLead.id } });

  return {
    a: {
      orgId: orgA.orgId,
      ownerUserId: ownerA.userId,
      credential: credentialA.secret,
      leadId: leadA.id,
      callbackId: callbackA.id,
      staleCallbackId: staleCallback.id,
    },
    b: {
      orgId: orgB.orgId,
      orgName: `Bravo Heating ${t}`,
      owner,
      dispatcher,
      analyst,
      credentialId: credential.credential.id,
      lead: { id: lead.id, phone: lead.phone, name: leadName },
      callbackId: callback.id,
      trackingLineId: lineB.id,
      noticeId: noticeB.id,
      webhookEndpointId: endpointB.id,
      webhookDeliveryId: deliveryB.id,
      cursors,
    },
  };
}

/**
 * Every org-B row a tenant-isolation test must leave untouched: each org-owned
 * table, plus B's organization, its staff's user rows (password hashes, names)
 * and their sessions.
 */
export async function snapshotOf(db: Database, orgId: string) {
  const p = db.prisma;
  const byOrg = { where: { orgId }, orderBy: { id: 'asc' as const } };
  const memberships = await p.membership.findMany(byOrg);
  const userIds = memberships.map((m) => m.userId);
  return {
    organization: await p.organization.findUnique({ where: { id: orgId } }),
    users: await p.user.findMany({ where: { id: { in: userIds } }, orderBy: { id: 'asc' } }),
    memberships,
    sessions: await p.session.findMany({ where: { OR: [{ userId: { in: userIds } }, { activeOrgId: orgId }] }, orderBy: { id: 'asc' } }),
    apiCredentials: await p.apiCredential.findMany(byOrg),
    orgSettings: await p.orgSettings.findUnique({ where: { orgId } }),
    trackingLines: await p.trackingLine.findMany(byOrg),
    leads: await p.lead.findMany(byOrg),
    leadEvents: await p.leadEvent.findMany(byOrg),
    callbacks: await p.callback.findMany(byOrg),
    messages: await p.message.findMany(byOrg),
    auditEntries: await p.auditEntry.findMany(byOrg),
    subscription: await p.subscription.findUnique({ where: { orgId } }),
    billingRecords: await p.billingRecord.findMany(byOrg),
    webhookLogs: await p.webhookLog.findMany(byOrg),
  };
}

/**
 * What must never appear in an answer to org A: every id of every B row (ids
 * are UUIDs, so a match is never a coincidence) and B's distinctive text
 * (names, emails, phones, message and note bodies, credential names and
 * prefixes, settings, billing and webhook values).
 */
export function secretsOf(snapshot: Awaited<ReturnType<typeof snapshotOf>>): string[] {
  const s = snapshot;
  const ids = [
    s.organization!.id,
    ...s.users.map((u) => u.id),
    ...[
      s.memberships,
      s.sessions,
      s.apiCredentials,
      s.trackingLines,
      s.leads,
      s.leadEvents,
      s.callbacks,
      s.messages,
      s.auditEntries,
      s.billingRecords,
      s.webhookLogs,
    ]
      .flat()
      .map((row) => row.id),
    ...(s.subscription ? [s.subscription.id] : []),
  ];
  const text = [
    s.organization!.name,
    ...s.users.flatMap((u) => [u.email, u.name]),
    ...s.apiCredentials.flatMap((c) => [c.name, c.prefix]),
    s.orgSettings!.businessName,
    s.orgSettings!.businessHoursTemplate,
    ...s.trackingLines.flatMap((l) => [l.number, l.forwardTo]),
    ...s.leads.flatMap((l) => [l.phone, l.name]),
    ...s.messages.map((m) => m.body),
    ...s.leadEvents.map((e) => (e.data as { body?: string }).body),
    ...(s.subscription ? [s.subscription.stripeCustomerId, s.subscription.priceId, s.subscription.plan] : []),
    ...s.billingRecords.map((r) => r.stripeEventId),
    ...s.webhookLogs.map((w) => w.eventId),
  ];
  return [...new Set([...ids, ...text].filter((value): value is string => typeof value === 'string' && value.length >= 6))];
}
