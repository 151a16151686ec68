// Starts a real CallSnare HTTP server on an isolated test database.
import { loadConfig } from '../../src/config';
import { createLogger, type Logger } from '../../src/logger';
import { startServer, type RunningServer, type StartOptions } from '../../src/server';
import type { Database } from '../../src/db/client';
import type { Clock } from '../../src/common/clock';

/**
 * Background workers (outbox, callback SLA) are off unless a test asks for
 * them (`start: { workers: true }`): tests drive them with runOutboxOnce(deps).
 */
export async function startTestServer(
  db: Database,
  options: { env?: Record<string, string>; clock?: Clock; logger?: Logger; start?: Pick<StartOptions, 'workers' | 'smsTransport' | 'outbox' | 'stripe'> } = {},
): Promise<RunningServer> {
  const config = loadConfig({ PORT: '0', LOG_LEVEL: 'silent', ...options.env });
  return startServer(config, {
    db,
    logger: options.logger ?? createLogger('silent'),
    clock: options.clock,
    seedDemoOnFirstStart: false,
    workers: false,
    ...options.start,
  });
}

/** POSTs a GraphQL operation the way a real client does. */
export async function graphql(
  url: string,
  query: string,
  options: { variables?: Record<string, unknown>; bearer?: string; cookie?: string; headers?: Record<string, string> } = {},
) {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
  if (options.bearer) headers.authorization = `Bearer ${options.bearer}`;
  if (options.cookie) headers.cookie = options.cookie;
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ query, variables: options.variables ?? {} }),
  });
  const body = (await response.json()) as {
    data?: Record<string, any> | null;
    errors?: { message: string; extensions?: Record<string, any> }[];
  };
  return { status: response.status, headers: response.headers, body };
}
