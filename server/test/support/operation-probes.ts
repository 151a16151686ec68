// One harmless call per served GraphQL operation, for the permission matrix and
// the discovery check. "Harmless": when the caller is allowed, the answer is
// data or a NOT_FOUND / BAD_USER_INPUT from the service, never UNAUTHENTICATED
// or FORBIDDEN, so those two codes can only come from the permission layer.
import crypto from 'node:crypto';

export interface ProbeContext {
  /** The caller's organization (for switchOrganization). */
  orgId: string;
  /** A staff user whose password is TEST_PASSWORD (signIn succeeds). */
  signInEmail: string;
}

export interface Probe {
  query: string;
  variables?: Record<string, unknown>;
}

const someId = () => crypto.randomUUID();

export const OPERATION_PROBES: Record<string, (context: ProbeContext) => Probe> = {
  viewer: () => ({ query: '{ viewer { label } }' }),
  members: () => ({ query: '{ members(first: 1) { totalCount } }' }),
  apiCredentials: () => ({ query: '{ apiCredentials(first: 1) { totalCount } }' }),
  auditEntries: () => ({ query: '{ auditEntries(first: 1) { totalCount } }' }),
  signIn: ({ signInEmail }) => ({
    query: 'mutation($email: String!) { signIn(email: $email, password: "correct horse battery") { label } }',
    variables: { email: signInEmail },
  }),
  signOut: () => ({ query: 'mutation { signOut }' }),
  switchOrganization: ({ orgId }) => ({ query: 'mutation($orgId: ID!) { switchOrganization(orgId: $orgId) { label } }', variables: { orgId } }),
  setPassword: () => ({
    query: 'mutation { setPassword(token: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", password: "a long enough password") { email } }',
  }),
  createApiCredential: () => ({
    query: 'mutation { createApiCredential(input: { name: "probe", scopes: ["leads:read"] }) { credential { id } } }',
  }),
  rotateApiCredential: () => ({ query: 'mutation($id: ID!) { rotateApiCredential(id: $id, graceSeconds: 60) { secret } }', variables: { id: someId() } }),
  revokeApiCredential: () => ({ query: 'mutation($id: ID!) { revokeApiCredential(id: $id) { id } }', variables: { id: someId() } }),
  inviteMember: () => ({
    query: 'mutation($email: String!) { inviteMember(email: $email, role: ANALYST) { member { id } } }',
    variables: { email: `probe-${crypto.randomBytes(5).toString('hex')}@invite.test` },
  }),
  updateMemberRole: () => ({ query: 'mutation($id: ID!) { updateMemberRole(membershipId: $id, role: ANALYST) { id } }', variables: { id: someId() } }),
  removeMember: () => ({ query: 'mutation($id: ID!) { removeMember(membershipId: $id) { id } }', variables: { id: someId() } }),
  // An empty change: allowed callers get their own membership back, nothing changes.
  updateMyProfile: () => ({ query: 'mutation { updateMyProfile(input: {}) { id } }' }),
  setMemberOnCall: () => ({ query: 'mutation($id: ID!) { setMemberOnCall(membershipId: $id, onCall: true) { id } }', variables: { id: someId() } }),
  resetMemberPassword: () => ({ query: 'mutation($id: ID!) { resetMemberPassword(membershipId: $id) { expiresAt } }', variables: { id: someId() } }),
  notices: () => ({ query: '{ notices { id } }' }),
  dismissNotice: () => ({ query: 'mutation($id: ID!) { dismissNotice(id: $id) { id } }', variables: { id: someId() } }),
  webhookEndpoints: () => ({ query: '{ webhookEndpoints { id } }' }),
  webhookDeliveries: () => ({ query: '{ webhookDeliveries(first: 1) { totalCount } }' }),
  // A URL that is not one: refused before anything is created.
  createWebhookEndpoint: () => ({
    query: 'mutation { createWebhookEndpoint(input: { url: "not a url", events: ["lead.created"] }) { secret } }',
  }),
  updateWebhookEndpoint: () => ({ query: 'mutation($id: ID!) { updateWebhookEndpoint(id: $id, input: {}) { id } }', variables: { id: someId() } }),
  deleteWebhookEndpoint: () => ({ query: 'mutation($id: ID!) { deleteWebhookEndpoint(id: $id) { id } }', variables: { id: someId() } }),
  rotateWebhookEndpointSecret: () => ({ query: 'mutation($id: ID!) { rotateWebhookEndpointSecret(id: $id) { secret } }', variables: { id: someId() } }),
  redeliverWebhook: () => ({ query: 'mutation($id: ID!) { redeliverWebhook(deliveryId: $id) { id } }', variables: { id: someId() } }),
  setTrackingLineRegistration: () => ({
    query: 'mutation($id: ID!) { setTrackingLineRegistration(id: $id, registration: A2P_10DLC_PENDING) { id } }',
    variables: { id: someId() },
  }),
  staffAlerts: () => ({ query: '{ staffAlerts(first: 1) { totalCount } }' }),
  setPasswordTarget: () => ({ query: '{ setPasswordTarget(token: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA") { email } }' }),
  // Over HTTP a subscription gets its access decision, then (allowed) BAD_REQUEST naming the WebSocket endpoint.
  inboxUpdates: () => ({ query: 'subscription { inboxUpdates { kind } }' }),
  leads: () => ({ query: '{ leads(first: 1) { totalCount } }' }),
  inbox: () => ({ query: '{ inbox(first: 1) { totalCount } }' }),
  markLeadRead: () => ({ query: 'mutation($id: ID!) { markLeadRead(id: $id) { id } }', variables: { id: someId() } }),
  lead: () => ({ query: 'query($id: ID!) { lead(id: $id) { id } }', variables: { id: someId() } }),
  stats: () => ({ query: '{ stats { missedCalls } }' }),
  updateLead: () => ({ query: 'mutation($id: ID!) { updateLead(id: $id, input: { name: "x" }) { id } }', variables: { id: someId() } }),
  addLeadNote: () => ({ query: 'mutation($id: ID!) { addLeadNote(leadId: $id, body: "x") { id } }', variables: { id: someId() } }),
  callbacks: () => ({ query: '{ callbacks(first: 1) { totalCount } }' }),
  scheduleCallback: () => ({
    query: 'mutation($id: ID!) { scheduleCallback(leadId: $id, at: "2030-01-01T00:00:00.000Z") { id } }',
    variables: { id: someId() },
  }),
  assignCallback: () => ({ query: 'mutation($id: ID!) { assignCallback(id: $id, assigneeId: null) { id } }', variables: { id: someId() } }),
  completeCallback: () => ({ query: 'mutation($id: ID!) { completeCallback(id: $id, outcome: NO_ANSWER) { id } }', variables: { id: someId() } }),
  cancelCallback: () => ({ query: 'mutation($id: ID!) { cancelCallback(id: $id) { id } }', variables: { id: someId() } }),
  settings: () => ({ query: '{ settings { businessName } }' }),
  trackingLines: () => ({ query: '{ trackingLines { number } }' }),
  // Valid but no-op changes: allowed callers get data back and nothing changes.
  updateSettings: () => ({ query: 'mutation { updateSettings(input: {}) { businessName } }' }),
  webhookLogs: () => ({ query: '{ webhookLogs(first: 1) { totalCount } }' }),
  billing: () => ({ query: '{ billing { status } }' }),
  sendMessage: () => ({ query: 'mutation($id: ID!) { sendMessage(leadId: $id, body: "probe") { duringQuietHours } }', variables: { id: someId() } }),
  // Sandbox answers BAD_USER_INPUT (live mode required): nothing reaches Stripe.
  createCheckoutSession: () => ({ query: 'mutation { createCheckoutSession(priceId: "price_probe") { url } }' }),
  createBillingPortalSession: () => ({ query: 'mutation { createBillingPortalSession { url } }' }),
};

/** The permission layer's verdict in a GraphQL answer: allowed, or the denial code. */
export function verdictOf(body: { errors?: { extensions?: Record<string, any> }[] }): 'allowed' | 'UNAUTHENTICATED' | 'FORBIDDEN' {
  const code = body.errors?.[0]?.extensions?.code;
  return code === 'UNAUTHENTICATED' || code === 'FORBIDDEN' ? code : 'allowed';
}
