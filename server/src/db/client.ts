// Opens the database: embedded PGlite (default) or a PostgreSQL server, both
// through Prisma driver adapters so the same generated client serves either.
// (docs/decisions/0001-pglite-embedded-default.md)
import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { PrismaClient } from '../generated/prisma/client';

export type { PrismaClient };

/** Where the data lives. */
export type DatabaseTarget =
  | { kind: 'pglite'; dataDir: string | null } // null: in memory
  | { kind: 'postgres'; url: string };

export interface Database {
  readonly target: DatabaseTarget;
  readonly prisma: PrismaClient;
  /** The adapter factory Prisma's schema engine uses for migrations. */
  readonly adapterFactory: SqlDriverAdapterFactory;
  /** The embedded instance, when the target is PGlite. */
  readonly pglite: PGlite | null;
  close(): Promise<void>;
}

/** DATABASE_URL unset -> PGlite in dataDir; `memory://` -> in-memory PGlite; `postgres(ql)://` -> server. */
export function databaseTargetFrom(databaseUrl: string | undefined, dataDir: string): DatabaseTarget {
  if (!databaseUrl) return { kind: 'pglite', dataDir: path.resolve(dataDir, 'pgdata') };
  if (databaseUrl === 'memory://' || databaseUrl.startsWith('memory:')) return { kind: 'pglite', dataDir: null };
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) return { kind: 'postgres', url: databaseUrl };
  throw new Error(`DATABASE_URL must be postgresql://…, postgres://… or memory:// (got "${databaseUrl.split(':')[0]}:…")`);
}

/** Human description for logs: never includes a password. */
export function describeTarget(target: DatabaseTarget): string {
  if (target.kind === 'pglite') return target.dataDir ? `embedded PGlite in ${target.dataDir}` : 'embedded PGlite in memory';
  try {
    const url = new URL(target.url);
    return `PostgreSQL ${url.hostname}:${url.port || 5432}${url.pathname}`;
  } catch {
    return 'PostgreSQL';
  }
}

export interface OpenOptions {
  /** Load a PGlite from a data-dir dump (tests: one migrated template per run). */
  loadDataDir?: Blob | File;
  /** Max pool size for PostgreSQL. */
  poolSize?: number;
}

export async function openDatabase(target: DatabaseTarget, options: OpenOptions = {}): Promise<Database> {
  if (target.kind === 'pglite') {
    if (target.dataDir) fs.mkdirSync(target.dataDir, { recursive: true });
    const pglite = await PGlite.create(target.dataDir ?? 'memory://', {
      ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
    });
    const adapterFactory = new PrismaPGlite(pglite) as unknown as SqlDriverAdapterFactory;
    const prisma = new PrismaClient({ adapter: adapterFactory });
    return {
      target,
      prisma,
      adapterFactory,
      pglite,
      async close() {
        await prisma.$disconnect();
        if (!pglite.closed) await pglite.close();
      },
    };
  }
  const adapterFactory = new PrismaPg({ connectionString: target.url, max: options.poolSize ?? 10 });
  const prisma = new PrismaClient({ adapter: adapterFactory });
  return {
    target,
    prisma,
    adapterFactory,
    pglite: null,
    async close() {
      await prisma.$disconnect();
    },
  };
}
