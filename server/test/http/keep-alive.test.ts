// Idle keep-alive connections outlive the clients and proxies that reuse them.
// With Node's default 5 s, a client whose own idle limit is 4 s (fetch/undici, from the
// server's `Keep-Alive: timeout=5` minus its 1 s margin) and whose timers run late can send
// its next request on a connection the server is closing that instant: "other side closed"
// (nodejs/undici#3141). The same race, on a 60 s idle timeout, bites behind a load balancer.
import net from 'node:net';
import type { Database } from '../../src/db/client';
import type { RunningServer } from '../../src/server';
import { openTestDatabase } from '../support/database';
import { startTestServer } from '../support/server';

jest.setTimeout(60_000);

const REQUEST = 'GET /healthz HTTP/1.1\r\nHost: callsnare.test\r\nConnection: keep-alive\r\n\r\n';

/** Writes one request on the socket and resolves with its whole response (headers and body). */
function exchange(socket: net.Socket): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const onData = (chunk: Buffer) => {
      text += chunk.toString('utf8');
      const [head, body = ''] = text.split('\r\n\r\n');
      const length = Number(/content-length: (\d+)/i.exec(head ?? '')?.[1] ?? NaN);
      if (body.length >= length) finish(() => resolve(text));
    };
    const onEnd = () => finish(() => reject(new Error(`the server closed the connection; read so far: ${JSON.stringify(text)}`)));
    const finish = (settle: () => void) => {
      socket.off('data', onData).off('end', onEnd).off('error', reject);
      settle();
    };
    socket.on('data', onData).once('end', onEnd).once('error', reject);
    socket.write(REQUEST);
  });
}

describe('keep-alive connections', () => {
  let db: Database;
  let server: RunningServer;

  beforeAll(async () => {
    db = await openTestDatabase('pglite');
    server = await startTestServer(db);
  });
  afterAll(async () => {
    await server.close();
    await db.close();
  });

  it('are kept longer than a 60 s proxy idle timeout: a request after 6 s idle on the same connection is answered', async () => {
    const { hostname, port } = new URL(server.url);
    const socket = net.connect(Number(port), hostname);
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    try {
      const first = await exchange(socket);
      expect(first).toMatch(/^HTTP\/1\.1 200/);
      // What clients read to decide how long they may reuse the connection.
      const advertised = Number(/\r\nKeep-Alive: timeout=(\d+)\r\n/i.exec(first)?.[1]);
      expect(advertised).toBeGreaterThan(60);
      await new Promise((resolve) => setTimeout(resolve, 6_000));
      expect(await exchange(socket)).toMatch(/^HTTP\/1\.1 200/);
    } finally {
      socket.destroy();
    }
  });
});
