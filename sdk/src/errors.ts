// The SDK's error classes, one per `extensions.code` (docs/api-conventions.md) plus the
// transport failures. Programs branch on the class (or on `code`); every error
// carries the request id to quote to support.

/**
 * Every `extensions.code` the server sends: the client codes of
 * server/src/graphql/errors.ts (CLIENT_ERROR_CODES) plus INTERNAL_SERVER_ERROR.
 * sdk/test/error-codes.test.ts fails when the server gains a code this list lacks.
 */
export const SERVER_ERROR_CODES = [
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
  'IDEMPOTENCY_KEY_REUSED',
  'IDEMPOTENCY_KEY_IN_USE',
  'IDEMPOTENT_RESPONSE_UNAVAILABLE',
  'INTERNAL_SERVER_ERROR',
] as const;

/** An `extensions.code` the server sends. */
export type ServerErrorCode = (typeof SERVER_ERROR_CODES)[number];

/** The SDK's own codes: no usable answer, an aborted attempt, an HTTP error without a GraphQL answer, or a code this SDK version does not know. */
export type ClientErrorCode = 'NETWORK_ERROR' | 'TIMEOUT' | 'HTTP_ERROR' | 'UNKNOWN';

/** `CallSnareError.code`: a server code or one of the SDK's own. */
export type ErrorCode = ServerErrorCode | ClientErrorCode;

const serverCodes: ReadonlySet<string> = new Set(SERVER_ERROR_CODES);

function isServerErrorCode(code: unknown): code is ServerErrorCode {
  return typeof code === 'string' && serverCodes.has(code);
}

/** One GraphQL error as the server sent it. */
export interface GraphQLErrorPayload {
  message: string;
  path?: ReadonlyArray<string | number>;
  locations?: ReadonlyArray<{ line: number; column: number }>;
  extensions?: Record<string, unknown>;
}

export interface CallSnareErrorDetails {
  /**
   * `extensions.code` of the first GraphQL error, or the SDK's own code (NETWORK_ERROR, TIMEOUT, HTTP_ERROR;
   * UNKNOWN for a code this SDK version does not know: the server's code stays in `extensions.code`).
   */
  code: ErrorCode;
  /** The `X-Request-Id` of the (last) attempt; null when no request id is known. */
  requestId?: string | null;
  /** HTTP status of the response; null when no response arrived. */
  status?: number | null;
  /** Every GraphQL error of the response, unchanged. */
  errors?: readonly GraphQLErrorPayload[];
  cause?: unknown;
}

/** Base class of every error the SDK throws. */
export class CallSnareError extends Error {
  readonly code: ErrorCode;
  readonly requestId: string | null;
  readonly status: number | null;
  readonly errors: readonly GraphQLErrorPayload[];

  constructor(message: string, details: CallSnareErrorDetails) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.code = details.code;
    this.requestId = details.requestId ?? null;
    this.status = details.status ?? null;
    this.errors = details.errors ?? [];
  }

  /** The server's `extensions` of the first GraphQL error ({} when there is none). */
  get extensions(): Record<string, unknown> {
    return this.errors[0]?.extensions ?? {};
  }
}

/** UNAUTHENTICATED: the API key is missing, malformed, unknown, expired or revoked. */
export class AuthenticationError extends CallSnareError {}

/** FORBIDDEN: the credential lacks a scope (see `requiredScope`), or the operation is for staff sessions only. */
export class ForbiddenError extends CallSnareError {
  /** The scope the credential would need, e.g. "leads:write"; null when no scope can grant it. */
  readonly requiredScope: string | null;
  /** For staff sessions: the roles that may call the operation. */
  readonly requiredRoles: readonly string[] | null;
  /** The operation that was refused, e.g. "updateLead". */
  readonly operation: string | null;

  constructor(message: string, details: CallSnareErrorDetails) {
    super(message, details);
    const extensions = this.extensions;
    this.requiredScope = typeof extensions.requiredScope === 'string' ? extensions.requiredScope : null;
    this.requiredRoles = Array.isArray(extensions.requiredRoles) ? extensions.requiredRoles.map(String) : null;
    this.operation = typeof extensions.operation === 'string' ? extensions.operation : null;
  }
}

/** NOT_FOUND: no such record in the credential's organization. */
export class NotFoundError extends CallSnareError {}

/** BAD_USER_INPUT: the arguments were refused; `fields` says which and why. */
export class ValidationError extends CallSnareError {
  /** Field name -> problem, e.g. { first: "must be 1–100" }; {} when the server named no field. */
  readonly fields: Readonly<Record<string, string>>;

  constructor(message: string, details: CallSnareErrorDetails) {
    super(message, details);
    const fields = this.extensions.fields;
    this.fields =
      fields && typeof fields === 'object' && !Array.isArray(fields)
        ? Object.fromEntries(Object.entries(fields).map(([field, problem]) => [field, String(problem)]))
        : {};
  }
}

/**
 * CONFLICT: the change clashes with existing data (e.g. a tracking number another line already uses).
 * A record in the wrong state for the change (e.g. completing an already closed callback) is a
 * `ValidationError` whose `fields` name the refused argument (docs/api-conventions.md).
 */
export class ConflictError extends CallSnareError {}

/** RATE_LIMITED (HTTP 429), after the SDK's retries were used up. */
export class RateLimitedError extends CallSnareError {
  /** How long the server asked to wait before the next request. */
  readonly retryAfterSeconds: number;

  constructor(message: string, details: CallSnareErrorDetails & { retryAfterSeconds: number }) {
    super(message, details);
    this.retryAfterSeconds = details.retryAfterSeconds;
  }
}

/** No usable answer: connection refused, DNS failure, reset connection, or an aborted request. */
export class NetworkError extends CallSnareError {}

/** The request took longer than `timeoutMs` and was aborted. */
export class TimeoutError extends NetworkError {
  readonly timeoutMs: number;

  constructor(message: string, details: CallSnareErrorDetails & { timeoutMs: number }) {
    super(message, details);
    this.timeoutMs = details.timeoutMs;
  }
}

/** INTERNAL_SERVER_ERROR, or an HTTP 5xx without a GraphQL answer (after retries, where allowed). */
export class ServerError extends CallSnareError {}

/** The error class for a GraphQL error code (unknown codes get the base class). */
export function errorFromGraphQL(
  errors: readonly GraphQLErrorPayload[],
  context: { requestId: string | null; status: number | null; retryAfterSeconds?: number | null },
): CallSnareError {
  const first = errors[0];
  const code: ErrorCode = isServerErrorCode(first?.extensions?.code) ? first.extensions.code : 'UNKNOWN';
  const message = first?.message ?? 'The server answered with an error';
  const details: CallSnareErrorDetails = { code, requestId: context.requestId, status: context.status, errors };
  switch (code) {
    case 'UNAUTHENTICATED':
      return new AuthenticationError(message, details);
    case 'FORBIDDEN':
      return new ForbiddenError(message, details);
    case 'NOT_FOUND':
      return new NotFoundError(message, details);
    case 'BAD_USER_INPUT':
      return new ValidationError(message, details);
    case 'CONFLICT':
      return new ConflictError(message, details);
    case 'RATE_LIMITED': {
      const fromBody = Number(first?.extensions?.retryAfterSeconds);
      const retryAfterSeconds = context.retryAfterSeconds ?? (Number.isFinite(fromBody) ? fromBody : 60);
      return new RateLimitedError(message, { ...details, retryAfterSeconds });
    }
    case 'INTERNAL_SERVER_ERROR':
      return new ServerError(message, details);
    default:
      return new CallSnareError(message, details);
  }
}
