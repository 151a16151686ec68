// Assembles the HTTP surface: middleware, health, provider webhooks, GraphQL, public pages.
import http from 'node:http';
import express, { type NextFunction, type Request, type Response } from 'express';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import type { AppDeps } from './app-deps';
import type { GraphQLContext } from './graphql/context';
import { buildGraphQLSchema } from './api/schema';
import { formatGraphQLError } from './graphql/errors';
import { knownOperationTypesRule, queryArmor, queryLimitsPlugin, queryParseOptions } from './graphql/query-limits';
import { inputTextPlugin } from './graphql/input-text';
import { attachLiveEndpoint } from './api/subscriptions';
import { accessChangeNoticesPlugin, subscriptionsOverHttpPlugin } from './api/live-plugins';
import { identifyRequest, identityOf } from './access/identity';
import { SignInLimiter } from './http/sign-in-limiter';
import { graphqlRateLimit } from './api/rate-limit';
import { idempotentMutations } from './api/idempotency';
import { discoveryRoutes } from './discovery/discovery.routes';
import { requestContext } from './http/request-context';
import { securityHeaders } from './http/security-headers';
import { healthRoutes } from './http/health';
import { publicRoutes } from './api/public';
import { webhookRoutes } from './webhooks/webhooks.router';
import { leadEvidenceRoutes } from './compliance/evidence.route';

/**
 * How long an idle keep-alive connection stays open. Longer than a load balancer's usual
 * 60 s idle timeout and than any client's reuse window (Node's default, 5 s, races fetch's
 * 4 s: a request sent as the server closes the connection fails with "other side closed").
 */
const KEEP_ALIVE_TIMEOUT_MS = 65_000;

export interface CallSnareApp {
  app: express.Express;
  httpServer: http.Server;
  /** Stops accepting, lets in-flight requests finish, stops Apollo. Does not close the database. */
  stop(): Promise<void>;
}

export async function createApp(deps: AppDeps): Promise<CallSnareApp> {
  const { config, logger } = deps;
  const app = express();
  const httpServer = http.createServer(app);
  httpServer.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  let shuttingDown = false;

  app.disable('x-powered-by');
  if (config.trustProxy !== undefined) app.set('trust proxy', config.trustProxy);
  app.use(requestContext(logger));
  app.use(securityHeaders(config));

  app.use(healthRoutes(deps, () => shuttingDown));
  // Before GraphQL and the public pages: provider deliveries have their own body parsing and limits.
  app.use('/webhooks', webhookRoutes(deps));

  const armor = queryArmor();
  const schema = await buildGraphQLSchema();
  // Subscriptions: WebSocket upgrades to /graphql (graphql-transport-ws), with the same limits.
  const live = attachLiveEndpoint(httpServer, deps, schema, [...armor.validationRules, knownOperationTypesRule]);
  const apollo = new ApolloServer<GraphQLContext>({
    schema,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    introspection: true,
    includeStacktraceInErrorResponses: false,
    // `serve` owns SIGTERM/SIGINT (drain HTTP, stop the outbox and SLA workers, close the
    // database). Apollo's own handler would re-raise the signal once Apollo stopped and
    // kill the process mid-shutdown, before the workers and the database were closed.
    stopOnTerminationSignals: false,
    parseOptions: queryParseOptions,
    validationRules: [...armor.validationRules, knownOperationTypesRule],
    plugins: [
      ...armor.plugins,
      inputTextPlugin(),
      queryLimitsPlugin(logger),
      subscriptionsOverHttpPlugin(),
      accessChangeNoticesPlugin(deps),
      ApolloServerPluginDrainHttpServer({ httpServer }),
      // Closes the live connections (1001) while the HTTP server drains: they are no requests it would wait for.
      live.drainPlugin,
      // We set no cache hints; the default plugin would still instrument every field (measured: ~2.5 ms per leads page).
      ApolloServerPluginCacheControlDisabled(),
    ],
    // Internal errors are logged (with the request id) by queryLimitsPlugin; here they are only masked.
    formatError: (formatted, error) => formatGraphQLError(formatted, error, () => undefined),
  });
  await apollo.start();

  const signInLimiter = new SignInLimiter(deps.rateLimitStores, config.rateLimits.signInPer15Minutes);
  app.use(
    '/graphql',
    // Who is calling, before the per-actor rate limit and the GraphQL context.
    identifyRequest(deps),
    graphqlRateLimit(deps),
    express.json({ limit: '100kb' }),
    // Idempotency-Key on mutations: replays a stored answer, or claims the key for this request.
    idempotentMutations(deps, schema),
    expressMiddleware(apollo, {
      context: async ({ req, res }): Promise<GraphQLContext> => {
        const { identity, problem } = identityOf(res);
        return {
          deps,
          req,
          res,
          request: { requestId: req.requestId, ip: req.ip ?? null, userAgent: req.headers['user-agent'] ?? null },
          identity,
          identityProblem: problem,
          signInLimiter,
        };
      },
    }),
  );

  // The dispute bundle download (compliance/evidence.route.ts): same identity and per-actor budget as /graphql.
  app.use('/api/leads', identifyRequest(deps), graphqlRateLimit(deps), leadEvidenceRoutes(deps));

  app.use(discoveryRoutes(deps));
  app.use(publicRoutes(deps));

  app.use((req: Request, res: Response) => {
    res.status(404).json({ error: { code: 'NOT_FOUND', message: `No route for ${req.method} ${req.path}` } });
  });
  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const status = httpStatusOf(error);
    if (status >= 500) logger.error({ err: error, requestId: req.requestId }, 'unhandled HTTP error');
    if (res.headersSent) return;
    res.status(status).json({
      error:
        status >= 500
          ? { code: 'INTERNAL_SERVER_ERROR', message: 'Internal server error', requestId: req.requestId }
          : { code: 'BAD_REQUEST', message: (error as Error).message },
    });
  });

  return {
    app,
    httpServer,
    async stop() {
      shuttingDown = true;
      await apollo.stop(); // drains the HTTP server and the live connections: stops accepting, waits for in-flight requests
      await signInLimiter.close();
    },
  };
}

/** body-parser and friends put an HTTP status on the errors they throw. */
function httpStatusOf(error: unknown): number {
  if (typeof error !== 'object' || error === null) return 500;
  const { status: given, statusCode } = error as { status?: unknown; statusCode?: unknown };
  const status = given ?? statusCode;
  return typeof status === 'number' && status >= 400 && status < 600 ? status : 500;
}
