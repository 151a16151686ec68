// Removes what global-setup.ts made, and any test database a test file left behind.
import fs from 'node:fs';
import { dropDatabase, testDatabaseEnv, withServer } from './database';

export default async function globalTeardown(): Promise<void> {
  for (const made of [testDatabaseEnv.pgliteDump, testDatabaseEnv.pgliteEmptyDump, testDatabaseEnv.embeddedTemplate]) {
    const file = process.env[made];
    if (file) fs.rmSync(file, { recursive: true, force: true });
  }

  const serverUrl = process.env.TEST_DATABASE_URL;
  const prefix = process.env[testDatabaseEnv.postgresPrefix];
  if (!serverUrl || !prefix) return;
  const { rows } = await withServer(serverUrl, (admin) =>
    admin.query<{ datname: string }>('SELECT datname FROM pg_database WHERE starts_with(datname, $1)', [prefix]),
  );
  for (const { datname } of rows) await dropDatabase(serverUrl, datname);
}
