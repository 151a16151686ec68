// Tenant isolation for every served operation, generated from the permission
// table: org A's most powerful callers (an OWNER session, a credential holding
// every scope) aim every ID argument, filter and cursor at org B. The answer is
// NOT_FOUND, BAD_USER_INPUT or A's own data (empty where a B id filters it),
// never a trace of B, and none of B's rows changes.
import fs from 'node:fs';
import path from 'node:path';
import {
  buildSchema,
  getNamedType,
  isInputObjectType,
  Kind,
  parse,
  valueFromAST,
  type GraphQLArgument,
  type GraphQLInputType,
  type OperationDefinitionNode,
  type FieldNode,
} from 'graphql';
import type { Database } from '../../src/db/client';
import type { RunningServer } from '../../src/server';
import { PERMISSIONS, permissionFor, type OperationPermission } from '../../src/access/permissions';
import { SCOPES } from '../../src/access/scopes';
import { encodeInboxCursor } from '../../src/leads/inbox.service';
import { openTestDatabase, testDatabaseKinds } from '../support/database';
import { graphql, startTestServer } from '../support/server';
import { openTestSession } from '../support/sessions';
import { expectedFor, type Caller } from '../support/access-expectations';
import { createTenants, placeholderTenants, secretsOf, snapshotOf, targetKinds, type TargetKind, type Tenants } from '../support/cross-tenant-fixtures';

jest.setTimeout(180_000);

const schema = buildSchema(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'schema.graphql'), 'utf8'));
const served = PERMISSIONS.filter((row) => row.status !== 'planned');

/**
 * - refused: NOT_FOUND or BAD_USER_INPUT, and nothing changes in A or B;
 * - empty: answered, and every list in the answer is empty (a B id filtered it);
 * - answered: answered with A's own data;
 * - answered-or-refused: a B cursor, which A's list may reject or read past.
 */
type Outcome = 'refused' | 'empty' | 'answered' | 'answered-or-refused';

interface CrossTenantCall {
  label: string;
  query: string;
  variables?: Record<string, unknown>;
  outcome: Outcome;
  /**
   * Invitations run after every other probe: inviting B's staff member by email
   * gives A a membership of its own for that person, and from then on A may see
   * what it typed (the email) and the one user id every organization shares for
   * that sign-in identity. Nothing else about them (their name, their roles and
   * rows in B).
   */
  invites?: { email: string; userId: string };
  /** Extra assertions on an answer (counts, which A can only get right from A's rows). */
  check?: (data: Record<string, any>, context: { db: Database; tenants: Tenants }) => Promise<void> | void;
  /** Runs after the invitations (what A sees of the people it invited). */
  afterInvitations?: boolean;
  /** Runs first (as A's owner); returns the call's variables. */
  prepare?: (context: { db: Database; server: RunningServer; tenants: Tenants }) => Promise<Record<string, unknown>>;
}

// What each list selects, down through every edge and DataLoader-backed field.
const LEAD_FIELDS = `id phone name status
  callbacks { id status assignee { id email name } lead { id name phone } }
  events(first: 5) { totalCount nodes { id type data actorLabel } }
  messages(first: 5) { totalCount nodes { id body } }`;
const CALLBACK_FIELDS = `id status notes assignee { id email name } lead { id name phone callbacks { id assignee { id email } } }`;
const AUDIT_FIELDS = 'totalCount nodes { id action actorId actorLabel targetId targetType changes }';
const MEMBER_FIELDS = 'id userId email name role status';

const count = (db: Database, table: 'lead' | 'callback' | 'auditEntry' | 'webhookLog' | 'membership' | 'apiCredential', orgId: string) =>
  (db.prisma[table] as unknown as { count(args: { where: { orgId: string } }): Promise<number> }).count({ where: { orgId } });

/**
 * Operations with nothing to aim at another organization, and why. signIn is
 * public, takes an email and a password and no id, and acts for the owner of
 * that email whatever session sends it (a failed attempt at B's email is
 * audited in B by design, so it cannot be probed without changing B's rows).
 * setPassword is public too, but it is probed below with the one cross-tenant
 * input it has: a token A minted by inviting B's staff member, which must not
 * set that person's password. A token of B's own invitation needs no probe:
 * the token is the whole authority, whoever sends it.
 */
const NOT_AIMABLE: Record<string, string> = {
  signIn: 'public; takes an email and password, no id and no organization',
  setPasswordTarget: 'public; takes a token, which is the whole authority (no id, no organization)',
  inboxUpdates: "a WebSocket subscription without arguments: its organization is the subscriber's (server/test/live: another organization hears nothing)",
};

/** The kind of B object each ID argument (and id-like filter field) must receive. */
const ID_ARGUMENT_KINDS: Record<string, readonly TargetKind[]> = {
  'switchOrganization(orgId)': ['organization'],
  'lead(id)': ['lead'],
  'markLeadRead(id)': ['lead'],
  'updateLead(id)': ['lead'],
  'addLeadNote(leadId)': ['lead'],
  'sendMessage(leadId)': ['lead'],
  'scheduleCallback(leadId)': ['lead'],
  'scheduleCallback(assigneeId)': ['user'],
  'assignCallback(id)': ['callback'],
  'assignCallback(assigneeId)': ['user'],
  'completeCallback(id)': ['callback'],
  'cancelCallback(id)': ['callback'],
  'callbacks(filter.assigneeId)': ['user'],
  'auditEntries(filter.actorId)': ['user', 'credential'],
  'auditEntries(filter.targetId)': ['lead', 'membership', 'credential', 'callback', 'organization'],
  'rotateApiCredential(id)': ['credential'],
  'revokeApiCredential(id)': ['credential'],
  'updateMemberRole(membershipId)': ['membership'],
  'removeMember(membershipId)': ['membership'],
  'setMemberOnCall(membershipId)': ['membership'],
  'resetMemberPassword(membershipId)': ['membership'],
  'setTrackingLineRegistration(id)': ['trackingLine'],
  'dismissNotice(id)': ['notice'],
  'updateWebhookEndpoint(id)': ['webhookEndpoint'],
  'deleteWebhookEndpoint(id)': ['webhookEndpoint'],
  'rotateWebhookEndpointSecret(id)': ['webhookEndpoint'],
  'webhookDeliveries(filter.endpointId)': ['webhookEndpoint'],
  'redeliverWebhook(deliveryId)': ['webhookDelivery'],
};

const invitationTokens = new WeakMap<Tenants, string>();

const PROBES: Record<string, (t: Tenants) => CrossTenantCall[]> = {
  // ── identity ──
  viewer: () => [
    {
      label: 'who am I',
      query:
        '{ viewer { label role scopes organization { id name } memberships { role organization { id name } } user { id email name } credential { id name prefix } } }',
      outcome: 'answered',
      check: (data, { tenants }) => expect(data.viewer.organization.id).toBe(tenants.a.orgId),
    },
  ],
  signOut: () => [{ label: 'ends only its own session', query: 'mutation { signOut }', outcome: 'answered' }],
  switchOrganization: ({ b }) => [
    {
      label: 'to B',
      query: 'mutation($id: ID!) { switchOrganization(orgId: $id) { label organization { id name } } }',
      variables: { id: b.orgId },
      outcome: 'refused',
    },
  ],
  setPassword: ({ b }) => [
    {
      label: "with the token of A's invitation of B's dispatcher",
      query: 'mutation($token: String!) { setPassword(token: $token, password: "a brand new password for you") { userId email } }',
      outcome: 'refused',
      invites: { email: b.dispatcher.email, userId: b.dispatcher.userId },
      // One invitation for both callers: a refused setPassword leaves the token unspent.
      prepare: async ({ db, server, tenants }) => {
        let token = invitationTokens.get(tenants);
        if (!token) {
          const cookie = await openTestSession(db, tenants.a.ownerUserId, tenants.a.orgId);
          const { body } = await graphql(server.url, 'mutation($email: String!) { inviteMember(email: $email, role: DISPATCHER) { setPasswordToken } }', {
            cookie,
            variables: { email: b.dispatcher.email },
          });
          if (!body.data) throw new Error(`inviting B's dispatcher into A failed: ${JSON.stringify(body.errors)}`);
          token = body.data.inviteMember.setPasswordToken as string;
          invitationTokens.set(tenants, token);
        }
        return { token };
      },
    },
  ],

  // ── leads and messages ──
  leads: ({ b }) => [
    {
      label: 'all, with every nested field',
      query: `{ leads(first: 20) { totalCount nodes { ${LEAD_FIELDS} } } }`,
      outcome: 'answered',
      check: async (data, { db, tenants }) => expect(data.leads.totalCount).toBe(await count(db, 'lead', tenants.a.orgId)),
    },
    {
      label: "searching B's lead's phone",
      query: 'query($s: String) { leads(filter: { search: $s }) { totalCount nodes { id } } }',
      variables: { s: b.lead.phone },
      outcome: 'empty',
    },
    {
      label: "searching B's lead's name",
      query: 'query($s: String) { leads(filter: { search: $s }) { totalCount nodes { id } } }',
      variables: { s: b.lead.name },
      outcome: 'empty',
    },
    {
      label: "after B's cursor",
      query: `query($after: String) { leads(first: 20, after: $after) { nodes { ${LEAD_FIELDS} } } }`,
      variables: { after: b.cursors.leads },
      outcome: 'answered-or-refused',
    },
  ],
  lead: ({ b }) => [{ label: "B's lead", query: `query($id: ID!) { lead(id: $id) { ${LEAD_FIELDS} } }`, variables: { id: b.lead.id }, outcome: 'refused' }],
  inbox: ({ b }) => [
    {
      label: 'all, with every nested field',
      query: `{ inbox(first: 100) { totalCount nodes { ${LEAD_FIELDS} unread needsReply lastInboundText } } }`,
      outcome: 'answered',
      check: async (data, { db, tenants }) =>
        expect(data.inbox.totalCount).toBe(await db.prisma.lead.count({ where: { orgId: tenants.a.orgId, status: { in: ['NEW', 'CONTACTED'] } } })),
    },
    {
      label: "after a position at B's lead",
      query: `query($after: String) { inbox(first: 20, after: $after) { nodes { ${LEAD_FIELDS} } } }`,
      variables: { after: encodeInboxCursor({ rank: 2, lastActivityAt: new Date(), id: b.lead.id }) },
      outcome: 'answered-or-refused',
    },
  ],
  markLeadRead: ({ b }) => [
    { label: "B's lead", query: `mutation($id: ID!) { markLeadRead(id: $id) { ${LEAD_FIELDS} unread } }`, variables: { id: b.lead.id }, outcome: 'refused' },
  ],
  stats: () => [
    {
      label: "counts A's calls only",
      query: '{ stats { missedCalls missedCallLeads replies bookedLeads overdueCallbacksNow } }',
      outcome: 'answered',
      check: async (data, { db, tenants }) =>
        expect(data.stats.missedCalls).toBe(await db.prisma.leadEvent.count({ where: { orgId: tenants.a.orgId, type: 'CALL_MISSED' } })),
    },
  ],
  updateLead: ({ b }) => [
    {
      label: "B's lead",
      query: `mutation($id: ID!) { updateLead(id: $id, input: { name: "Taken Over", status: LOST }) { ${LEAD_FIELDS} } }`,
      variables: { id: b.lead.id },
      outcome: 'refused',
    },
  ],
  addLeadNote: ({ b }) => [
    {
      label: "on B's lead",
      query: 'mutation($id: ID!) { addLeadNote(leadId: $id, body: "planted by A") { id data } }',
      variables: { id: b.lead.id },
      outcome: 'refused',
    },
  ],
  sendMessage: ({ b }) => [
    {
      label: "to B's lead",
      query: 'mutation($id: ID!) { sendMessage(leadId: $id, body: "hello from A") { duringQuietHours } }',
      variables: { id: b.lead.id },
      outcome: 'refused',
    },
  ],

  // ── callbacks ──
  callbacks: ({ b }) => [
    {
      label: "all, with assignees and leads (A's callback assigned to B's analyst shows no assignee)",
      query: `{ callbacks(first: 100) { totalCount nodes { ${CALLBACK_FIELDS} } } }`,
      outcome: 'answered',
      check: async (data, { db, tenants }) => {
        expect(data.callbacks.totalCount).toBe(await count(db, 'callback', tenants.a.orgId));
        const stale = data.callbacks.nodes.find((node: { id: string }) => node.id === tenants.a.staleCallbackId);
        expect(stale).toMatchObject({ assignee: null });
      },
    },
    ...[b.owner, b.dispatcher].map((user) => ({
      label: `assigned to B's ${user === b.owner ? 'owner' : 'dispatcher'}`,
      query: `query($id: String) { callbacks(filter: { assigneeId: $id }) { totalCount nodes { ${CALLBACK_FIELDS} } } }`,
      variables: { id: user.userId },
      outcome: 'empty' as const,
    })),
    {
      label: "after B's cursor",
      query: `query($after: String) { callbacks(first: 100, after: $after) { nodes { ${CALLBACK_FIELDS} } } }`,
      variables: { after: b.cursors.callbacks },
      outcome: 'answered-or-refused',
    },
  ],
  scheduleCallback: ({ a, b }) => [
    {
      label: "for B's lead",
      query: `mutation($lead: ID!) { scheduleCallback(leadId: $lead, at: "2030-01-01T15:00:00.000Z") { ${CALLBACK_FIELDS} } }`,
      variables: { lead: b.lead.id },
      outcome: 'refused',
    },
    {
      label: "for B's lead, assigned to B's owner",
      query: `mutation($lead: ID!, $user: ID) { scheduleCallback(leadId: $lead, at: "2030-01-01T15:00:00.000Z", assigneeId: $user) { ${CALLBACK_FIELDS} } }`,
      variables: { lead: b.lead.id, user: b.owner.userId },
      outcome: 'refused',
    },
    {
      label: "for A's lead, assigned to B's owner",
      query: `mutation($lead: ID!, $user: ID) { scheduleCallback(leadId: $lead, at: "2030-01-01T15:00:00.000Z", assigneeId: $user) { ${CALLBACK_FIELDS} } }`,
      variables: { lead: a.leadId, user: b.owner.userId },
      outcome: 'refused',
    },
  ],
  assignCallback: ({ a, b }) => [
    {
      label: "B's callback, unassigned",
      query: `mutation($id: ID!) { assignCallback(id: $id, assigneeId: null) { ${CALLBACK_FIELDS} } }`,
      variables: { id: b.callbackId },
      outcome: 'refused',
    },
    {
      label: "B's callback, to A's owner",
      query: `mutation($id: ID!, $user: ID) { assignCallback(id: $id, assigneeId: $user) { ${CALLBACK_FIELDS} } }`,
      variables: { id: b.callbackId, user: a.ownerUserId },
      outcome: 'refused',
    },
    {
      label: "A's callback, to B's owner",
      query: `mutation($id: ID!, $user: ID) { assignCallback(id: $id, assigneeId: $user) { ${CALLBACK_FIELDS} } }`,
      variables: { id: a.callbackId, user: b.owner.userId },
      outcome: 'refused',
    },
  ],
  completeCallback: ({ b }) => [
    {
      label: "B's callback",
      query: `mutation($id: ID!) { completeCallback(id: $id, outcome: BOOKED, notes: "by A") { ${CALLBACK_FIELDS} } }`,
      variables: { id: b.callbackId },
      outcome: 'refused',
    },
  ],
  cancelCallback: ({ b }) => [
    {
      label: "B's callback",
      query: `mutation($id: ID!) { cancelCallback(id: $id) { ${CALLBACK_FIELDS} } }`,
      variables: { id: b.callbackId },
      outcome: 'refused',
    },
  ],

  // ── settings ──
  settings: () => [
    {
      label: "A's",
      query:
        '{ settings { businessName businessHoursTemplate afterHoursTemplate timezone businessHours { day intervals { start end } } previews { businessHours { text } afterHours { text } } } }',
      outcome: 'answered',
    },
  ],
  trackingLines: () => [{ label: "A's", query: '{ trackingLines { id number forwardTo label } }', outcome: 'answered' }],
  setTrackingLineRegistration: ({ b }) => [
    {
      label: "B's line",
      query: 'mutation($id: ID!) { setTrackingLineRegistration(id: $id, registration: A2P_10DLC_REJECTED) { id number messagingRegistration } }',
      variables: { id: b.trackingLineId },
      outcome: 'refused',
    },
  ],
  updateSettings: () => [
    { label: "A's, unchanged", query: 'mutation { updateSettings(input: {}) { businessName businessHoursTemplate } }', outcome: 'answered' },
  ],

  // ── evidence ──
  auditEntries: ({ b }) => [
    {
      label: 'all',
      query: `{ auditEntries(first: 100) { ${AUDIT_FIELDS} } }`,
      outcome: 'answered',
    },
    ...[
      ['actorId', "B's owner", b.owner.userId],
      ['actorId', "B's credential", b.credentialId],
      ['targetId', "B's lead", b.lead.id],
      ['targetId', "B's callback", b.callbackId],
      ['targetId', "B's analyst membership", b.analyst.membershipId],
      ['targetId', "B's credential", b.credentialId],
      ['targetId', 'B itself', b.orgId],
    ].map(([field, what, id]) => ({
      label: `${field} ${what}`,
      query: `query($id: String) { auditEntries(filter: { ${field}: $id }) { ${AUDIT_FIELDS} } }`,
      variables: { id },
      outcome: 'empty' as const,
    })),
    {
      label: "after B's cursor",
      query: `query($after: String) { auditEntries(first: 100, after: $after) { ${AUDIT_FIELDS} } }`,
      variables: { after: b.cursors.auditEntries },
      outcome: 'answered-or-refused',
    },
  ],
  webhookLogs: ({ b }) => [
    {
      label: 'all',
      query: '{ webhookLogs(first: 100) { totalCount nodes { id eventId payload route } } }',
      outcome: 'answered',
      check: async (data, { db, tenants }) => expect(data.webhookLogs.totalCount).toBe(await count(db, 'webhookLog', tenants.a.orgId)),
    },
    {
      label: "after B's cursor",
      query: 'query($after: String) { webhookLogs(first: 100, after: $after) { nodes { id eventId payload } } }',
      variables: { after: b.cursors.webhookLogs },
      outcome: 'answered-or-refused',
    },
  ],
  billing: () => [
    {
      label: "A's (no subscription)",
      query: '{ billing { status plan priceId banner records(first: 50) { totalCount nodes { id type amount status } } } }',
      outcome: 'answered',
      check: (data) => expect(data.billing).toMatchObject({ status: 'none', records: { totalCount: 0 } }),
    },
  ],
  // Sandbox answers BAD_USER_INPUT before anything reaches Stripe; neither takes an id.
  createCheckoutSession: () => [{ label: 'in sandbox', query: 'mutation { createCheckoutSession(priceId: "price_probe") { url } }', outcome: 'refused' }],
  createBillingPortalSession: () => [{ label: 'in sandbox', query: 'mutation { createBillingPortalSession { url } }', outcome: 'refused' }],

  // ── credentials ──
  apiCredentials: ({ b }) => [
    {
      label: 'all',
      query: '{ apiCredentials(first: 100) { totalCount nodes { id name prefix rotatedFromId } } }',
      outcome: 'answered',
      check: async (data, { db, tenants }) => expect(data.apiCredentials.totalCount).toBe(await count(db, 'apiCredential', tenants.a.orgId)),
    },
    {
      label: "after B's cursor",
      query: 'query($after: String) { apiCredentials(first: 100, after: $after) { nodes { id name prefix } } }',
      variables: { after: b.cursors.apiCredentials },
      outcome: 'answered-or-refused',
    },
  ],
  createApiCredential: () => [
    {
      label: 'in A',
      query: 'mutation { createApiCredential(input: { name: "cross-tenant probe", scopes: ["leads:read"] }) { credential { id name } } }',
      outcome: 'answered',
    },
  ],
  rotateApiCredential: ({ b }) => [
    {
      label: "B's credential",
      query: 'mutation($id: ID!) { rotateApiCredential(id: $id, graceSeconds: 0) { secret credential { id name prefix } } }',
      variables: { id: b.credentialId },
      outcome: 'refused',
    },
  ],
  revokeApiCredential: ({ b }) => [
    {
      label: "B's credential",
      query: 'mutation($id: ID!) { revokeApiCredential(id: $id) { id name prefix } }',
      variables: { id: b.credentialId },
      outcome: 'refused',
    },
  ],

  // ── members ──
  members: ({ b }) => [
    {
      label: 'all',
      query: `{ members(first: 100) { totalCount nodes { ${MEMBER_FIELDS} } } }`,
      outcome: 'answered',
      check: async (data, { db, tenants }) => expect(data.members.totalCount).toBe(await count(db, 'membership', tenants.a.orgId)),
    },
    {
      label: "after B's cursor",
      query: `query($after: String) { members(first: 100, after: $after) { nodes { ${MEMBER_FIELDS} } } }`,
      variables: { after: b.cursors.members },
      outcome: 'answered-or-refused',
    },
    {
      label: "all, once A has invited two of B's staff",
      query: `{ members(first: 100) { totalCount nodes { ${MEMBER_FIELDS} } } }`,
      outcome: 'answered',
      afterInvitations: true,
    },
  ],
  inviteMember: ({ b }) => [
    {
      // The answer may repeat the email A typed, and the user id of the one
      // sign-in identity every organization shares; nothing B knows about them.
      label: "B's analyst, by email",
      query: `mutation($email: String!) { inviteMember(email: $email, role: ANALYST) { member { ${MEMBER_FIELDS} } } }`,
      variables: { email: b.analyst.email },
      outcome: 'answered',
      invites: { email: b.analyst.email, userId: b.analyst.userId },
    },
  ],
  updateMemberRole: ({ b }) => [
    {
      label: "demote B's owner",
      query: `mutation($id: ID!) { updateMemberRole(membershipId: $id, role: ANALYST) { ${MEMBER_FIELDS} } }`,
      variables: { id: b.owner.membershipId },
      outcome: 'refused',
    },
    {
      label: "promote B's analyst",
      query: `mutation($id: ID!) { updateMemberRole(membershipId: $id, role: OWNER) { ${MEMBER_FIELDS} } }`,
      variables: { id: b.analyst.membershipId },
      outcome: 'refused',
    },
  ],
  removeMember: ({ b }) => [
    {
      label: "B's dispatcher",
      query: `mutation($id: ID!) { removeMember(membershipId: $id) { ${MEMBER_FIELDS} } }`,
      variables: { id: b.dispatcher.membershipId },
      outcome: 'refused',
    },
  ],
  updateMyProfile: () => [
    {
      label: "A's own, unchanged",
      query: 'mutation { updateMyProfile(input: {}) { id name phone alertOnMissedCall alertOnReply onCall } }',
      outcome: 'answered',
    },
  ],
  setMemberOnCall: ({ b }) => [
    {
      label: "B's dispatcher",
      query: `mutation($id: ID!) { setMemberOnCall(membershipId: $id, onCall: true) { ${MEMBER_FIELDS} onCall } }`,
      variables: { id: b.dispatcher.membershipId },
      outcome: 'refused',
    },
  ],
  resetMemberPassword: ({ b }) => [
    {
      label: "B's owner",
      query: 'mutation($id: ID!) { resetMemberPassword(membershipId: $id) { setPasswordToken expiresAt } }',
      variables: { id: b.owner.membershipId },
      outcome: 'refused',
    },
  ],
  notices: () => [
    {
      label: "A's, dismissed too",
      query: '{ notices(includeDismissed: true) { id kind message subjectId } }',
      outcome: 'answered',
      check: async (data, { db, tenants }) => expect(data.notices).toHaveLength(await db.prisma.notice.count({ where: { orgId: tenants.a.orgId } })),
    },
  ],
  dismissNotice: ({ b }) => [
    { label: "B's notice", query: 'mutation($id: ID!) { dismissNotice(id: $id) { id dismissedAt } }', variables: { id: b.noticeId }, outcome: 'refused' },
  ],
  webhookEndpoints: () => [
    {
      label: "A's only",
      query: '{ webhookEndpoints { id url events } }',
      outcome: 'answered',
      check: async (data, { db, tenants }) =>
        expect(data.webhookEndpoints).toHaveLength(await db.prisma.webhookEndpoint.count({ where: { orgId: tenants.a.orgId } })),
    },
  ],
  createWebhookEndpoint: () => [
    {
      label: 'made in A',
      query: 'mutation { createWebhookEndpoint(input: { url: "http://127.0.0.1:9/alpha", events: ["lead.created"] }) { endpoint { id url } } }',
      outcome: 'answered',
    },
  ],
  updateWebhookEndpoint: ({ b }) => [
    {
      label: "B's endpoint",
      query: 'mutation($id: ID!) { updateWebhookEndpoint(id: $id, input: { enabled: false }) { id url } }',
      variables: { id: b.webhookEndpointId },
      outcome: 'refused',
    },
  ],
  deleteWebhookEndpoint: ({ b }) => [
    {
      label: "B's endpoint",
      query: 'mutation($id: ID!) { deleteWebhookEndpoint(id: $id) { id url } }',
      variables: { id: b.webhookEndpointId },
      outcome: 'refused',
    },
  ],
  rotateWebhookEndpointSecret: ({ b }) => [
    {
      label: "B's endpoint",
      query: 'mutation($id: ID!) { rotateWebhookEndpointSecret(id: $id) { secret } }',
      variables: { id: b.webhookEndpointId },
      outcome: 'refused',
    },
  ],
  webhookDeliveries: ({ b }) => [
    {
      label: "A's only",
      query: '{ webhookDeliveries(first: 100) { totalCount nodes { id payload endpoint { id url } } } }',
      outcome: 'answered',
      check: async (data, { db, tenants }) =>
        expect(data.webhookDeliveries.totalCount).toBe(await db.prisma.webhookDelivery.count({ where: { orgId: tenants.a.orgId } })),
    },
    {
      label: "filtered by B's endpoint",
      query: 'query($id: ID!) { webhookDeliveries(first: 10, filter: { endpointId: $id }) { nodes { id payload } } }',
      variables: { id: b.webhookEndpointId },
      outcome: 'empty',
    },
  ],
  redeliverWebhook: ({ b }) => [
    {
      label: "B's delivery",
      query: 'mutation($id: ID!) { redeliverWebhook(deliveryId: $id) { id } }',
      variables: { id: b.webhookDeliveryId },
      outcome: 'refused',
    },
  ],
  staffAlerts: () => [
    {
      label: 'all',
      query: '{ staffAlerts(first: 100) { totalCount nodes { id kind toPhone status lead { id phone } member { id email phone } } } }',
      outcome: 'answered',
      check: async (data, { db, tenants }) => expect(data.staffAlerts.totalCount).toBe(await db.prisma.staffAlert.count({ where: { orgId: tenants.a.orgId } })),
    },
  ],
};

// ── which arguments carry ids, from the schema ──

/** Paths ("id", "filter.assigneeId") of an argument's ids: ID-typed, or input fields named …Id. */
function idPaths(name: string, type: GraphQLInputType): string[] {
  const named = getNamedType(type);
  if (named.name === 'ID') return [name];
  if (isInputObjectType(named)) {
    return Object.values(named.getFields()).flatMap((field) =>
      getNamedType(field.type).name === 'ID' || /Id$/.test(field.name) ? [`${name}.${field.name}`] : idPaths(`${name}.${field.name}`, field.type),
    );
  }
  return [];
}

function rootFieldOf(kind: OperationPermission['kind'], name: string) {
  const root = { query: schema.getQueryType(), mutation: schema.getMutationType(), subscription: schema.getSubscriptionType() }[kind];
  return root?.getFields()[name];
}

/** Every id path of every served operation, as "operation(path)". */
function idArgumentsOfServedOperations(): string[] {
  return served.flatMap((row) => {
    const field = rootFieldOf(row.kind, row.name);
    if (!field) throw new Error(`${row.name} is in the permission table but not in schema.graphql`);
    return field.args.flatMap((arg: GraphQLArgument) => idPaths(arg.name, arg.type)).map((p) => `${row.name}(${p})`);
  });
}

/** The arguments a call actually sends to its root field, variables applied. */
function argumentsSent(row: OperationPermission, call: CrossTenantCall, variables: Record<string, unknown>): Record<string, unknown> {
  const operation = parse(call.query).definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  const node = operation.selectionSet.selections.find((s): s is FieldNode => s.kind === Kind.FIELD && s.name.value === row.name);
  if (!node) throw new Error(`probe "${call.label}" of ${row.name} does not call ${row.name}`);
  const field = rootFieldOf(row.kind, row.name)!;
  const sent: Record<string, unknown> = {};
  for (const argument of node.arguments ?? []) {
    const definition = field.args.find((arg) => arg.name === argument.name.value)!;
    sent[argument.name.value] = valueFromAST(argument.value, definition.type, variables);
  }
  return sent;
}

function valueAt(value: unknown, dotted: string): unknown {
  return dotted
    .split('.')
    .reduce<unknown>((current, key) => (current && typeof current === 'object' ? (current as Record<string, unknown>)[key] : undefined), value);
}

describe('cross-tenant probes', () => {
  it('cover exactly the served operations of the permission table (add a probe in PROBES for a new one)', () => {
    const covered = [...Object.keys(PROBES), ...Object.keys(NOT_AIMABLE)].sort();
    expect(covered).toEqual(served.map((row) => row.name).sort());
    expect(Object.keys(PROBES).filter((name) => Object.keys(NOT_AIMABLE).includes(name))).toEqual([]);
  });

  it('aim every ID argument of every served operation at an org-B object of its kind (schema.graphql decides which arguments are ids)', () => {
    const tenants = placeholderTenants();
    const kinds = targetKinds(tenants.b);
    const aimed = new Map<string, Set<TargetKind>>();
    for (const row of served.filter((r) => PROBES[r.name])) {
      for (const call of PROBES[row.name]!(tenants)) {
        const sent = argumentsSent(row, call, call.variables ?? {});
        for (const idPath of idArgumentsOfServedOperations().filter((p) => p.startsWith(`${row.name}(`))) {
          const kind = kinds.get(valueAt(sent, idPath.slice(row.name.length + 1, -1)) as string);
          if (kind) aimed.set(idPath, new Set([...(aimed.get(idPath) ?? []), kind]));
        }
      }
    }
    const missing = idArgumentsOfServedOperations().flatMap((idPath) => {
      const wanted = ID_ARGUMENT_KINDS[idPath];
      if (!wanted) return [`${idPath}: say which kind of object it takes in ID_ARGUMENT_KINDS`];
      const absent = wanted.filter((kind) => !aimed.get(idPath)?.has(kind));
      return absent.length ? [`${idPath}: no probe sends B's ${absent.join(', ')}`] : [];
    });
    expect(missing).toEqual([]);
    expect(Object.keys(ID_ARGUMENT_KINDS).filter((idPath) => !idArgumentsOfServedOperations().includes(idPath))).toEqual([]);
  });
});

// ── against real databases ──

const CALLERS: { caller: Caller; label: string }[] = [
  { caller: { kind: 'session', role: 'OWNER' }, label: "A's OWNER session" },
  { caller: { kind: 'credential', scopes: [...SCOPES], label: 'every scope' }, label: "A's credential with every scope" },
];

/** Every list (a connection's nodes, or a plain list) in an answer. */
function listsIn(value: unknown, out: unknown[][] = []): unknown[][] {
  if (Array.isArray(value)) {
    out.push(value);
    value.forEach((item) => listsIn(item, out));
  } else if (value && typeof value === 'object') {
    Object.values(value).forEach((item) => listsIn(item, out));
  }
  return out;
}

/** The org-A rows a call refused because of a B id must not change either (a B assignee written into A's callback). */
async function snapshotOfAWork(db: Database, orgId: string) {
  const byOrg = { where: { orgId }, orderBy: { id: 'asc' as const } };
  return {
    leads: await db.prisma.lead.findMany(byOrg),
    leadEvents: await db.prisma.leadEvent.findMany(byOrg),
    callbacks: await db.prisma.callback.findMany(byOrg),
    messages: await db.prisma.message.findMany(byOrg),
    memberships: await db.prisma.membership.findMany(byOrg),
  };
}

describe.each(testDatabaseKinds)('cross-tenant operations on %s', (kind) => {
  let db: Database;
  let server: RunningServer;
  let tenants: Tenants;
  let initialB: Awaited<ReturnType<typeof snapshotOf>>;
  let secrets: string[];

  beforeAll(async () => {
    db = await openTestDatabase(kind);
    server = await startTestServer(db, { env: { RATE_LIMIT_SIGNIN_PER_15MIN: '1000', RATE_LIMIT_API_PER_MIN: '100000' } });
    tenants = await createTenants(db, async (query, cookie) => (await graphql(server.url, query, { cookie })).body);
    initialB = await snapshotOf(db, tenants.b.orgId);
    secrets = secretsOf(initialB);
  });
  afterAll(async () => {
    await server?.close();
    await db?.close();
  });

  /** What A typed or was given when it invited B's staff (see CrossTenantCall.invites). */
  const typedByA = new Set<string>();

  const phase = (call: CrossTenantCall) => (call.afterInvitations ? 2 : call.invites ? 1 : 0);
  const cases = served
    .filter((row) => PROBES[row.name])
    .flatMap((row) =>
      PROBES[row.name]!(placeholderTenants()).flatMap((call, index) =>
        CALLERS.map(({ caller, label }) => ({ phase: phase(call), test: [row.name, index, label, { row, index, caller }] as const })),
      ),
    )
    .sort((x, y) => x.phase - y.phase)
    .map(({ test }) => test);

  it.each(cases)("%s #%i as %s: refused or A's own data, no trace of B, B unchanged", async (_name, _index, _label, { row, index, caller }) => {
    const call = PROBES[row.name]!(tenants)[index]!;
    if (call.invites) [call.invites.email, call.invites.userId].forEach((value) => typedByA.add(value));
    const variables = call.prepare ? await call.prepare({ db, server, tenants }) : (call.variables ?? {});
    // A fresh session per call: signOut must not end the session other calls use.
    const cookie = caller.kind === 'session' ? await openTestSession(db, tenants.a.ownerUserId, tenants.a.orgId) : undefined;
    const bearer = caller.kind === 'credential' ? tenants.a.credential : undefined;

    const beforeB = await snapshotOf(db, tenants.b.orgId);
    const beforeA = await snapshotOfAWork(db, tenants.a.orgId);
    const { body } = await graphql(server.url, call.query, { variables, cookie, bearer });
    const summary = { probe: call.label, code: body.errors?.[0]?.extensions?.code ?? null, message: body.errors?.[0]?.message ?? null };

    // Never a trace of B: not in data, not in an error message, not in extensions.
    const answer = JSON.stringify(body);
    expect({ ...summary, leaked: secrets.filter((secret) => !typedByA.has(secret) && answer.includes(secret)) }).toEqual({ ...summary, leaked: [] });

    const permission = expectedFor(permissionFor(row.name)!, caller);
    if (permission.verdict !== 'allowed') {
      // The table denies this caller (an internal operation for a credential): denied before any id is read.
      expect(summary.code).toBe(permission.verdict);
    } else if (call.outcome === 'refused') {
      expect(['NOT_FOUND', 'BAD_USER_INPUT']).toContain(summary.code);
      expect(await snapshotOfAWork(db, tenants.a.orgId)).toEqual(beforeA);
    } else if (call.outcome === 'answered-or-refused') {
      if (body.errors) expect(['NOT_FOUND', 'BAD_USER_INPUT']).toContain(summary.code);
    } else {
      expect(summary).toEqual({ probe: call.label, code: null, message: null });
      if (call.outcome === 'empty') {
        for (const list of listsIn(body.data)) expect(list).toEqual([]);
        expect(answer).not.toMatch(/"totalCount":[1-9]/);
      }
      await call.check?.(body.data!, { db, tenants });
    }
    expect(await snapshotOf(db, tenants.b.orgId)).toEqual(beforeB);
  });

  it('leaves every org-B row as it was before the first probe', async () => {
    expect(await snapshotOf(db, tenants.b.orgId)).toEqual(initialB);
  });
});
