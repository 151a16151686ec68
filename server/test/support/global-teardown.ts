// Removes what global-setup.ts made, and any test database a test file left behind.
import fs from 'node:fs';
import { dropDatabase, testDatabaseEnv, withServer } from './database';

export default async function globalTeardown(): Promise<void> {
  const dumpPath = process.env[testDatabaseEnv.pgliteDump];
  if (dumpPath) fs.rmSync(dumpPath, { force: true });

  const serverUrl = process.env.TEST_DATABASE_URL;
  const prefix = process.env[testDatabaseEnv.postgresPrefix];
  if (!serverUrl || !prefix) return;
  const { rows } = await withServer(serverUrl, (admin) =>
    admin.query<{ datname: string }>('SELECT datname FROM pg_database WHERE starts_with(datname, $1)', [prefix]),
  );
  for (const { datname } of rows) await dropDatabase(serverUrl, datname);
}
