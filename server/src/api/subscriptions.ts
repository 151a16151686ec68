// GraphQL subscriptions over WebSocket (protocol graphql-transport-ws, the
// graphql-ws package) on /graphql, next to the HTTP endpoint:
// - the upgrade: only /graphql; a request carrying the session cookie must come
//   from our own origin (the cross-site rule HTTP gets from CSRF prevention);
// - who connects: connectionParams.authorization ("Bearer cs_…"), an
//   Authorization header, or the session cookie, checked exactly as for HTTP;
// - what runs: subscriptions only, within the HTTP query limits, refused before
//   the stream starts unless the permission table allows the caller; each event
//   executes with a fresh context, so per-request loaders never serve an older
//   event's rows;
// - who stays: a connection whose identity no longer holds (or now grants
//   something else) is closed, when an access notice names it and on a periodic check.
// docs/decisions/0012-live-subscriptions.md
import crypto from 'node:crypto';
import http from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { CloseCode, handleProtocols, makeServer, type Context as WsContext } from 'graphql-ws';
import {
  createSourceEventStream,
  execute,
  getOperationAST,
  GraphQLError,
  Kind,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationRule,
  OperationTypeNode,
} from 'graphql';
import type { AppDeps } from '../app-deps';
import type { GraphQLContext } from '../graphql/context';
import type { Identity, IdentityProblem } from '../common/identity';
import type { RequestMeta } from '../common/actor';
import { resolveIdentity, readCookie } from '../access/identity';
import { SESSION_COOKIE } from '../access/sessions';
import { operationAccessErrors } from '../access/shield';
import { subscribeAccessChanges } from '../live/access-notices';
import { identityKey, LiveConnections, sameAccess, type LiveConnection } from '../live/live-connections';
import { mapStream } from '../live/notice-stream';
import { formatGraphQLError } from '../graphql/errors';
import { costLimitError, queryParseOptions } from '../graphql/query-limits';

export const LIVE_PATH = '/graphql';

export const LIVE_LIMITS = {
  /** The largest message a client may send (a subscribe message: a document and its variables), as for HTTP bodies. */
  maxMessageBytes: 100 * 1024,
  /** Open connections of one session or credential, per process (the dashboard opens one per tab). */
  maxConnectionsPerIdentity: 10,
  maxSubscriptionsPerConnection: 10,
  /** WebSockets one process holds, identified or not yet. */
  maxSockets: 10_000,
  /** A connection that has not sent connection_init by then is closed (4408). */
  connectionInitWaitMs: 5_000,
  /** Ping period; a connection that has not answered the previous ping is dropped. */
  keepAliveMs: 12_000,
  /** Every connection's identity is proven again this often: the backstop for missed access notices and expiries. */
  recheckIntervalMs: 30_000,
  /** How long shutdown waits for clients to answer the close frame before cutting them off. */
  closeGraceMs: 2_000,
} as const;

/** Close codes of this endpoint, besides graphql-ws's own (4400 bad message, 4408 no connection_init…). */
export const LIVE_CLOSE_CODES = {
  /** No identity, or it stopped working (signed out, expired, revoked): sign in again; retrying as is cannot help. */
  unauthenticated: CloseCode.Unauthorized,
  /** The identity still works but grants something else now (another organization, role or scopes): reconnect. */
  accessChanged: CloseCode.Forbidden,
  /** The identity already holds LIVE_LIMITS.maxConnectionsPerIdentity connections. */
  tooManyConnections: 4429,
  /** The server is shutting down. */
  goingAway: 1001,
  internalError: 1011,
} as const;

const UNAUTHENTICATED_REASONS: Record<IdentityProblem | 'none', string> = {
  invalid_credential: 'The Bearer credential is malformed, unknown, expired or revoked',
  credential_of_other_mode: 'The Bearer credential belongs to the other integration mode',
  invalid_session: 'The session has ended; sign in again',
  none: 'Sign in, or send connectionParams.authorization: "Bearer <credential>"',
};

interface SocketExtra {
  socket: WebSocket;
  request: http.IncomingMessage;
  connection: LiveConnection;
}

export interface LiveEndpoint {
  /** Stops accepting, closes every connection (1001) and stops the checks. Apollo's drain calls it (drainPlugin). */
  close(): Promise<void>;
  /** An Apollo plugin that runs close() while the HTTP server drains. */
  drainPlugin: { serverWillStart(): Promise<{ drainServer(): Promise<void> }> };
}

/** Serves graphql-transport-ws on `httpServer`'s upgrades to LIVE_PATH. */
export function attachLiveEndpoint(
  httpServer: http.Server,
  deps: AppDeps,
  schema: GraphQLSchema,
  extraValidationRules: readonly ValidationRule[],
): LiveEndpoint {
  const { config, logger } = deps;
  const connections = new LiveConnections();
  const sockets = new Set<WebSocket>();
  const checks = new Set<Promise<void>>();
  const rechecking = new Map<LiveConnection, { again: boolean }>();
  const validationRules = [...specifiedRules, ...extraValidationRules];
  let accepting = true;
  let closing: Promise<void> | null = null;

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: LIVE_LIMITS.maxMessageBytes,
    clientTracking: false,
    perMessageDeflate: false,
    // Agrees on graphql-transport-ws only (graphql-ws then closes anything else with 4406).
    handleProtocols: (protocols) => handleProtocols(protocols),
  });

  const graphqlWs = makeServer<Record<string, unknown>, SocketExtra>({
    schema,
    connectionInitWaitTimeout: LIVE_LIMITS.connectionInitWaitMs,
    onConnect: (ctx) => authenticate(ctx),
    onSubscribe: (ctx, _id, payload) => prepare(ctx, payload),
    subscribe: (args) => subscribeEventByEvent(args),
    onNext: (ctx, _id, _payload, _args, result) =>
      result.errors ? { ...result, errors: result.errors.map((error) => format(error, ctx.extra.connection)) } : undefined,
    onError: (ctx, _id, _payload, errors) => errors.map((error) => format(error, ctx.extra.connection)),
    onClose: (ctx, code, reason) => {
      const { connection } = ctx.extra;
      connections.remove(connection);
      rechecking.delete(connection);
      if (!connection.identity) return;
      logger.info(
        {
          connectionId: connection.id,
          identity: identityKey(connection.identity),
          orgId: connection.identity.orgId,
          code,
          reason,
          seconds: Math.round((Date.now() - connection.openedAt) / 1000),
        },
        'live: connection closed',
      );
    },
  });

  /** connection_init: who is this? Refusals close the socket with a code the client can act on. */
  async function authenticate(ctx: WsContext<Record<string, unknown>, SocketExtra>): Promise<boolean> {
    const { connection, request } = ctx.extra;
    const params = ctx.connectionParams ?? {};
    const fromParams = params.authorization ?? params.Authorization;
    if (fromParams !== undefined && typeof fromParams !== 'string') {
      connection.close(LIVE_CLOSE_CODES.unauthenticated, 'connectionParams.authorization must be a string: "Bearer <credential>"');
      return false;
    }
    // As over HTTP, a credential wins over the cookie.
    const authorization = fromParams ?? request.headers.authorization;
    const proof = authorization !== undefined ? { authorization } : { cookie: request.headers.cookie };
    let identity: Identity | null;
    let problem: IdentityProblem | null;
    try {
      ({ identity, problem } = await resolveIdentity(deps, { headers: proof }));
    } catch (error) {
      logger.error({ err: error, connectionId: connection.id }, 'live: could not resolve the identity');
      connection.close(LIVE_CLOSE_CODES.internalError, 'Internal server error');
      return false;
    }
    if (!connection.isOpen()) return false;
    if (!identity) {
      logger.info({ connectionId: connection.id, ip: connection.request.ip, problem }, 'live: connection refused (no identity)');
      connection.close(LIVE_CLOSE_CODES.unauthenticated, UNAUTHENTICATED_REASONS[problem ?? 'none']);
      return false;
    }
    connection.identity = identity;
    connection.proof = proof;
    if (!connections.admit(connection, LIVE_LIMITS.maxConnectionsPerIdentity)) {
      connection.identity = null;
      logger.warn({ connectionId: connection.id, identity: identityKey(identity) }, 'live: connection refused (too many for this identity)');
      connection.close(LIVE_CLOSE_CODES.tooManyConnections, `At most ${LIVE_LIMITS.maxConnectionsPerIdentity} live connections per session or credential`);
      return false;
    }
    logger.info({ connectionId: connection.id, identity: identityKey(identity), orgId: identity.orgId, ip: connection.request.ip }, 'live: connection opened');
    return true;
  }

  /** A subscribe message: parsed, limited, validated and authorized like an HTTP request, or refused with errors. */
  function prepare(
    ctx: WsContext<Record<string, unknown>, SocketExtra>,
    payload: { query: string; operationName?: string | null; variables?: Record<string, unknown> | null },
  ): ExecutionArgs | GraphQLError[] {
    const { connection } = ctx.extra;
    const identity = connection.identity;
    if (!identity) return [clientError('Not authenticated', 'UNAUTHENTICATED')];
    // ctx.subscriptions already holds this one.
    if (Object.keys(ctx.subscriptions).length > LIVE_LIMITS.maxSubscriptionsPerConnection) {
      return [clientError(`At most ${LIVE_LIMITS.maxSubscriptionsPerConnection} subscriptions per connection; complete one first`, 'RATE_LIMITED')];
    }
    let document: DocumentNode;
    try {
      document = parse(payload.query, queryParseOptions);
    } catch (error) {
      return [clientError(error instanceof GraphQLError ? error.message : 'The document could not be parsed', 'GRAPHQL_PARSE_FAILED')];
    }
    const invalid = validate(schema, document, validationRules);
    if (invalid.length > 0) return invalid.map((error) => clientError(error.message, 'GRAPHQL_VALIDATION_FAILED', error));
    const operation = getOperationAST(document, payload.operationName ?? undefined);
    if (!operation)
      return [clientError('Could not tell which operation to run: send one operation, or name it in operationName', 'OPERATION_RESOLUTION_FAILURE')];
    if (operation.operation !== OperationTypeNode.SUBSCRIPTION) {
      return [clientError(`Only subscriptions run over WebSocket; send a ${operation.operation} as POST ${LIVE_PATH}`, 'BAD_REQUEST')];
    }
    const denied = operationAccessErrors('subscription', rootFieldsOf(document, operation), identity);
    if (denied.length > 0) return denied;
    const variables = payload.variables ?? {};
    const tooExpensive = costLimitError(schema, document, operation, variables);
    if (tooExpensive) return [tooExpensive];
    return { schema, document, operationName: payload.operationName, variableValues: variables, contextValue: liveContext(deps, connection.request, identity) };
  }

  function format(error: GraphQLError, connection: LiveConnection) {
    return formatGraphQLError(error.toJSON(), error, (internal) =>
      logger.error({ err: internal, connectionId: connection.id, path: error.path }, 'graphql: internal error in a live subscription (masked for the client)'),
    );
  }

  // ── the upgrade ──

  function refuse(socket: Duplex, status: number, message: string) {
    const body = `${message}\n`;
    socket.end(
      `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  }

  function onUpgrade(request: http.IncomingMessage, socket: Duplex, head: Buffer) {
    socket.on('error', () => socket.destroy());
    const path = (request.url ?? '').split('?')[0];
    if (path !== LIVE_PATH) {
      refuse(socket, 404, `No WebSocket endpoint at ${path}; live updates are at ${LIVE_PATH}`);
      return;
    }
    if (!accepting) {
      refuse(socket, 503, 'The server is shutting down; reconnect shortly');
      return;
    }
    if (sockets.size >= LIVE_LIMITS.maxSockets) {
      logger.warn({ sockets: sockets.size, ip: request.socket.remoteAddress }, 'live: upgrade refused (socket limit reached)');
      refuse(socket, 503, 'Too many live connections on this server; retry shortly');
      return;
    }
    const origin = request.headers.origin;
    if (
      origin !== undefined &&
      readCookie(request.headers.cookie, SESSION_COOKIE) !== null &&
      !isOwnOrigin(origin, request.headers.host, config.publicBaseUrl)
    ) {
      // A browser sends the session cookie whichever page opens the socket: only our own pages may use it.
      logger.warn({ origin, ip: request.socket.remoteAddress }, 'live: upgrade refused (session cookie from a foreign origin)');
      refuse(socket, 403, "A WebSocket carrying the session cookie must come from the dashboard's own origin");
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => opened(ws, request));
  }

  function opened(ws: WebSocket, request: http.IncomingMessage) {
    sockets.add(ws);
    const id = crypto.randomUUID();
    const connection: LiveConnection = {
      id,
      request: { requestId: `live-${id}`, ip: request.socket.remoteAddress ?? null, userAgent: request.headers['user-agent']?.slice(0, 512) ?? null },
      identity: null,
      proof: {},
      openedAt: Date.now(),
      close: (code, reason) => ws.close(code, reason),
      isOpen: () => ws.readyState === ws.OPEN,
    };
    // Protocol errors (an oversized or malformed frame): ws closes the socket itself; an unhandled 'error' would end the process.
    ws.on('error', (error) => logger.info({ connectionId: id, reason: error.message }, 'live: socket error'));

    let answeredPing = true;
    const keepAlive = setInterval(() => {
      if (!answeredPing) {
        ws.terminate();
        return;
      }
      answeredPing = false;
      ws.ping();
    }, LIVE_LIMITS.keepAliveMs);
    ws.on('pong', () => (answeredPing = true));

    const closed = graphqlWs.opened(
      {
        protocol: ws.protocol,
        send: (data) =>
          new Promise<void>((resolve, reject) => {
            if (ws.readyState !== ws.OPEN) {
              resolve();
              return;
            }
            ws.send(data, (error) => (error ? reject(error) : resolve()));
          }),
        close: (code, reason) => ws.close(code, reason),
        onMessage: (handle) =>
          ws.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => {
            handle(Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8')).catch((error: unknown) => {
              logger.error({ err: error, connectionId: id }, 'live: message handling failed');
              if (ws.readyState === ws.OPEN) ws.close(LIVE_CLOSE_CODES.internalError, 'Internal server error');
            });
          }),
      },
      { socket: ws, request, connection },
    );

    ws.once('close', (code, reason) => {
      clearInterval(keepAlive);
      sockets.delete(ws);
      closed(code, reason.toString()).catch((error: unknown) => logger.error({ err: error, connectionId: id }, 'live: cleanup after close failed'));
    });
  }

  httpServer.on('upgrade', onUpgrade);

  // ── who stays ──

  /** Proves the connection's identity again; closes it if it no longer holds. At most one check per connection runs; a request during one runs once more after it. */
  function recheck(connection: LiveConnection) {
    const running = rechecking.get(connection);
    if (running) {
      running.again = true;
      return;
    }
    const state = { again: false };
    rechecking.set(connection, state);
    const check = (async () => {
      do {
        state.again = false;
        await checkOnce(connection);
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- a notice arriving during checkOnce's awaits sets it
      } while (state.again && connection.isOpen());
    })().finally(() => {
      rechecking.delete(connection);
      checks.delete(check);
    });
    checks.add(check);
  }

  async function checkOnce(connection: LiveConnection) {
    const before = connection.identity;
    if (!before || !connection.isOpen()) return;
    let now: Identity | null;
    try {
      ({ identity: now } = await resolveIdentity(deps, { headers: connection.proof }));
    } catch (error) {
      logger.warn({ err: error, connectionId: connection.id }, "live: could not check a connection's identity; kept until the next check");
      return;
    }
    if (!connection.isOpen()) return;
    if (!now) {
      logger.info({ connectionId: connection.id, identity: identityKey(before) }, 'live: identity no longer holds; closing');
      connection.close(LIVE_CLOSE_CODES.unauthenticated, 'The session or credential no longer works; sign in again');
    } else if (!sameAccess(before, now)) {
      logger.info({ connectionId: connection.id, identity: identityKey(before) }, 'live: access changed; closing');
      connection.close(LIVE_CLOSE_CODES.accessChanged, 'Your access changed; reconnect');
    }
  }

  const stopAccessNotices = subscribeAccessChanges(deps.live, (notice) => {
    for (const connection of connections.namedBy(notice)) recheck(connection);
  });
  const sweep = setInterval(() => {
    for (const connection of connections.all()) recheck(connection);
  }, LIVE_LIMITS.recheckIntervalMs);
  sweep.unref();

  async function close() {
    closing ??= (async () => {
      accepting = false;
      clearInterval(sweep);
      stopAccessNotices();
      const open = [...sockets];
      const allClosed = Promise.all(
        open.map((ws) => new Promise<void>((resolve) => (ws.readyState === ws.CLOSED ? resolve() : ws.once('close', () => resolve())))),
      );
      for (const ws of open) ws.close(LIVE_CLOSE_CODES.goingAway, 'Server shutting down');
      let grace: NodeJS.Timeout | undefined;
      await Promise.race([allClosed, new Promise<void>((resolve) => (grace = setTimeout(resolve, LIVE_LIMITS.closeGraceMs)))]);
      clearTimeout(grace);
      for (const ws of sockets) ws.terminate();
      await Promise.allSettled([...checks]);
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    })();
    return closing;
  }

  return {
    close,
    drainPlugin: {
      async serverWillStart() {
        return { drainServer: close };
      },
    },
  };
}

/**
 * Runs a subscription like graphql-js's subscribe(), except that each event
 * executes with a context of its own: loaders cached per context then never
 * serve one event the rows read for an earlier one.
 */
async function subscribeEventByEvent(args: ExecutionArgs): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
  const stream = await createSourceEventStream(args);
  if (!(Symbol.asyncIterator in Object(stream))) return stream as ExecutionResult;
  const base = args.contextValue as GraphQLContext;
  return mapStream((stream as AsyncIterable<unknown>)[Symbol.asyncIterator](), async (event) =>
    execute({ ...args, rootValue: event, contextValue: liveContext(base.deps, base.request, base.identity) }),
  );
}

/**
 * The GraphQL context of a live subscription. It has no HTTP request or
 * response: nothing a subscription reaches uses them, and reading one throws
 * instead of handing out a stand-in.
 */
export function liveContext(deps: AppDeps, request: RequestMeta, identity: Identity | null): GraphQLContext {
  const context = { deps, request, identity, identityProblem: null };
  for (const name of ['req', 'res', 'signInLimiter']) {
    Object.defineProperty(context, name, {
      enumerable: false,
      get() {
        throw new Error(`context.${name} is not available to live subscriptions (WebSocket)`);
      },
    });
  }
  return context as GraphQLContext;
}

/** The names of an operation's root fields, through fragments. */
export function rootFieldsOf(document: DocumentNode, operation: OperationDefinitionNode): string[] {
  const fragments = new Map(
    document.definitions.flatMap((definition) => (definition.kind === Kind.FRAGMENT_DEFINITION ? [[definition.name.value, definition] as const] : [])),
  );
  const names = new Set<string>();
  const seen = new Set<string>();
  const visit = (selectionSet: SelectionSetNode) => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) names.add(selection.name.value);
      else if (selection.kind === Kind.INLINE_FRAGMENT) visit(selection.selectionSet);
      else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        const fragment = fragments.get(selection.name.value);
        if (fragment) visit(fragment.selectionSet);
      }
    }
  };
  visit(operation.selectionSet);
  return [...names];
}

/** Our own pages: the public URL's origin, or the host the request was sent to (what a same-origin page would name). */
export function isOwnOrigin(origin: string, host: string | undefined, publicBaseUrl: string): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false; // "null" (sandboxed frames, files) and garbage
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  if (url.origin === new URL(publicBaseUrl).origin) return true;
  return host !== undefined && url.host === host.trim().toLowerCase();
}

function clientError(message: string, code: string, original?: GraphQLError): GraphQLError {
  return new GraphQLError(message, { nodes: original?.nodes, extensions: { ...original?.extensions, code } });
}
