// What the migration runner and the development schema engine share: where the
// migrations are and how a migration problem is reported.
import fs from 'node:fs';
import path from 'node:path';

export type MigrationErrorCode =
  /** A migration's SQL failed, or an earlier failure is recorded in `_prisma_migrations`. */
  | 'MIGRATION_FAILED'
  /** prisma/migrations or schema.prisma could not be read or is malformed. */
  | 'MIGRATIONS_UNREADABLE'
  /** The WASM schema engine could not be loaded or reported an internal error. */
  | 'ENGINE_FAILED';

export class MigrationError extends Error {
  override readonly name = 'MigrationError';
  constructor(
    readonly code: MigrationErrorCode,
    message: string,
    /** The migration concerned, when one is. */
    readonly migration?: string,
    /** The engine's original error, with its full report. */
    cause?: unknown,
  ) {
    super(message, cause === undefined ? undefined : { cause });
  }
}

/** The directory holding prisma/schema.prisma: from server/src (jest), server/dist (tsc) or the bin. */
export function findRepoRoot(from: string = __dirname): string {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'prisma', 'schema.prisma'))) return dir;
    if (path.dirname(dir) === dir) {
      throw new MigrationError('MIGRATIONS_UNREADABLE', `no prisma/schema.prisma found in ${from} or any parent directory`);
    }
  }
}
