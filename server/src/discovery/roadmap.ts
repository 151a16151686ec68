// Capabilities on the roadmap: in the published contract, not served yet. Listed in
// /actions.json and /docs/actions with status `planned`; when one ships it leaves this
// list and gets its row in the permission table (access/permissions.ts) as `protected`,
// or, when it is no operation (a header, a filter field), moves to SHIPPED_CAPABILITIES.
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

export const PLANNED_CAPABILITIES: readonly PlannedCapability[] = [];

/**
 * Served capabilities that are no operation of their own (a request header, a filter
 * field): listed as `protected`, with the access of the operation they are used with.
 */
export const SHIPPED_CAPABILITIES: readonly PlannedCapability[] = [
  {
    name: 'Idempotency-Key',
    kind: 'header',
    roles: [],
    scope: null,
    description:
      'On POST /graphql mutations: the same key, identity and body within 24 h returns the stored response and does nothing again; another body is IDEMPOTENCY_KEY_REUSED.',
  },
  {
    name: 'LeadFilter.updatedSince',
    kind: 'field',
    roles: [],
    scope: null,
    description: 'Incremental sync: only leads changed at or after a time, oldest change first on (updatedAt, id), resumable with the cursor.',
  },
  {
    name: 'CallbackFilter.updatedSince',
    kind: 'field',
    roles: [],
    scope: null,
    description: 'Incremental sync: only callbacks changed at or after a time, oldest change first on (updatedAt, id), resumable with the cursor.',
  },
];
