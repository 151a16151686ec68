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

export const PLANNED_CAPABILITIES: readonly PlannedCapability[] = [
  {
    name: 'Idempotency-Key',
    kind: 'header',
    roles: [],
    scope: null,
    description: 'On POST /graphql mutations: the same key, identity and body within 24 h returns the stored response and does nothing again.',
  },
];
