// graphql-shield rules generated from the permission table. Deny by default:
// root fields without a row are denied at run time, and a schema in which an
// object type outside RESULT_TYPES is reachable is refused when it is built.
// Only root fields and edges between resources are wrapped: every other field
// is reachable only through a guarded root field (checked at build time), and
// wrapping each of them made every field of a response a promise (~2 ms of CPU
// on a 50-lead page, BENCHMARKS.md). Edges are guarded by edgeGuard, the same
// decision without shield's promises.
// Rules return (never throw) typed GraphQL errors that say what is missing, and
// never cache (shield's `contextual` cache ignored arguments once: a hole).
import {
  GraphQLError,
  getNamedType,
  isAbstractType,
  isObjectType,
  type GraphQLFieldResolver,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLResolveInfo,
  type GraphQLSchema,
} from 'graphql';
import type { IMiddlewareFieldMap, IMiddlewareFunction } from 'graphql-middleware';
import { deny, rule, shield, type IRules } from 'graphql-shield';
import type { GraphQLContext } from '../graphql/context';
import type { Identity, IdentityProblem } from '../common/identity';
import { isClientError, MaskedInternalError } from '../graphql/errors';
import { RESOURCE_OF_TYPE, RESULT_TYPES, permissionFor, type OperationPermission } from './permissions';

const ROOT_KINDS: Record<string, OperationPermission['kind']> = { Query: 'query', Mutation: 'mutation', Subscription: 'subscription' };

/**
 * The decision for one operation and caller: true, or the error to answer with.
 * Pure, so the shield, the docs and the tests all read the same logic.
 */
export function decideAccess(row: OperationPermission, identity: Identity | null, problem: IdentityProblem | null = null): true | GraphQLError {
  if (row.status === 'public') return true;
  if (row.status === 'planned') return forbidden(`${row.name} is not available yet`, { operation: row.name });
  if (!identity) {
    const message =
      problem === 'invalid_credential'
        ? 'The Bearer credential is malformed, unknown, expired or revoked'
        : problem === 'credential_of_other_mode'
          ? 'The Bearer credential belongs to the other integration mode: live servers accept only cs_live_ credentials, sandbox servers only cs_test_ ones'
          : problem === 'invalid_session'
            ? 'The session has ended (signed out, idle or expired); sign in again'
            : 'Sign in or send an API credential as a Bearer token';
    return new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', operation: row.name } });
  }
  if (identity.kind === 'credential') {
    if (row.status === 'internal') {
      return forbidden(`${row.name} is for signed-in staff only; API credentials cannot call it`, {
        operation: row.name,
        requiredIdentity: 'session',
      });
    }
    if (row.scope === null || identity.scopes.includes(row.scope)) return true;
    return forbidden(`This credential lacks the scope ${row.scope}, which ${row.name} needs`, {
      operation: row.name,
      requiredScope: row.scope,
    });
  }
  if (row.roles === 'any') return true;
  if (identity.role && row.roles.includes(identity.role)) return true;
  const needed = row.roles.join(', ');
  return forbidden(
    identity.role
      ? `${row.name} needs one of the roles ${needed}; you are ${identity.role}`
      : `${row.name} needs one of the roles ${needed}; you are not a member of this organization`,
    { operation: row.name, requiredRoles: [...row.roles] },
  );
}

/**
 * The decision for an operation's root fields before it runs, as the shield
 * would decide each of them. Subscriptions need it: graphql-middleware wraps a
 * Subscription field's resolve (run once per event), not its subscribe, so the
 * shield alone would let a refused caller open a stream and get an error per
 * event instead of a refusal. Empty when every field is allowed.
 */
export function operationAccessErrors(
  kind: OperationPermission['kind'],
  rootFields: readonly string[],
  identity: Identity | null,
  problem: IdentityProblem | null = null,
): GraphQLError[] {
  const errors: GraphQLError[] = [];
  for (const field of rootFields) {
    if (field === '__typename') continue;
    const row = permissionFor(field);
    // No row, wrong kind or still "planned": what the fallback rule says.
    if (!row || row.kind !== kind || row.status === 'planned') {
      errors.push(forbidden(`${field} is not open to any identity`, { operation: field }));
      continue;
    }
    const decision = decideAccess(row, identity, problem);
    if (decision !== true) errors.push(decision);
  }
  return errors;
}

function forbidden(message: string, extensions: Record<string, unknown>): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'FORBIDDEN', ...extensions } });
}

/** A field leading from one resource to another, and the operation whose permission reading it needs. */
export interface ResourceEdge {
  type: string;
  field: string;
  needs: OperationPermission;
}

/** Every edge between resources in the schema (see RESOURCE_OF_TYPE), derived, never listed by hand. */
export function resourceEdges(schema: GraphQLSchema): ResourceEdge[] {
  const edges: ResourceEdge[] = [];
  for (const [typeName, resource] of Object.entries(RESOURCE_OF_TYPE)) {
    const type = schema.getType(typeName);
    if (!type || !isObjectType(type)) continue;
    for (const field of Object.values(type.getFields())) {
      const target = RESOURCE_OF_TYPE[nodeTypeOf(getNamedType(field.type)).name];
      if (!target || target === resource) continue;
      const needs = permissionFor(target);
      if (!needs) throw new Error(`RESOURCE_OF_TYPE names "${target}", which has no row in the permission table`);
      edges.push({ type: typeName, field: field.name, needs });
    }
  }
  return edges;
}

/** A connection's node type (`LeadConnection` -> `Lead`); any other type as it is. */
function nodeTypeOf(type: GraphQLNamedType): GraphQLNamedType {
  if (!isObjectType(type) || !type.name.endsWith('Connection')) return type;
  const nodes = type.getFields().nodes;
  return nodes ? getNamedType(nodes.type) : type;
}

/** The decision for an edge: the target operation's, said about the field. */
export function decideEdgeAccess(edge: ResourceEdge, identity: Identity | null, problem: IdentityProblem | null = null): true | GraphQLError {
  const decision = decideAccess(edge.needs, identity, problem);
  if (decision === true) return true;
  const field = `${edge.type}.${edge.field}`;
  return new GraphQLError(`${field} is ${edge.needs.name} data: ${decision.message}`, { extensions: { ...decision.extensions, field } });
}

/** The rule tree for a built schema: one rule per served operation (edges: edgeGuard; other fields of result types are not wrapped). */
export function permissionRules(schema: GraphQLSchema): IRules {
  const tree: Record<string, Record<string, IRules>> = {};
  for (const [typeName, kind] of Object.entries(ROOT_KINDS)) {
    const type = schema.getType(typeName);
    if (!type || !isObjectType(type)) continue;
    const fields: Record<string, IRules> = {};
    for (const field of Object.keys(type.getFields())) {
      const row = permissionFor(field);
      // No row, wrong kind or still "planned": left to the fallback rule (deny).
      if (!row || row.kind !== kind || row.status === 'planned') continue;
      fields[field] = rule(`operation:${row.name}`, { cache: 'no_cache' })((_parent: unknown, _args: unknown, context: GraphQLContext) =>
        decideAccess(row, context.identity, context.identityProblem),
      );
    }
    tree[typeName] = fields;
  }
  return tree as IRules;
}

/**
 * Refuses a schema in which an object type outside RESULT_TYPES can be reached
 * from a root field, or a root type can be reached from another type: with
 * only root fields (and edges) wrapped, this is what keeps deny-by-default for
 * every other type. Returns each result type with the first path that reaches it.
 */
export function checkReachableTypes(schema: GraphQLSchema): Map<string, string> {
  const roots = new Set(Object.keys(ROOT_KINDS));
  const reached = new Map<string, string>();
  const queue: { type: GraphQLObjectType; path: string }[] = [];
  const visit = (named: GraphQLNamedType, path: string) => {
    const objects = isAbstractType(named) ? schema.getPossibleTypes(named) : isObjectType(named) ? [named] : [];
    for (const type of objects) {
      if (roots.has(type.name)) throw new Error(`${path} returns the root type ${type.name}: root fields are the only guarded entry points`);
      if (reached.has(type.name)) continue;
      if (!RESULT_TYPES.includes(type.name)) {
        throw new Error(`${type.name} is reachable (${path}) but not listed in RESULT_TYPES (access/permissions.ts): list it after checking what it exposes`);
      }
      reached.set(type.name, path);
      queue.push({ type, path });
    }
  };
  for (const rootName of roots) {
    const root = schema.getType(rootName);
    if (!root || !isObjectType(root)) continue;
    for (const field of Object.values(root.getFields())) visit(getNamedType(field.type), `${rootName}.${field.name}`);
  }
  for (let next = queue.shift(); next; next = queue.shift()) {
    const { type, path } = next;
    for (const field of Object.values(type.getFields())) visit(getNamedType(field.type), `${path} → ${type.name}.${field.name}`);
  }
  return reached;
}

/**
 * The permission middleware for a built schema: shield's rules on the root
 * fields (fallback deny for those without a row), edgeGuard on the edges,
 * nothing on the other fields (checkReachableTypes makes sure they sit behind a root field).
 */
export function permissionShield(schema: GraphQLSchema): IMiddlewareFieldMap {
  checkReachableTypes(schema);
  const everything = permissionGenerator(schema).generate(schema) as Record<string, Record<string, unknown>>;
  const kept: Record<string, Record<string, unknown>> = {};
  for (const rootName of Object.keys(ROOT_KINDS)) {
    const fields = everything[rootName];
    if (fields) kept[rootName] = fields;
  }
  for (const edge of resourceEdges(schema)) (kept[edge.type] ??= {})[edge.field] = edgeGuard(edge);
  return kept as IMiddlewareFieldMap;
}

/**
 * An edge's check (decideEdgeAccess) on every call, with errors treated as the
 * shield treats them (keptOrMasked), but no promise of its own: a value the
 * resolver has at hand (a lead's callbacks read along with its page,
 * leads/lead-page.loaders.ts) stays a value, and graphql-js completes a page of leads
 * without a promise per lead, as shield's asynchronous rules made it.
 */
function edgeGuard(edge: ResourceEdge): IMiddlewareFunction {
  // graphql-middleware's type asks for a promise; it hands the result on as it is.
  const guard = (
    resolve: GraphQLFieldResolver<unknown, GraphQLContext>,
    parent: unknown,
    args: Record<string, unknown>,
    context: GraphQLContext,
    info: GraphQLResolveInfo,
  ) => {
    const decision = decideEdgeAccess(edge, context.identity, context.identityProblem);
    if (decision !== true) return decision;
    let result: unknown;
    try {
      result = resolve(parent, args, context, info);
    } catch (error) {
      throw keptOrMasked(error);
    }
    return isPromise(result)
      ? result.then(undefined, (error: unknown) => {
          throw keptOrMasked(error);
        })
      : result;
  };
  return guard as IMiddlewareFunction;
}

/** A resolver's typed error keeps its code; anything else is masked (and logged) at the edge. */
function keptOrMasked(error: unknown): Error {
  return isClientError(error) ? (error as Error) : new MaskedInternalError(error);
}

function isPromise(value: unknown): value is Promise<unknown> {
  return typeof (value as Promise<unknown> | null)?.then === 'function';
}

function permissionGenerator(schema: GraphQLSchema) {
  return shield(permissionRules(schema), {
    fallbackRule: deny,
    allowExternalErrors: false,
    debug: false,
    fallbackError: (error: unknown, _parent: unknown, _args: unknown, _context: unknown, info: GraphQLResolveInfo) => {
      // A rule said no without saying why: only the fallback rule does that.
      if (error === null || error === undefined) {
        return forbidden(`${info.parentType.name}.${info.fieldName} is not open to any identity`, {});
      }
      return keptOrMasked(error);
    },
  });
}
