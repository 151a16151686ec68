// Rejects abusive queries before they execute, and keeps error output safe:
// - GraphQL Armor: depth, aliases, directives and token limits (validation);
// - a list-aware cost limit: each list multiplies the cost of what it selects by
//   the number of items it may return (`first`, or a fixed bound), so
//   `leads(first: 100) { nodes { events(first: 100) … } }` is priced as 10,000 rows;
// - "Did you mean …" field suggestions only for identified callers (discovery is
//   public through the schema, not through guessing);
// - unexpected errors logged once, with the request id, before they are masked.
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { ApolloServerPlugin } from '@apollo/server';
import {
  getNamedType,
  getNullableType,
  GraphQLError,
  isListType,
  isObjectType,
  isInterfaceType,
  Kind,
  type GraphQLOutputType,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
  type ValidationContext,
  type ASTVisitor,
  OperationTypeNode,
} from 'graphql';
import type { Logger } from '../logger';
import type { GraphQLContext } from './context';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../db/pagination';
import { isClientError, MaskedInternalError } from './errors';
import { unwrapResolverError } from '@apollo/server/errors';

export const QUERY_LIMITS = {
  maxDepth: 10,
  maxAliases: 15,
  maxDirectives: 10,
  maxTokens: 2000,
  /** Roughly: fields that may be returned. leads(first: 100) with 5 events each is ~4,000. */
  maxCost: 20_000,
  /** Items assumed for a list field without `first` (a lead's callbacks, tracking lines, roles…). */
  unboundedListSize: 10,
} as const;

export function queryArmor() {
  return new ApolloArmor({
    maxDepth: { n: QUERY_LIMITS.maxDepth, flattenFragments: true },
    maxAliases: { n: QUERY_LIMITS.maxAliases },
    maxDirectives: { n: QUERY_LIMITS.maxDirectives },
    // Armor's token limit parses in a plugin hook, where any syntax error becomes an
    // "unexpected" HTTP 500; graphql-js counts tokens in the one real parse instead
    // (queryParseOptions), and a failed parse is Apollo's 400 GRAPHQL_PARSE_FAILED.
    maxTokens: { enabled: false },
    // Replaced by the list-aware cost below, and by anonymous-only suggestion hiding.
    costLimit: { enabled: false },
    blockFieldSuggestion: { enabled: false },
  }).protect();
}

/** For ApolloServer `parseOptions`: parsing stops at the token limit (errors.ts names it QUERY_TOO_COMPLEX). */
export const queryParseOptions = { maxTokens: QUERY_LIMITS.maxTokens } as const;

/**
 * graphql-js 16 validates a `subscription` (or `mutation`) against a schema without
 * that root type and only fails when executing it, which Apollo reports as an
 * internal error. Refused here instead, as the invalid request it is.
 */
export function knownOperationTypesRule(context: ValidationContext): ASTVisitor {
  return {
    OperationDefinition(node) {
      const schema = context.getSchema();
      const root = { query: schema.getQueryType(), mutation: schema.getMutationType(), subscription: schema.getSubscriptionType() }[node.operation];
      if (!root) {
        context.reportError(new GraphQLError(`This API has no ${node.operation} operations.`, { nodes: [node] }));
      }
    },
  };
}

/** Estimated cost of an operation: every field counts 1, multiplied by the sizes of the lists around it. */
export function operationCost(
  operation: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
  isListField: (parentPath: string[], field: FieldNode) => boolean,
): number {
  const visit = (selectionSet: SelectionSetNode | undefined, path: string[], seen: Set<string>): number => {
    if (!selectionSet) return 0;
    let total = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value.startsWith('__')) continue;
        const children = visit(selection.selectionSet, [...path, selection.name.value], seen);
        const multiplier = listSize(selection, variables, isListField(path, selection));
        total += 1 + multiplier * children;
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        total += visit(selection.selectionSet, path, seen);
      } else {
        const name = selection.name.value;
        // A fragment cycle is invalid GraphQL anyway; never loop on it.
        if (seen.has(name) || !fragments[name]) continue;
        total += visit(fragments[name].selectionSet, path, new Set([...seen, name]));
      }
    }
    return total;
  };
  return visit(operation.selectionSet, [], new Set());
}

function listSize(field: FieldNode, variables: Record<string, unknown>, isList: boolean): number {
  const first = field.arguments?.find((argument) => argument.name.value === 'first');
  if (first) {
    const value = valueOf(first.value, variables);
    return typeof value === 'number' && value > 0 ? Math.min(value, MAX_PAGE_SIZE) : DEFAULT_PAGE_SIZE;
  }
  // A connection's `nodes` are already counted by the connection's `first`.
  if (field.name.value === 'nodes') return 1;
  return isList ? QUERY_LIMITS.unboundedListSize : 1;
}

function valueOf(node: ValueNode, variables: Record<string, unknown>): unknown {
  if (node.kind === Kind.INT) return Number(node.value);
  if (node.kind === Kind.VARIABLE) return variables[node.name.value];
  return undefined;
}

/** QUERY_TOO_COMPLEX when the operation's estimated cost is over the limit; null otherwise. */
export function costLimitError(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): GraphQLError | null {
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
  }
  // A field returns a list when its schema type (through non-null) is a list.
  const rootType =
    operation.operation === OperationTypeNode.MUTATION
      ? schema.getMutationType()
      : operation.operation === OperationTypeNode.SUBSCRIPTION
        ? schema.getSubscriptionType()
        : schema.getQueryType();
  const isListField = (path: string[], field: FieldNode): boolean => {
    let parent = rootType ? getNamedType(rootType) : null;
    let type: GraphQLOutputType | undefined;
    for (const name of [...path, field.name.value]) {
      if (!parent || !(isObjectType(parent) || isInterfaceType(parent))) return false;
      type = parent.getFields()[name]?.type;
      if (!type) return false;
      parent = getNamedType(type);
    }
    return type !== undefined && isListType(getNullableType(type));
  };
  const cost = operationCost(operation, fragments, variables, isListField);
  if (cost <= QUERY_LIMITS.maxCost) return null;
  return new GraphQLError(
    `Query is too expensive: estimated cost ${cost} exceeds ${QUERY_LIMITS.maxCost}. Ask for fewer items (first) or fewer nested lists, and page.`,
    { extensions: { code: 'QUERY_TOO_COMPLEX', cost, maxCost: QUERY_LIMITS.maxCost, http: { status: 400 } } },
  );
}

/** Apollo plugin: the cost limit, suggestion hiding and internal-error logging. */
export function queryLimitsPlugin(logger: Logger): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, request, schema }) {
          if (!operation) return;
          const tooExpensive = costLimitError(schema, document, operation, request.variables ?? {});
          if (tooExpensive) throw tooExpensive;
        },
        async didEncounterErrors({ errors, contextValue }) {
          for (const error of errors) {
            const original = unwrapResolverError(error);
            if (isClientError(original) || isClientError(error)) continue;
            const cause = original instanceof MaskedInternalError ? original.original : original;
            logger.error({ err: cause, requestId: contextValue.request.requestId, path: error.path }, 'graphql: internal error (masked for the client)');
          }
        },
        async willSendResponse({ response, contextValue }) {
          if (contextValue.identity || response.body.kind !== 'single') return;
          for (const error of response.body.singleResult.errors ?? []) {
            if (/Did you mean/.test(error.message)) {
              (error as { message: string }).message = error.message.replace(/\s*Did you mean .*$/, '');
            }
          }
        },
      };
    },
  };
}
