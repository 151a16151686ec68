// Maps errors to what clients see, in one place: domain codes pass through,
// anything unexpected becomes INTERNAL_SERVER_ERROR with no internal detail
// (the original is logged with the request id).
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { DomainError } from '../common/errors';

export const CLIENT_ERROR_CODES = new Set([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'BAD_USER_INPUT',
  'CONFLICT',
  'RATE_LIMITED',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'QUERY_TOO_COMPLEX',
  // Idempotency-Key on mutations (api/idempotency.ts).
  'IDEMPOTENCY_KEY_REUSED',
  'IDEMPOTENCY_KEY_IN_USE',
  'IDEMPOTENT_RESPONSE_UNAVAILABLE',
]);

/**
 * An unexpected error the permission layer caught on its way out (shield runs with
 * allowExternalErrors: false). Clients see INTERNAL_SERVER_ERROR; the log gets `original`.
 */
export class MaskedInternalError extends Error {
  constructor(readonly original: unknown) {
    super('Internal server error');
    this.name = 'MaskedInternalError';
  }
}

/** A typed error meant for the client: a domain error, or a GraphQL error with a client code. */
export function isClientError(error: unknown): boolean {
  if (error instanceof DomainError) return true;
  if (!(error instanceof GraphQLError)) return false;
  const code = error.extensions.code;
  return typeof code === 'string' && CLIENT_ERROR_CODES.has(code);
}

/**
 * RATE_LIMITED for GraphQL clients: the error carries retryAfterSeconds, and Apollo
 * turns `extensions.http` into the HTTP 429 status and headers of the response.
 */
export function rateLimitedError(message: string, limit: { retryAfterSeconds: number; headers?: Record<string, string> }): GraphQLError {
  const headers = new Map<string, string>(Object.entries(limit.headers ?? {}));
  headers.set('retry-after', String(limit.retryAfterSeconds));
  return new GraphQLError(message, {
    extensions: { code: 'RATE_LIMITED', retryAfterSeconds: limit.retryAfterSeconds, http: { status: 429, headers } },
  });
}

export function formatGraphQLError(formatted: GraphQLFormattedError, error: unknown, onInternal: (error: unknown) => void): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  if (original instanceof DomainError) {
    return {
      message: original.message,
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: original.code, ...original.details },
    };
  }
  const code = formatted.extensions?.code;
  const tokenLimit = code === 'GRAPHQL_PARSE_FAILED' ? tokenLimitOf(formatted.message) : null;
  if (tokenLimit !== null) {
    return {
      message: `Query is too large: more than ${tokenLimit} tokens. Split it into smaller operations.`,
      extensions: { code: 'QUERY_TOO_COMPLEX', maxTokens: tokenLimit },
    };
  }
  if (typeof code === 'string' && CLIENT_ERROR_CODES.has(code)) {
    const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, extensions };
  }
  onInternal(original instanceof MaskedInternalError ? original.original : original);
  return {
    message: 'Internal server error',
    locations: formatted.locations,
    path: formatted.path,
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  };
}

/**
 * graphql-js stops parsing at `parseOptions.maxTokens` with a syntax error; it is
 * a size limit, so clients get QUERY_TOO_COMPLEX like the other query limits.
 * (graphql 16 spells it "more that N tokens".)
 */
function tokenLimitOf(message: string): number | null {
  const match = /Document contains more tha[nt] (\d+) tokens/.exec(message);
  return match ? Number(match[1]) : null;
}
