// The public action catalog (/actions.json): every operation of the permission
// table with its status, who may call it and what it records. Generated, never
// hand-written, so it cannot drift from what the shield enforces.
import type { Config } from '../config';
import { ROLES, ROLE_DESCRIPTIONS, SCOPES, SCOPE_DESCRIPTIONS } from '../access/scopes';
import { OPERATION_STATUSES, PERMISSIONS, credentialsMayCall, type OperationPermission } from '../access/permissions';
import { SESSION_COOKIE } from '../access/sessions';
import { PLANNED_CAPABILITIES, SHIPPED_CAPABILITIES, type PlannedCapability } from './roadmap';

export interface CatalogAction {
  name: string;
  kind: OperationPermission['kind'] | PlannedCapability['kind'];
  status: OperationPermission['status'];
  /** Which identities can call it: none needed (public), staff sessions, API credentials. */
  identities: ('session' | 'credential')[];
  /** Staff roles allowed (all four when any signed-in user may call it). */
  roles: string[];
  /** False when a signed-in user needs no particular role (viewer, signOut, switchOrganization). */
  roleRequired: boolean;
  /** The scope a credential needs; null when no credential may call it, or any credential may. */
  scope: string | null;
  description: string;
  audit: string[];
}

export function catalogAction(row: OperationPermission): CatalogAction {
  const identities: CatalogAction['identities'] = row.status === 'public' ? [] : credentialsMayCall(row) ? ['session', 'credential'] : ['session'];
  return {
    name: row.name,
    kind: row.kind,
    status: row.status,
    identities,
    roles: row.roles === 'any' ? [...ROLES] : [...row.roles],
    roleRequired: row.status !== 'public' && row.roles !== 'any',
    scope: row.scope,
    description: row.description,
    audit: [...row.audit],
  };
}

/** A roadmap item (status planned) in the catalog's shape: the access it will need once served. */
export function plannedCatalogAction(item: PlannedCapability, status: 'planned' | 'protected' = 'planned'): CatalogAction {
  return {
    name: item.name,
    kind: item.kind,
    status,
    identities: item.roles.length ? ['session', 'credential'] : [],
    roles: [...item.roles],
    roleRequired: item.roles.length > 0,
    scope: item.scope,
    description: item.description,
    audit: [],
  };
}

export function actionCatalog(config: Pick<Config, 'publicBaseUrl' | 'integrationMode'>) {
  const base = config.publicBaseUrl;
  return {
    name: 'CallSnare',
    description: 'Missed-call recovery for residential HVAC shops: missed calls become leads, text-backs and callbacks on a staff queue.',
    endpoint: `${base}/graphql`,
    schema: `${base}/schema.graphql`,
    docs: `${base}/docs`,
    authentication: {
      session: {
        for: 'staff in the dashboard',
        obtain: 'mutation signIn(email, password)',
        cookie: `${SESSION_COOKIE} (HttpOnly, SameSite=Lax)`,
      },
      credential: {
        for: 'partners, integrations and agents',
        obtain: 'an OWNER or ADMIN creates one in the dashboard (createApiCredential) or with `callsnare credential create`',
        header: 'Authorization: Bearer <secret>',
        format: config.integrationMode === 'live' ? 'cs_live_… (this server is in live mode)' : 'cs_test_… (this server is in sandbox mode)',
      },
      csrf: 'POST application/json (or send apollo-require-preflight: true); simple GET queries are refused',
    },
    errors: ['UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'BAD_USER_INPUT', 'RATE_LIMITED', 'INTERNAL_SERVER_ERROR'],
    statuses: OPERATION_STATUSES,
    roles: ROLES.map((name) => ({ name, description: ROLE_DESCRIPTIONS[name] })),
    scopes: SCOPES.map((name) => ({ name, description: SCOPE_DESCRIPTIONS[name] })),
    actions: [
      ...PERMISSIONS.map(catalogAction),
      // Shipped headers and filter fields: protected, with the access of the operation they are used with.
      ...SHIPPED_CAPABILITIES.map((item) => plannedCatalogAction(item, 'protected')),
      ...PLANNED_CAPABILITIES.map((item) => plannedCatalogAction(item)),
    ],
  };
}
