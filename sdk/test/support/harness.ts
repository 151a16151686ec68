// A real CallSnare server on an in-memory PGlite, one organization in it, and SDK
// clients for credentials with the scopes a test asks for.
import type { Database } from '../../../server/src/db/client';
import type { RunningServer } from '../../../server/src/server';
import type { Scope } from '../../../server/src/access/scopes';
import { openTestDatabase } from '../../../server/test/support/database';
import { startTestServer } from '../../../server/test/support/server';
import { createTestCredential, createTestOrg } from '../../../server/test/support/fixtures';
import { CallSnare, type CallSnareOptions } from '../../src/index';

export interface SdkTestServer {
  db: Database;
  server: RunningServer;
  orgId: string;
  /** The owner created with the org (a staff user, e.g. to assign callbacks to). */
  ownerId: string;
  /** The org's tracking number (Twilio webhooks to it are the org's). */
  trackingNumber: string;
  /** A new credential of the test org holding exactly `scopes`. */
  secret(scopes: Scope[]): Promise<string>;
  /** An SDK client for a new credential holding exactly `scopes`; no retry waits unless asked. */
  client(scopes: Scope[], options?: Partial<CallSnareOptions>): Promise<CallSnare>;
  close(): Promise<void>;
}

export async function startSdkTestServer(options: { env?: Record<string, string> } = {}): Promise<SdkTestServer> {
  const db = await openTestDatabase('pglite');
  const server = await startTestServer(db, { env: options.env });
  const org = await createTestOrg(db, { name: 'SDK HVAC' });
  const secret = async (scopes: Scope[]) =>
    (await createTestCredential(db, org.orgId, scopes, scopes.length === 1 ? `sdk ${scopes[0]}` : `sdk ${scopes.length} scopes`)).secret;
  return {
    db,
    server,
    orgId: org.orgId,
    ownerId: org.userId,
    trackingNumber: org.trackingNumber!,
    secret,
    async client(scopes, clientOptions = {}) {
      return new CallSnare({ apiKey: await secret(scopes), baseUrl: server.url, ...clientOptions });
    },
    async close() {
      await server.close();
      await db.close();
    },
  };
}
