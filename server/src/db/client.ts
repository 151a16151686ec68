// Opens the database: embedded PGlite (default) or a PostgreSQL server, both
// through Prisma driver adapters so the same generated client serves either.
// (docs/decisions/0001-pglite-embedded-default.md)
import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import type { SqlDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { PrismaClient } from '../generated/prisma/client';
import { registerDriver } from './prepared';

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
  /** The connection pool (Prisma's and the named statements'), when the target is PostgreSQL. */
  readonly pool: pg.Pool | null;
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
  /** PostgreSQL: how long a connection beyond the pool's POOL_KEPT_CONNECTIONS may stay idle (default POOL_IDLE_MS; tests shorten it). */
  idleTimeoutMs?: number;
  /** Who holds the embedded database while open, as the lock names it to others (e.g. "a running server"). */
  holder?: string;
  /** Open an embedded database only if its data directory exists (read-only commands never create one). */
  mustExist?: boolean;
}

/**
 * PostgreSQL connections the pool keeps however long they sit idle. A closed connection takes
 * its prepared statements and plans with it: the next call opens a new one and PostgreSQL plans
 * the missed-call statement again (custom plans for its first five runs on each connection).
 * With pg's default (every idle connection closed after 10 s), a quiet shop, whose calls come
 * minutes apart, paid that on every call: a missed call's delivery took 53 ms (median, calls
 * 12 s apart) against 26 ms with two connections kept. Two: a delivery and the outbox's record
 * of its text run at once. Idle connections never keep a process from exiting (allowExitOnIdle).
 */
export const POOL_KEPT_CONNECTIONS = 2;
/** How long a connection beyond those may stay idle: a burst's extra connections go a minute after it. */
export const POOL_IDLE_MS = 60_000;

/** Another live process (or another open in this one) holds the embedded database. */
export class EmbeddedDatabaseInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
    readonly holder: string,
  ) {
    super(`the embedded database in ${path.dirname(dataDir)} is in use by ${holder} (pid ${pid}); stop it or use DATABASE_URL`);
    this.name = 'EmbeddedDatabaseInUseError';
  }
}

/** A read-only open of an embedded database that was never created. */
export class EmbeddedDatabaseMissingError extends Error {
  constructor(readonly dataDir: string) {
    super(`no embedded database in ${path.dirname(dataDir)} (DATA_DIR); point DATA_DIR at the server's data directory or set DATABASE_URL`);
    this.name = 'EmbeddedDatabaseMissingError';
  }
}

/**
 * PGlite has no lock of its own: two processes opening one data directory each
 * believe their writes landed, and one of them loses them. `<pgdata>.lock` holds
 * the opener's pid from open to close; a lock whose pid is no longer running
 * (a crash, kill -9) is taken over.
 */
function lockEmbeddedDatabase(dataDir: string, holder: string): () => void {
  const lockFile = `${dataDir}.lock`;
  const mine = JSON.stringify({ pid: process.pid, holder, since: new Date().toISOString() });
  for (let attempt = 0; ; attempt++) {
    try {
      fs.writeFileSync(lockFile, mine, { flag: 'wx', mode: 0o644 });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const text = readText(lockFile);
    const current = text === null ? null : parseLock(text);
    if (current && processIsRunning(current.pid)) throw new EmbeddedDatabaseInUseError(dataDir, current.pid, current.holder);
    if (attempt >= 3) throw new Error(`cannot take over the stale lock ${lockFile}; remove it if no CallSnare process uses ${path.dirname(dataDir)}`);
    // Stale (or unreadable, e.g. half-written by a crash): remove it unless another
    // process just replaced it, then race for a fresh one (the 'wx' create decides).
    if (readText(lockFile) === text) fs.rmSync(lockFile, { force: true });
  }
  const release = () => {
    // Only our own lock: never one a later opener took over.
    if (readText(lockFile) === mine) fs.rmSync(lockFile, { force: true });
  };
  // A process that exits without closing (an uncaught error) leaves no lock behind.
  process.once('exit', release);
  return () => {
    process.removeListener('exit', release);
    release();
  };
}

function readText(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

function parseLock(text: string): { pid: number; holder: string } | null {
  try {
    const parsed = JSON.parse(text) as { pid?: unknown; holder?: unknown };
    if (typeof parsed.pid !== 'number' || !Number.isInteger(parsed.pid) || parsed.pid <= 0) return null;
    return { pid: parsed.pid, holder: typeof parsed.holder === 'string' ? parsed.holder : 'another CallSnare process' };
  } catch {
    return null;
  }
}

function processIsRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, it is just not ours to signal.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * PGlite's defaults, with 16 MB of shared buffers instead of initdb's 128 MB. The buffers live
 * in the server's own memory (PGlite's WASM heap), and every page they ever held stays resident:
 * at 128 MB the embedded database alone kept ~245 MB of RSS, at 16 MB ~120 MB (BENCHMARKS.md,
 * "Memory"). Pages that miss come from the data directory's files, through the OS page cache.
 */
const EMBEDDED_START_PARAMS = [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'];

export async function openDatabase(target: DatabaseTarget, options: OpenOptions = {}): Promise<Database> {
  if (target.kind === 'pglite') {
    let unlock: () => void = () => undefined;
    if (target.dataDir) {
      if (options.mustExist && !fs.existsSync(target.dataDir)) throw new EmbeddedDatabaseMissingError(target.dataDir);
      fs.mkdirSync(path.dirname(target.dataDir), { recursive: true });
      unlock = lockEmbeddedDatabase(target.dataDir, options.holder ?? 'another CallSnare process');
    }
    let pglite: PGlite;
    try {
      if (target.dataDir) fs.mkdirSync(target.dataDir, { recursive: true });
      pglite = await PGlite.create(target.dataDir ?? 'memory://', {
        startParams: EMBEDDED_START_PARAMS,
        ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
      });
    } catch (error) {
      unlock();
      throw error;
    }
    const adapterFactory = new PrismaPGlite(pglite) as unknown as SqlDriverAdapterFactory;
    const prisma = new PrismaClient({ adapter: adapterFactory });
    registerDriver(prisma, { kind: 'pglite', pglite });
    return {
      target,
      prisma,
      adapterFactory,
      pglite,
      pool: null,
      async close() {
        try {
          await prisma.$disconnect();
          if (!pglite.closed) await pglite.close();
        } finally {
          unlock();
        }
      },
    };
  }
  // One pool for Prisma's adapter and the hot path's named statements (prepared.ts).
  const max = options.poolSize ?? 10;
  const pool = new pg.Pool({
    connectionString: target.url,
    max,
    min: Math.min(POOL_KEPT_CONNECTIONS, max),
    idleTimeoutMillis: options.idleTimeoutMs ?? POOL_IDLE_MS,
    allowExitOnIdle: true,
  });
  // An idle connection the server ended (a restart, a failover, pg_terminate_backend) leaves the pool,
  // which opens a new one for the next query; unhandled, the event would end the process.
  pool.on('error', () => undefined);
  const adapterFactory = new PrismaPg(pool);
  const prisma = new PrismaClient({ adapter: adapterFactory });
  registerDriver(prisma, { kind: 'postgres', pool });
  return {
    target,
    prisma,
    adapterFactory,
    pglite: null,
    pool,
    async close() {
      try {
        await prisma.$disconnect();
      } finally {
        if (!pool.ended) await pool.end();
      }
    },
  };
}
