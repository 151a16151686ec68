// Capabilities on the roadmap: in the published contract, not served yet. Listed in
// /actions.json and /docs/actions with status `planned`; when one ships it leaves this
// list and gets its row in the permission table (access/permissions.ts) as `protected`.
// server/test/discovery/roadmap.test.ts fails while a planned name is in the schema.
import type { Role } from '../generated/prisma/enums';

export interface PlannedCapability {
  name: string;
  /** Operations are queries or mutations; `header` an HTTP request header; `field` an input field (Type.field). */
  kind: 'query' | 'mutation' | 'header' | 'field';
  /** Staff roles that will be allowed; [] when it follows the operation it is used with. */
  roles: readonly Role[];
  /** The credential scope it will need; null when it follows the operation it is used with. */
  scope: string | null;
  description: string;
}

const MANAGERS: readonly Role[] = ['OWNER', 'ADMIN'];
const webhooksRead = { kind: 'query', roles: MANAGERS, scope: 'webhooks:read' } as const;
const webhooksWrite = { kind: 'mutation', roles: MANAGERS, scope: 'webhooks:write' } as const;

export const PLANNED_CAPABILITIES: readonly PlannedCapability[] = [
  { name: 'webhookEndpoints', ...webhooksRead, description: "Outbound webhooks: your organization's endpoints, with the events each receives." },
  {
    name: 'createWebhookEndpoint',
    ...webhooksWrite,
    description: 'Outbound webhooks: add an endpoint (https URL, events); its whsec_ signing secret is shown once.',
  },
  { name: 'updateWebhookEndpoint', ...webhooksWrite, description: "Outbound webhooks: change an endpoint's URL, events, description or enabled flag." },
  { name: 'deleteWebhookEndpoint', ...webhooksWrite, description: 'Outbound webhooks: remove an endpoint; nothing more is delivered to it.' },
  {
    name: 'rotateWebhookEndpointSecret',
    ...webhooksWrite,
    description: "Outbound webhooks: replace an endpoint's signing secret; the new one is shown once.",
  },
  {
    name: 'webhookDeliveries',
    ...webhooksRead,
    description: 'Outbound webhooks: every delivery attempt (event, status, attempts, last HTTP status, next retry), filtered and paginated.',
  },
  { name: 'redeliverWebhook', ...webhooksWrite, description: 'Outbound webhooks: send a delivery again now, whatever its status.' },
  {
    name: 'Idempotency-Key',
    kind: 'header',
    roles: [],
    scope: null,
    description: 'On POST /graphql mutations: the same key, identity and body within 24 h returns the stored response and does nothing again.',
  },
];
