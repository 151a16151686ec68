// The real server as a separate process (server/bin/callsnare.js serve, the
// built server), for tests that kill it: started, waited for until it is
// ready, killed with SIGKILL or stopped with SIGTERM.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

const SERVER_ROOT = path.resolve(__dirname, '..', '..');
const BIN = path.join(SERVER_ROOT, 'bin', 'callsnare.js');
const BUILT = path.join(SERVER_ROOT, 'dist', 'cli', 'main.js');

/**
 * The process runs server/dist: without it there is nothing to run, and a
 * build older than a source file runs old code.
 */
export function builtServerState(): { missing: string | null; stale: string | null } {
  if (!fs.existsSync(BUILT)) return { missing: 'server/dist is missing: run `npm run build -w server` first', stale: null };
  const builtAt = fs.statSync(BUILT).mtimeMs;
  const newer = sourceFiles(path.join(SERVER_ROOT, 'src')).find((file) => fs.statSync(file).mtimeMs > builtAt);
  return { missing: null, stale: newer ? `server/dist is older than server/${path.relative(SERVER_ROOT, newer)} (npm run build -w server)` : null };
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'generated' ? [] : sourceFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

/** A port nothing listens on now (the server is restarted on the same one, as behind a fixed address). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  /** What the process wrote to stderr so far (for failure messages). */
  stderr(): string;
}

export async function startServerProcess(env: Record<string, string>, port: number, deadline: number): Promise<ServerProcess> {
  const child = spawn(process.execPath, [BIN, 'serve'], {
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const state = { gone: false };
  void exited.then(() => (state.gone = true));
  for (;;) {
    if (state.gone) throw new Error(`the server exited before it was ready:\n${stderr}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the server was not ready in time:\n${stderr}`);
    }
    try {
      if ((await fetch(`${url}/readyz`)).status === 200) break;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { url, child, exited, stderr: () => stderr };
}
