// Generates the Prisma client (server/src/generated/prisma) from prisma/schema.prisma.
//
// Why a wrapper: the Rust-free `prisma-client` generator needs no engine, but
// the Prisma CLI still checks for a native schema-engine at start-up and tries
// to download one from a host this project's machines cannot reach. Pointing
// PRISMA_SCHEMA_ENGINE_BINARY at any existing file skips that download.
// (docs/decisions/0002-prisma-without-binaries.md)
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const prismaCli = path.join(root, 'node_modules', 'prisma', 'build', 'index.js');
const result = spawnSync(process.execPath, [prismaCli, 'generate', '--schema', path.join(root, 'prisma', 'schema.prisma')], {
  cwd: root,
  stdio: 'inherit',
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
    CHECKPOINT_DISABLE: '1',
  },
});
process.exit(result.status ?? 1);
