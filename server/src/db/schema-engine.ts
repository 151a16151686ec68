// Development only (`npm run migrate:create`, `migrate:check` and the drift test): diffs
// prisma/schema.prisma against prisma/migrations with Prisma's schema engine compiled to
// WASM, in-process and without node flags, on in-memory PGlite databases. The server
// applies migrations with the plain runner (migration-runner.ts) and never loads this.
// (docs/decisions/0002-prisma-without-binaries.md, 0012-plain-migration-runner.md)
import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import {
  bindMigrationAwareSqlAdapterFactory,
  DriverAdapterError,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import type { MigrationList, SchemaEngine, SchemaFilter } from '@prisma/schema-engine-wasm/schema_engine_bg' with {
  'resolution-mode': 'import',
};
import { findRepoRoot, MigrationError } from './migration-files';

export interface DiffOptions {
  /** Defaults to `<repo>/prisma/schema.prisma`. */
  schemaPath?: string;
  /** Defaults to `<repo>/prisma/migrations`. */
  migrationsDir?: string;
}

/**
 * The SQL of the next migration: what schema.prisma has that the migrations do not.
 * Replays the migrations on an in-memory PGlite shadow database, so no server is needed.
 */
export async function diffSchemaAgainstMigrations(options: DiffOptions = {}): Promise<{ hasChanges: boolean; sql: string }> {
  const defaults = defaultPaths();
  const schemaPath = path.resolve(options.schemaPath ?? defaults.schemaPath);
  const migrationsList = readMigrationsList(options.migrationsDir ?? defaults.migrationsDir);
  if (migrationsList.lockfile.content === null) {
    throw new MigrationError(
      'MIGRATIONS_UNREADABLE',
      `${path.join(migrationsList.baseDir, LOCKFILE)} is missing; it names the database provider (provider = "postgresql")`,
    );
  }
  const schema = { path: schemaPath, content: readText(schemaPath, 'schema') };
  // The engine queries its main connection at start-up but diffs only on the shadow,
  // which can therefore be a clone of the (empty) main: ~0.8 s instead of ~2 s.
  const main = await PGlite.create();
  try {
    const connections = pgliteConnections(main, () => main.clone() as Promise<PGlite>);
    return await withEngine(connections, schema, undefined, async (engine) => {
      try {
        const result = await engine.diff({
          from: { tag: 'migrations', ...migrationsList },
          to: { tag: 'schemaDatamodel', files: [schema] },
          script: true,
          exitCode: true,
          filters: noFilters,
        });
        const sql = result.stdout ?? '';
        // exitCode 2: the two sides differ. A script of only comments/blank lines is no change.
        const hasChanges = result.exitCode === 2 && /^\s*[^-\s]/m.test(sql);
        return { hasChanges, sql: hasChanges ? sql : '' };
      } catch (error) {
        throw migrationFailure(error, migrationsList);
      }
    });
  } finally {
    if (!main.closed) await main.close();
  }
}

function defaultPaths(): { schemaPath: string; migrationsDir: string } {
  const root = findRepoRoot();
  return { schemaPath: path.join(root, 'prisma', 'schema.prisma'), migrationsDir: path.join(root, 'prisma', 'migrations') };
}

const noFilters: SchemaFilter = { externalTables: [], externalEnums: [] };
const LOCKFILE = 'migration_lock.toml';
const MIGRATION_FILE = 'migration.sql';

/** prisma/migrations as the engine expects it: every sub-folder, in name order, with its migration.sql. */
export function readMigrationsList(migrationsDir: string): MigrationList {
  const baseDir = path.resolve(migrationsDir);
  if (!fs.existsSync(baseDir)) {
    throw new MigrationError('MIGRATIONS_UNREADABLE', `migrations folder ${baseDir} does not exist`);
  }
  const lockfilePath = path.join(baseDir, LOCKFILE);
  const migrationDirectories = fs
    .readdirSync(baseDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const file = path.join(baseDir, name, MIGRATION_FILE);
      if (!fs.existsSync(file)) {
        throw new MigrationError('MIGRATIONS_UNREADABLE', `migration ${name} has no ${MIGRATION_FILE} (${file})`, name);
      }
      return {
        path: name,
        migrationFile: { path: MIGRATION_FILE, content: { tag: 'ok' as const, value: readText(file, `migration ${name}`) } },
      };
    });
  return {
    baseDir,
    lockfile: { path: LOCKFILE, content: fs.existsSync(lockfilePath) ? readText(lockfilePath, LOCKFILE) : null },
    shadowDbInitScript: '',
    migrationDirectories,
  };
}

function readText(file: string, what: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new MigrationError('MIGRATIONS_UNREADABLE', `cannot read ${what} at ${file}: ${(error as Error).message}`);
  }
}

// ---------------------------------------------------------------------------------------
// Connections handed to the engine

interface EngineConnections {
  factory: SqlMigrationAwareDriverAdapterFactory;
  /** Releases every connection the engine opened (it never disposes them itself). */
  close(): Promise<void>;
}

/**
 * PGlite: the engine works on the given instance; shadow databases are fresh in-memory
 * instances, closed afterwards. The stock adapter's executeScript does not await
 * `exec`, which would lose a failing migration's error (and leave an unhandled
 * rejection), so scripts are run here.
 */
function pgliteConnections(main: PGlite, openShadow: () => Promise<PGlite> = () => PGlite.create()): EngineConnections {
  const shadows: PGlite[] = [];
  const connectTo = async (pglite: PGlite): Promise<SqlDriverAdapter> => {
    const adapter = await new PrismaPGlite(pglite).connect();
    adapter.executeScript = async (script: string) => {
      try {
        await pglite.exec(script);
      } catch (error) {
        throw asDriverAdapterError(error);
      }
    };
    return adapter;
  };
  return {
    factory: {
      provider: 'postgres',
      adapterName: '@prisma/adapter-pglite',
      connect: () => connectTo(main),
      connectToShadowDb: async () => {
        const shadow = await openShadow();
        shadows.push(shadow);
        return connectTo(shadow);
      },
    },
    async close() {
      for (const shadow of shadows.splice(0)) if (!shadow.closed) await shadow.close();
    },
  };
}

function asDriverAdapterError(error: unknown): unknown {
  const pgError = error as { code?: unknown; message?: unknown; severity?: unknown; detail?: string; column?: string; hint?: string } | null;
  if (typeof pgError?.code !== 'string' || typeof pgError.message !== 'string') return error;
  return new DriverAdapterError({
    kind: 'postgres',
    code: pgError.code,
    severity: typeof pgError.severity === 'string' ? pgError.severity : 'ERROR',
    message: pgError.message,
    detail: pgError.detail,
    column: pgError.column,
    hint: pgError.hint,
  });
}

// ---------------------------------------------------------------------------------------
// The engine

/** Runs `work` on a fresh engine over `connections`, then frees the engine and releases all it held. */
async function withEngine<T>(
  connections: EngineConnections,
  schema: { path: string; content: string } | null,
  log: ((msg: string) => void) | undefined,
  work: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  const { SchemaEngine } = await loadSchemaEngineModule();
  engineTimers.sessions++;
  try {
    let engine: SchemaEngine;
    try {
      engine = await SchemaEngine.new(
        { datamodels: schema ? [[schema.path, schema.content]] : undefined },
        (line: string) => forwardEngineLog(line, log),
        bindMigrationAwareSqlAdapterFactory(connections.factory),
      );
    } catch (error) {
      throw new MigrationError('ENGINE_FAILED', `schema engine could not start: ${firstLine(error)}`, undefined, error);
    }
    try {
      return await work(engine);
    } finally {
      engine.free();
    }
  } finally {
    if (--engineTimers.sessions === 0) engineTimers.clearPending();
    await connections.close();
  }
}

/**
 * The engine's timers, cleared once no engine is running. It races its advisory lock
 * against a 10 s timeout and never cancels that timer, which would keep the process
 * (a CLI command, a test run) alive 10 s after the work is done.
 */
const engineTimers = {
  sessions: 0,
  pending: new Set<NodeJS.Timeout>(),
  // An arrow: the engine's glue calls it unbound.
  setTimeout: (callback: () => void, ms: number): NodeJS.Timeout => {
    const timer = setTimeout(() => {
      engineTimers.pending.delete(timer);
      callback();
    }, ms);
    engineTimers.pending.add(timer);
    return timer;
  },
  clearPending(): void {
    for (const timer of engineTimers.pending) clearTimeout(timer);
    engineTimers.pending.clear();
  },
};

/** The engine logs JSON lines (tracing events); pass on INFO and above ("Applying `0001_init`"), minus chatter. */
function forwardEngineLog(line: string, log: ((msg: string) => void) | undefined): void {
  if (!log) return;
  try {
    const event = JSON.parse(line) as { level?: string; fields?: { message?: string } };
    const message = event.fields?.message;
    if (!message || event.level === 'DEBUG' || event.level === 'TRACE' || /^(Starting schema-engine|Analysis run)/.test(message)) return;
    log(`schema engine: ${message}`);
  } catch {
    log(`schema engine: ${line.trim()}`);
  }
}

type SchemaEngineModule = { SchemaEngine: typeof SchemaEngine };

let engineModule: Promise<SchemaEngineModule> | undefined;

/**
 * Loads `@prisma/schema-engine-wasm` once per process (per module registry under jest).
 *
 * Its entry is wasm-bindgen "bundler" output (`import * as wasm from "./x.wasm"`), which
 * Node 20 loads only with --experimental-wasm-modules, and jest's module loader not at
 * all. So the wasm is instantiated here, and its JS glue (schema_engine_bg.js: only
 * `export function|class` declarations, no imports) is evaluated in the caller's realm
 * rather than `import()`ed: under jest, `import()` needs --experimental-vm-modules, and
 * a module loaded in another realm would fail the glue's `instanceof Promise` checks
 * on the adapters' results.
 */
function loadSchemaEngineModule(): Promise<SchemaEngineModule> {
  engineModule ??= instantiateSchemaEngine().catch((error: unknown) => {
    engineModule = undefined;
    throw error instanceof MigrationError
      ? error
      : new MigrationError('ENGINE_FAILED', `cannot load the WASM schema engine: ${firstLine(error)}`, undefined, error);
  });
  return engineModule;
}

async function instantiateSchemaEngine(): Promise<SchemaEngineModule> {
  const gluePath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
  const wasmPath = path.join(path.dirname(gluePath), 'schema_engine_bg.wasm');
  const glue = evaluateGlue(gluePath, fs.readFileSync(gluePath, 'utf8'));
  // The wasm imports everything from its glue module, under the glue's file name.
  const wasm = await webAssembly.instantiate(fs.readFileSync(wasmPath), { './schema_engine_bg.js': glue });
  (glue.__wbg_set_wasm as (exports: Record<string, unknown>) => void)(wasm.instance.exports);
  (wasm.instance.exports.__wbindgen_start as () => void)();
  return glue as unknown as SchemaEngineModule;
}

/** The little of the WebAssembly API used here (lib "dom" is off and @types/node 20 lacks it). */
const webAssembly = (
  globalThis as unknown as {
    WebAssembly: {
      instantiate(bytes: Uint8Array, imports: object): Promise<{ instance: { exports: Record<string, unknown> } }>;
    };
  }
).WebAssembly;

function evaluateGlue(file: string, source: string): Record<string, unknown> {
  const exported: string[] = [];
  const body = source.replace(/^export (function|class|const|let|var) ([A-Za-z_$][\w$]*)/gm, (_match, keyword: string, name: string) => {
    exported.push(name);
    return `${keyword} ${name}`;
  });
  const leftover = /^\s*(import|export)\b.*$/m.exec(body);
  if (leftover || !exported.includes('SchemaEngine') || !exported.includes('__wbg_set_wasm')) {
    throw new MigrationError(
      'ENGINE_FAILED',
      `unexpected shape of ${file} (${leftover ? `"${leftover[0].trim().slice(0, 60)}"` : 'no SchemaEngine export'}); ` +
        'the in-process loader in server/src/db/migrations.ts supports wasm-bindgen bundler glue without imports',
    );
  }
  // Function (not eval, not vm) so the glue shares this realm's intrinsics.
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- evaluating the engine's own glue file is the point (see above)
  const factory = new Function('setTimeout', `"use strict";\n${body}\nreturn { ${exported.join(', ')} };\n//# sourceURL=${file}`) as (
    setTimeoutForEngine: typeof engineTimers.setTimeout,
  ) => Record<string, unknown>;
  return factory(engineTimers.setTimeout);
}

// ---------------------------------------------------------------------------------------
// Errors

/** One line naming the migration and the database's complaint, from the engine's multi-line report. */
function migrationFailure(error: unknown, migrationsList: MigrationList): MigrationError {
  if (error instanceof MigrationError) return error;
  const text = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  const migration =
    /migration_name="([^"]+)"/.exec(text)?.[1] ??
    /The `([^`]+)` migration/.exec(text)?.[1] ??
    migrationsList.migrationDirectories.map((dir) => dir.path).find((name) => text.includes(name));
  if (code === 'P3009' && migration) {
    return new MigrationError(
      'MIGRATION_FAILED',
      `migration ${migration} failed earlier and is marked failed in _prisma_migrations; ` +
        'no further migrations will be applied until it is resolved (https://pris.ly/d/migrate-resolve)',
      migration,
      error,
    );
  }
  const summary = summarize(text).replace(/^external connector error:?\s*/i, '');
  if (code === 'P1012') return new MigrationError('MIGRATIONS_UNREADABLE', `schema.prisma is invalid: ${summary.replace(/^error:\s*/i, '')}`, undefined, error);
  if (migration) return new MigrationError('MIGRATION_FAILED', `migration ${migration} failed: ${summary}`, migration, error);
  return new MigrationError('ENGINE_FAILED', `schema engine: ${summary}`, undefined, error);
}

/** The engine's report up to its Rust span trace ("   0: …"), on one line, without links. */
function summarize(text: string): string {
  const lines: string[] = [];
  for (const line of text.split('\n').map((raw) => raw.trim())) {
    if (/^\d+: /.test(line) || line.startsWith('at ')) break;
    if (line) lines.push(line);
  }
  return lines
    .join(' ')
    .replace(/Read more about [^:]*: \S+/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 500);
}

function firstLine(error: unknown): string {
  return summarize(error instanceof Error ? error.message : String(error)).slice(0, 300);
}
