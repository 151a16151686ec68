// Idempotency-Key on POST /graphql mutations (docs/decisions/0019-idempotency-keys.md).
// Per caller ("user:<id>" for a staff session, "credential:<id>" for a Bearer
// credential), kept 24 h in "IdempotencyKey":
// - the first request claims the key (an IN_PROGRESS row, guarded by the unique
//   (identity, key) constraint), runs, and stores its status and body before the
//   answer leaves;
// - the same key with the same body (query, variables, operation name) gets the
//   stored answer again, with `Idempotent-Replayed: true`, and nothing runs again;
//   a duplicate that arrives while the first still runs waits for it (bounded);
// - the same key with another body: 422 IDEMPOTENCY_KEY_REUSED;
// - an answer that did not run the mutation to the end (HTTP 5xx or 429, an
//   INTERNAL_SERVER_ERROR or RATE_LIMITED error) is not kept: the row is released
//   so a retry runs; a claim whose request died (no answer within the lease) is taken over;
// - an answer that carries a one-time secret (an API credential's or webhook
//   endpoint's secret, a set-password token) is not stored in clear: a replay
//   answers 409 IDEMPOTENT_RESPONSE_UNAVAILABLE, saying the first request succeeded.
// Queries are answered as usual (the header is only checked for shape); a
// document holding any mutation counts as a mutation. Callers without an
// organization (signing in, a user with no membership left) are not tracked.
import crypto from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { Kind, OperationTypeNode, TypeInfo, getNamedType, parse, visit, visitWithTypeInfo, type DocumentNode, type GraphQLSchema } from 'graphql';
import type { AppDeps } from '../app-deps';
import type { Identity } from '../common/identity';
import { newRowId } from '../common/ids';
import { identityOf } from '../access/identity';
import { queryParseOptions } from '../graphql/query-limits';

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
export const IDEMPOTENT_REPLAYED_HEADER = 'idempotent-replayed';
/** How long a key and its answer are kept. */
export const IDEMPOTENCY_KEY_TTL_MS = 24 * 60 * 60 * 1000;

export interface IdempotencyOptions {
  /** How long a duplicate waits for the first request before answering IDEMPOTENCY_KEY_IN_USE. Default 10 s. */
  waitMs?: number;
  /** How often a waiting duplicate looks again. Default 50 ms. */
  pollMs?: number;
  /** A claim older than this with no answer stored is taken to be dead (its process crashed) and is taken over. Default 60 s. */
  leaseMs?: number;
}

const DEFAULTS: Required<IdempotencyOptions> = { waitMs: 10_000, pollMs: 50, leaseMs: 60_000 };
/** Expired rows are deleted at most this often per process, a bounded batch at a time. */
const PURGE_INTERVAL_MS = 60_000;
const PURGE_BATCH = 500;

/** 1–255 printable ASCII characters (space to tilde). */
const VALID_KEY = /^[\x20-\x7e]{1,255}$/;

/** Output fields whose values are one-time secrets: never stored in an idempotent answer. */
const SECRET_FIELD = /secret|token/i;
/** A Stripe Checkout or billing portal URL opens that organization's billing page: treated like a secret. */
const SECRET_TYPES = new Set(['BillingSession']);

/** Errors after which the mutation did not (or may not have) run to the end: the key is released for a retry. */
const RETRYABLE_CODES = new Set(['INTERNAL_SERVER_ERROR', 'RATE_LIMITED']);

interface KeyRow {
  id: string;
  orgId: string;
  requestHash: string;
  state: 'IN_PROGRESS' | 'COMPLETED';
  responseStatus: number | null;
  responseBody: string | null;
}

/** Mount on /graphql after identifyRequest() and express.json(), before Apollo. */
export function idempotentMutations(deps: AppDeps, schema: GraphQLSchema, options: IdempotencyOptions = {}): RequestHandler {
  const settings = { ...DEFAULTS, ...options };
  const purge = { lastAt: 0 };
  return (req: Request, res: Response, next: NextFunction) => {
    const key = req.get(IDEMPOTENCY_KEY_HEADER);
    if (key === undefined) {
      next();
      return;
    }
    if (!VALID_KEY.test(key)) {
      answerError(res, 400, 'BAD_USER_INPUT', 'Idempotency-Key must be 1–255 printable ASCII characters', { field: 'Idempotency-Key' });
      return;
    }
    const request = graphQLRequestOf(req.body);
    const document = request ? parseDocument(request.query) : null;
    const { identity } = identityOf(res);
    // Not a mutation, or not one we can tell apart: Apollo answers it as usual.
    if (!request || !document || !hasMutation(document) || !identity?.orgId) {
      next();
      return;
    }
    const claim: Claim = {
      identity: identityKey(identity),
      key,
      orgId: identity.orgId,
      requestHash: requestHash(request),
      revealsSecret: selectsSecret(schema, document),
    };
    handle(deps, settings, purge, claim, req, res, next).catch((error: unknown) => {
      deps.logger.error({ err: error, requestId: req.requestId }, 'idempotency: could not claim the key');
      if (!res.headersSent) answerError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
    });
  };
}

interface Claim {
  identity: string;
  key: string;
  orgId: string;
  requestHash: string;
  revealsSecret: boolean;
}

async function handle(
  deps: AppDeps,
  settings: Required<IdempotencyOptions>,
  purge: { lastAt: number },
  claim: Claim,
  req: Request,
  res: Response,
  next: NextFunction,
): Promise<void> {
  const giveUpAt = Date.now() + settings.waitMs;
  for (;;) {
    const now = deps.clock.now();
    if (now.getTime() - purge.lastAt >= PURGE_INTERVAL_MS) {
      purge.lastAt = now.getTime();
      await purgeExpiredIdempotencyKeys(deps, now);
    }
    const claimedId = await tryClaim(deps, claim, now, settings.leaseMs);
    if (claimedId !== null) {
      storeAnswerBeforeSending(deps, claimedId, claim, req, res);
      next();
      return;
    }
    const row = await findRow(deps, claim);
    if (row === null) continue; // released or expired in between: claim again
    if (row.requestHash !== claim.requestHash || row.orgId !== claim.orgId) {
      answerError(res, 422, 'IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used with a different request; use a new key for a new request');
      return;
    }
    if (row.state === 'COMPLETED') {
      replay(res, row);
      return;
    }
    if (Date.now() >= giveUpAt) {
      res.setHeader('retry-after', '1');
      answerError(res, 409, 'IDEMPOTENCY_KEY_IN_USE', 'A request with this Idempotency-Key is still running; retry shortly', {
        retryAfterSeconds: 1,
      });
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, settings.pollMs));
  }
}

/** The row's id when this request now owns the key; null when another request holds it. */
async function tryClaim(deps: AppDeps, claim: Claim, now: Date, leaseMs: number): Promise<string | null> {
  const prisma = deps.db.prisma;
  const staleBefore = new Date(now.getTime() - leaseMs);
  // An expired key is free again; a claim that never stored an answer within the lease died with its process.
  await prisma.$executeRaw`
    DELETE FROM "IdempotencyKey"
    WHERE "identity" = ${claim.identity} AND "key" = ${claim.key}
      AND ("expiresAt" <= ${now}::timestamptz OR ("state" = 'IN_PROGRESS' AND "createdAt" <= ${staleBefore}::timestamptz))`;
  const inserted = await prisma.$queryRaw<{ id: string }[]>`
    INSERT INTO "IdempotencyKey" ("id", "identity", "key", "orgId", "requestHash", "state", "createdAt", "expiresAt")
    VALUES (${newRowId()}::uuid, ${claim.identity}, ${claim.key}, ${claim.orgId}::uuid, ${claim.requestHash},
      'IN_PROGRESS'::"IdempotencyState", ${now}::timestamptz, ${new Date(now.getTime() + IDEMPOTENCY_KEY_TTL_MS)}::timestamptz)
    ON CONFLICT ("identity", "key") DO NOTHING
    RETURNING "id"::text AS id`;
  return inserted[0]?.id ?? null;
}

async function findRow(deps: AppDeps, claim: Claim): Promise<KeyRow | null> {
  const rows = await deps.db.prisma.$queryRaw<KeyRow[]>`
    SELECT "id"::text AS id, "orgId"::text AS "orgId", "requestHash", "state"::text AS state, "responseStatus", "responseBody"
    FROM "IdempotencyKey" WHERE "identity" = ${claim.identity} AND "key" = ${claim.key}`;
  return rows[0] ?? null;
}

/**
 * Keeps Apollo's answer on the claimed row before it is sent, so a client that has
 * the answer finds the key COMPLETED on its next try (or releases the key when the
 * mutation did not run to the end). Apollo answers with one res.send → res.end.
 */
function storeAnswerBeforeSending(deps: AppDeps, rowId: string, claim: Claim, req: Request, res: Response): void {
  const originalWrite = res.write.bind(res) as (chunk: unknown, ...rest: unknown[]) => boolean;
  const originalEnd = res.end.bind(res) as (...args: unknown[]) => Response;
  const chunks: Buffer[] = [];
  const collect = (chunk: unknown, encoding: unknown) => {
    if (typeof chunk === 'string') chunks.push(Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8'));
    else if (chunk instanceof Uint8Array) chunks.push(Buffer.from(chunk));
  };
  res.write = ((chunk: unknown, ...rest: unknown[]) => {
    collect(chunk, rest[0]);
    return originalWrite(chunk, ...rest);
  }) as Response['write'];
  res.end = ((...args: unknown[]) => {
    res.end = originalEnd as Response['end'];
    if (typeof args[0] !== 'function') collect(args[0], args[1]);
    const body = Buffer.concat(chunks).toString('utf8');
    settle(deps, rowId, claim, res.statusCode, body).then(
      () => originalEnd(...args),
      (error: unknown) => {
        // The claim stays IN_PROGRESS and is taken over after the lease; the answer still goes out.
        deps.logger.error({ err: error, requestId: req.requestId }, 'idempotency: could not store the answer');
        originalEnd(...args);
      },
    );
    return res;
  }) as Response['end'];
}

async function settle(deps: AppDeps, rowId: string, claim: Claim, status: number, body: string): Promise<void> {
  const prisma = deps.db.prisma;
  const answer = parseAnswer(body);
  const ranToTheEnd = status < 500 && status !== 429 && answer !== null && !answer.errorCodes.some((code) => RETRYABLE_CODES.has(code));
  if (!ranToTheEnd) {
    await prisma.$executeRaw`DELETE FROM "IdempotencyKey" WHERE "id" = ${rowId}::uuid AND "state" = 'IN_PROGRESS'`;
    return;
  }
  // An answer with a one-time secret in it is not kept in clear; a replay says the first request succeeded.
  const stored = claim.revealsSecret && answer.hasData ? null : body;
  await prisma.$executeRaw`
    UPDATE "IdempotencyKey" SET "state" = 'COMPLETED'::"IdempotencyState", "responseStatus" = ${status}, "responseBody" = ${stored}
    WHERE "id" = ${rowId}::uuid AND "state" = 'IN_PROGRESS'`;
}

function replay(res: Response, row: KeyRow): void {
  res.setHeader(IDEMPOTENT_REPLAYED_HEADER, 'true');
  if (row.responseBody === null) {
    answerError(
      res,
      409,
      'IDEMPOTENT_RESPONSE_UNAVAILABLE',
      'The first request with this Idempotency-Key succeeded, but its answer held a one-time secret, which CallSnare does not keep. Read the result with a query, or make a new request with a new key.',
    );
    return;
  }
  res
    .status(row.responseStatus ?? 200)
    .type('application/json; charset=utf-8')
    .send(row.responseBody);
}

/** Deletes up to a batch of expired keys (the (expiresAt) index finds them). */
export async function purgeExpiredIdempotencyKeys(deps: Pick<AppDeps, 'db'>, now: Date): Promise<number> {
  return deps.db.prisma.$executeRaw`
    DELETE FROM "IdempotencyKey" WHERE "id" IN (
      SELECT "id" FROM "IdempotencyKey" WHERE "expiresAt" <= ${now}::timestamptz ORDER BY "expiresAt" LIMIT ${PURGE_BATCH})`;
}

function identityKey(identity: Identity): string {
  return identity.kind === 'user' ? `user:${identity.userId}` : `credential:${identity.credentialId}`;
}

interface GraphQLRequestBody {
  query: string;
  variables: unknown;
  operationName: unknown;
}

function graphQLRequestOf(body: unknown): GraphQLRequestBody | null {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return null;
  const { query, variables, operationName } = body as Record<string, unknown>;
  return typeof query === 'string' ? { query, variables: variables ?? null, operationName: operationName ?? null } : null;
}

function parseDocument(query: string): DocumentNode | null {
  try {
    return parse(query, queryParseOptions);
  } catch {
    return null; // Apollo answers the syntax error
  }
}

function hasMutation(document: DocumentNode): boolean {
  return document.definitions.some((definition) => definition.kind === Kind.OPERATION_DEFINITION && definition.operation === OperationTypeNode.MUTATION);
}

/** SHA-256 of the query, the variables (keys sorted, so a re-serialised retry matches) and the operation name. */
function requestHash(request: GraphQLRequestBody): string {
  return crypto
    .createHash('sha256')
    .update(canonicalJson([request.query, request.variables, request.operationName]))
    .digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, inner]) => inner !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([name, inner]) => `${JSON.stringify(name)}:${canonicalJson(inner)}`).join(',')}}`;
  }
  // Parsed JSON holds no undefined (the top-level parts default to null above).
  return JSON.stringify(value);
}

/** Whether the document selects a one-time secret anywhere in its answer. */
function selectsSecret(schema: GraphQLSchema, document: DocumentNode): boolean {
  const typeInfo = new TypeInfo(schema);
  let found = false;
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const parent = typeInfo.getParentType();
        const type = typeInfo.getType();
        if (SECRET_FIELD.test(node.name.value) || (parent && SECRET_TYPES.has(parent.name)) || (type && SECRET_TYPES.has(getNamedType(type).name))) {
          found = true;
        }
      },
    }),
  );
  return found;
}

function parseAnswer(body: string): { hasData: boolean; errorCodes: string[] } | null {
  try {
    const parsed = JSON.parse(body) as { data?: unknown; errors?: { extensions?: { code?: unknown } }[] };
    const errorCodes = (Array.isArray(parsed.errors) ? parsed.errors : []).map((error) => {
      const code = error.extensions?.code;
      return typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR';
    });
    return { hasData: parsed.data !== undefined && parsed.data !== null, errorCodes };
  } catch {
    return null;
  }
}

function answerError(res: Response, status: number, code: string, message: string, extensions: Record<string, unknown> = {}): void {
  res.status(status).json({ errors: [{ message, extensions: { code, ...extensions } }] });
}
