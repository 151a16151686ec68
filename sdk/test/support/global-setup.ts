// The server project's global setup (one migrated PGlite dump per jest run), run only
// when no other project of this jest run made it already: both projects then share it,
// and the server's global teardown removes it.
import fs from 'node:fs';
import serverGlobalSetup from '../../../server/test/support/global-setup';
import { testDatabaseEnv } from '../../../server/test/support/database';

export default async function globalSetup(): Promise<void> {
  const dump = process.env[testDatabaseEnv.pgliteDump];
  if (dump && fs.existsSync(dump)) return;
  await serverGlobalSetup();
}
