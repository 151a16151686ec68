// The permission table: every GraphQL operation of the contract, who may call
// it and how. The graphql-shield rules (shield.ts), the public action catalog
// (/actions.json, /docs/actions) and /docs/permissions are generated from it.
// A schema field with no row here is denied, and a test fails.
import type { Role } from '../generated/prisma/enums';
import type { AuditAction } from '../audit/actions';
import { ROLES, type Scope } from './scopes';

export type OperationKind = 'query' | 'mutation' | 'subscription';

/**
 * - public: no identity needed (signing in).
 * - protected: a staff session with one of `roles`, or an API credential holding `scope`.
 * - internal: staff sessions only (the dashboard); no API credential can ever call it.
 * - planned: in the contract but not served yet; listed with the access it will have.
 */
export type OperationStatus = 'public' | 'protected' | 'internal' | 'planned';

export const OPERATION_STATUSES: Record<OperationStatus, string> = {
  public: 'Open to anyone; no identity needed.',
  protected: 'Needs a staff session with one of the listed roles, or an API credential holding the listed scope.',
  internal: 'Staff sessions only (the dashboard). No API credential can call it, whatever its scopes.',
  planned: 'Part of the published contract but not served yet; listed with the access it will need.',
};

export interface OperationPermission {
  name: string;
  kind: OperationKind;
  status: OperationStatus;
  /** Staff roles allowed; 'any' = any signed-in staff user, even one with no membership left. */
  roles: readonly Role[] | 'any';
  /**
   * The credential scope needed (protected and planned operations); null with status
   * protected means any valid credential. Internal and public operations have none.
   */
  scope: Scope | null;
  description: string;
  /** Audit actions (audit/actions.ts) the operation writes. */
  audit: readonly AuditAction[];
}

const ALL_ROLES = ROLES;
const STAFF_WRITERS: readonly Role[] = ['OWNER', 'ADMIN', 'DISPATCHER'];
const MANAGERS: readonly Role[] = ['OWNER', 'ADMIN'];
const OVERSIGHT: readonly Role[] = ['OWNER', 'ADMIN', 'ANALYST'];

type Row = Omit<OperationPermission, 'kind' | 'audit'> & { audit?: readonly AuditAction[] };
const query = (row: Row): OperationPermission => ({ kind: 'query', audit: [], ...row });
const mutation = (row: Row): OperationPermission => ({ kind: 'mutation', audit: [], ...row });
const subscription = (row: Row): OperationPermission => ({ kind: 'subscription', audit: [], ...row });

export const PERMISSIONS: readonly OperationPermission[] = [
  // ── identity ──
  query({
    name: 'viewer',
    status: 'protected',
    roles: 'any',
    scope: null,
    description: 'Who is calling: the user or credential, its organization, role or scopes.',
  }),
  mutation({
    name: 'signIn',
    status: 'public',
    roles: [],
    scope: null,
    description: 'Staff sign-in with email and password; sets the HttpOnly session cookie.',
    audit: ['auth.signed_in', 'auth.sign_in_failed'],
  }),
  mutation({
    name: 'signOut',
    status: 'internal',
    roles: 'any',
    scope: null,
    description: 'Ends the current staff session (revoked server-side) and clears the cookie.',
    audit: ['auth.signed_out'],
  }),
  mutation({
    name: 'switchOrganization',
    status: 'internal',
    roles: 'any',
    scope: null,
    description: 'Makes another organization the user belongs to the active one for this session.',
  }),
  mutation({
    name: 'setPassword',
    status: 'public',
    roles: [],
    scope: null,
    description: "Sets a password with a one-time token: an invitation's, or a password reset's (which ends every session of the account).",
    audit: ['auth.password_set'],
  }),
  query({
    name: 'setPasswordTarget',
    status: 'public',
    roles: [],
    scope: null,
    description: 'For a set-password token: which account (email) and which shop it is for, so the page can say so. Nothing for an unknown or used token.',
  }),

  // ── leads and messages ──
  query({
    name: 'inbox',
    status: 'protected',
    roles: ALL_ROLES,
    scope: 'leads:read',
    description: 'Open leads in work order: needing a reply, callback overdue, new missed call, then the rest by latest activity.',
  }),
  mutation({
    name: 'markLeadRead',
    status: 'internal',
    roles: ALL_ROLES,
    scope: null,
    description: 'Records that the signed-in staff member has seen a lead as it is now (their own read state).',
  }),
  subscription({
    name: 'inboxUpdates',
    status: 'protected',
    roles: ALL_ROLES,
    scope: 'leads:read',
    description:
      'Live inbox over WebSocket (graphql-transport-ws on /graphql): missed calls, replies, callbacks due or overdue and other lead changes of the organization, as they happen.',
  }),
  query({
    name: 'leads',
    status: 'protected',
    roles: ALL_ROLES,
    scope: 'leads:read',
    description: 'Leads of the organization, newest activity first, filterable.',
  }),
  query({ name: 'lead', status: 'protected', roles: ALL_ROLES, scope: 'leads:read', description: 'One lead with its events, messages and callbacks.' }),
  query({
    name: 'stats',
    status: 'protected',
    roles: ALL_ROLES,
    scope: 'leads:read',
    description: 'Missed calls, text-backs, replies and bookings over a period.',
  }),
  mutation({
    name: 'updateLead',
    status: 'protected',
    roles: STAFF_WRITERS,
    scope: 'leads:write',
    description: "Changes a lead's name or status.",
    audit: ['lead.updated'],
  }),
  mutation({
    name: 'addLeadNote',
    status: 'protected',
    roles: STAFF_WRITERS,
    scope: 'leads:write',
    description: 'Adds a staff note to a lead.',
    audit: ['lead.note_added'],
  }),
  mutation({
    name: 'sendMessage',
    status: 'protected',
    roles: STAFF_WRITERS,
    scope: 'messages:send',
    description: 'Texts a lead (never an opted-out one).',
    audit: ['message.sent'],
  }),

  // ── callbacks ──
  query({
    name: 'callbacks',
    status: 'protected',
    roles: ALL_ROLES,
    scope: 'callbacks:read',
    description: 'The callback queue, filterable by status, assignee and due time.',
  }),
  mutation({
    name: 'scheduleCallback',
    status: 'protected',
    roles: STAFF_WRITERS,
    scope: 'callbacks:write',
    description: 'Schedules a callback with a lead at an agreed time.',
    audit: ['callback.scheduled'],
  }),
  mutation({
    name: 'assignCallback',
    status: 'protected',
    roles: STAFF_WRITERS,
    scope: 'callbacks:write',
    description: 'Assigns a callback to a staff member.',
    audit: ['callback.assigned'],
  }),
  mutation({
    name: 'completeCallback',
    status: 'protected',
    roles: STAFF_WRITERS,
    scope: 'callbacks:write',
    description: "Records a callback's outcome.",
    audit: ['callback.completed'],
  }),
  mutation({
    name: 'cancelCallback',
    status: 'protected',
    roles: STAFF_WRITERS,
    scope: 'callbacks:write',
    description: 'Cancels an open callback.',
    audit: ['callback.canceled'],
  }),

  // ── settings ──
  query({
    name: 'settings',
    status: 'protected',
    roles: ALL_ROLES,
    scope: 'settings:read',
    description: 'Text-back templates, business and quiet hours, SLA.',
  }),
  query({
    name: 'trackingLines',
    status: 'protected',
    roles: ALL_ROLES,
    scope: 'settings:read',
    description: "The organization's tracking numbers and where they forward.",
  }),
  mutation({
    name: 'updateSettings',
    status: 'protected',
    roles: MANAGERS,
    scope: 'settings:write',
    description: "Changes the organization's settings.",
    audit: ['settings.updated'],
  }),

  mutation({
    name: 'setTrackingLineRegistration',
    status: 'protected',
    roles: MANAGERS,
    scope: 'settings:write',
    description:
      "Records a tracking line's messaging registration (A2P 10DLC or toll-free verification); registered or verified clears its carrier-filtering flag.",
    audit: ['tracking_line.registration_changed'],
  }),

  // ── evidence ──
  query({
    name: 'auditEntries',
    status: 'protected',
    roles: OVERSIGHT,
    scope: 'audit:read',
    description: 'The hash-chained audit trail, newest first, filterable by action, actor, target and time.',
  }),
  query({
    name: 'webhookLogs',
    status: 'protected',
    roles: OVERSIGHT,
    scope: 'webhook_logs:read',
    description: 'Every provider delivery with its signature check and outcome.',
  }),
  query({ name: 'billing', status: 'protected', roles: OVERSIGHT, scope: 'billing:read', description: 'Subscription state and billing records.' }),
  mutation({
    name: 'createCheckoutSession',
    status: 'internal',
    roles: ['OWNER'],
    scope: null,
    description: 'Live mode: a Stripe Checkout URL subscribing the organization to a price.',
  }),
  mutation({
    name: 'createBillingPortalSession',
    status: 'internal',
    roles: ['OWNER'],
    scope: null,
    description: 'Live mode: a Stripe billing portal URL to change card or plan, or cancel.',
  }),

  // ── outbound webhooks ──
  query({
    name: 'webhookEndpoints',
    status: 'protected',
    roles: MANAGERS,
    scope: 'webhooks:read',
    description: "Outbound webhooks: your organization's endpoints, with the events each receives (never their secrets).",
  }),
  mutation({
    name: 'createWebhookEndpoint',
    status: 'protected',
    roles: MANAGERS,
    scope: 'webhooks:write',
    description: 'Outbound webhooks: add an endpoint (https URL on a public address, events); its whsec_ signing secret is shown once.',
    audit: ['webhook_endpoint.created'],
  }),
  mutation({
    name: 'updateWebhookEndpoint',
    status: 'protected',
    roles: MANAGERS,
    scope: 'webhooks:write',
    description: "Outbound webhooks: change an endpoint's URL, events or description, disable it or re-enable it.",
    audit: ['webhook_endpoint.updated'],
  }),
  mutation({
    name: 'deleteWebhookEndpoint',
    status: 'protected',
    roles: MANAGERS,
    scope: 'webhooks:write',
    description: 'Outbound webhooks: remove an endpoint and its delivery log; nothing more is delivered to it.',
    audit: ['webhook_endpoint.deleted'],
  }),
  mutation({
    name: 'rotateWebhookEndpointSecret',
    status: 'protected',
    roles: MANAGERS,
    scope: 'webhooks:write',
    description: "Outbound webhooks: replace an endpoint's signing secret (shown once); the old one keeps signing alongside for 24 hours.",
    audit: ['webhook_endpoint.secret_rotated'],
  }),
  query({
    name: 'webhookDeliveries',
    status: 'protected',
    roles: MANAGERS,
    scope: 'webhooks:read',
    description: 'Outbound webhooks: every delivery (event, status, attempts, last HTTP status, next retry) with each attempt, filtered and paginated.',
  }),
  mutation({
    name: 'redeliverWebhook',
    status: 'protected',
    roles: MANAGERS,
    scope: 'webhooks:write',
    description: 'Outbound webhooks: send a delivery again now, whatever its status, with the same event id and body.',
    audit: ['webhook_delivery.redelivered'],
  }),

  // ── credentials (never callable with a credential) ──
  query({
    name: 'apiCredentials',
    status: 'internal',
    roles: MANAGERS,
    scope: null,
    description: "The organization's API credentials (prefix, scopes, status; never secrets).",
  }),
  mutation({
    name: 'createApiCredential',
    status: 'internal',
    roles: MANAGERS,
    scope: null,
    description: 'Creates an org-scoped API credential; its secret is returned once.',
    audit: ['credential.created'],
  }),
  mutation({
    name: 'rotateApiCredential',
    status: 'internal',
    roles: MANAGERS,
    scope: null,
    description: 'Issues a replacement secret; the old one keeps working for a grace period (at most 24 h).',
    audit: ['credential.rotated'],
  }),
  mutation({
    name: 'revokeApiCredential',
    status: 'internal',
    roles: MANAGERS,
    scope: null,
    description: 'Revokes a credential immediately.',
    audit: ['credential.revoked'],
  }),

  // ── members (never callable with a credential; ADMINs cannot touch OWNER memberships) ──
  query({ name: 'members', status: 'internal', roles: MANAGERS, scope: null, description: "The organization's staff and their roles." }),
  mutation({
    name: 'updateMyProfile',
    status: 'internal',
    roles: ALL_ROLES,
    scope: null,
    description: "Sets the signed-in staff member's own name, alert phone and which alerts they want texted to it.",
    audit: ['member.profile_updated'],
  }),
  mutation({
    name: 'setMemberOnCall',
    status: 'internal',
    roles: MANAGERS,
    scope: null,
    description: 'Marks a member on call: after business hours only members on call get staff alerts.',
    audit: ['member.on_call_changed'],
  }),
  mutation({
    name: 'resetMemberPassword',
    status: 'internal',
    roles: MANAGERS,
    scope: null,
    description: 'Issues a one-time set-password token for a member who is locked out. ADMINs cannot reset OWNERs.',
    audit: ['member.password_reset'],
  }),
  query({
    name: 'notices',
    status: 'internal',
    roles: MANAGERS,
    scope: null,
    description: 'Standing dashboard notices for managers: an outbound webhook endpoint disabled, carriers filtering a tracking line.',
  }),
  mutation({
    name: 'dismissNotice',
    status: 'internal',
    roles: MANAGERS,
    scope: null,
    description: 'Dismisses a dashboard notice for the whole organization.',
    audit: ['notice.dismissed'],
  }),
  query({
    name: 'staffAlerts',
    status: 'internal',
    roles: MANAGERS,
    scope: null,
    description: 'Every SMS alert sent to staff phones (missed calls, replies, overdue callbacks) and whether it went out.',
  }),
  mutation({
    name: 'inviteMember',
    status: 'internal',
    roles: MANAGERS,
    scope: null,
    description: 'Adds a staff member; a new user gets a one-time set-password token to pass on. Only an OWNER can grant OWNER.',
    audit: ['member.invited'],
  }),
  mutation({
    name: 'updateMemberRole',
    status: 'internal',
    roles: MANAGERS,
    scope: null,
    description: "Changes a member's role. ADMINs cannot change OWNERs; the last OWNER cannot be demoted.",
    audit: ['member.role_changed'],
  }),
  mutation({
    name: 'removeMember',
    status: 'internal',
    roles: MANAGERS,
    scope: null,
    description: 'Removes a member from the organization. ADMINs cannot remove OWNERs; the last OWNER cannot be removed.',
    audit: ['member.removed'],
  }),
];

/**
 * Object types whose fields may be read once the operation returning them was
 * allowed. Everything else is denied (shield's fallback rule): a new type is
 * listed here deliberately, after checking it exposes nothing its operations'
 * permissions would not.
 */
export const RESULT_TYPES: readonly string[] = [
  'Viewer',
  'ViewerOrganization',
  'ViewerCredential',
  'ViewerMembership',
  'PageInfo',
  'Member',
  'MemberConnection',
  'MemberInvitation',
  'SetPasswordResult',
  'SetPasswordTarget',
  'SetPasswordGrant',
  'StaffAlert',
  'StaffAlertConnection',
  'Notice',
  'ApiCredential',
  'ApiCredentialConnection',
  'IssuedApiCredential',
  'AuditEntry',
  'AuditEntryConnection',
  'Lead',
  'LeadConnection',
  'InboxUpdate',
  'LeadEvent',
  'LeadEventConnection',
  'Message',
  'MessageConnection',
  'Callback',
  'CallbackConnection',
  'StaffUser',
  'Settings',
  'BusinessHoursDay',
  'OpeningInterval',
  'TemplatePreviews',
  'TemplatePreview',
  'TrackingLine',
  'Stats',
  'DailyCount',
  'Billing',
  'BillingRecord',
  'BillingRecordConnection',
  'BillingSession',
  'WebhookLog',
  'SentMessage',
  'WebhookLogConnection',
  'WebhookEndpoint',
  'CreatedWebhookEndpoint',
  'RotatedWebhookEndpointSecret',
  'WebhookDelivery',
  'WebhookDeliveryConnection',
  'WebhookAttempt',
];

/**
 * The resource each object type belongs to, named by the query that reads it.
 * A field of one resource's type that returns another resource's type (directly
 * or as a connection) is an edge, and reading it needs that query's permission
 * whichever operation reached it: `Callback.lead` needs what `lead` needs, in
 * `callbacks { nodes { lead } }` and in `completeCallback { lead }` alike. The
 * shield derives the edges from the schema with this map (resourceEdges in
 * shield.ts). Types not listed are parts of whatever returned them (a
 * connection, Viewer, Settings' business hours, a mutation's payload).
 */
export const RESOURCE_OF_TYPE: Readonly<Record<string, string>> = {
  Lead: 'lead',
  LeadEvent: 'lead',
  Message: 'lead',
  Callback: 'callbacks',
  Settings: 'settings',
  TrackingLine: 'trackingLines',
  Stats: 'stats',
  AuditEntry: 'auditEntries',
  WebhookLog: 'webhookLogs',
  Billing: 'billing',
  BillingRecord: 'billing',
  Member: 'members',
  ApiCredential: 'apiCredentials',
};

const byName = new Map(PERMISSIONS.map((row) => [row.name, row]));

export function permissionFor(operation: string): OperationPermission | undefined {
  return byName.get(operation);
}

/** Whether an API credential can ever call the operation (with the right scope). */
export function credentialsMayCall(row: OperationPermission): boolean {
  return row.status === 'protected' || row.status === 'planned';
}
