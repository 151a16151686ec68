// The dashboard's one live-updates socket (graphql-ws, `graphql-transport-ws`,
// same origin so the session cookie rides on the upgrade). Lazy: it opens with
// the first subscription (after sign-in) and retries forever with backoff and
// jitter. A ping every 10 s without a pong within 5 s means the network dropped
// silently (laptop sleep, Wi-Fi change): the socket is torn down and retried
// instead of hanging "live" with nothing arriving.
import { createContext, useContext } from 'react';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';
import { liveUrl, nextLiveStatus, reconnectDelayMs, type LiveSocketEvent, type LiveStatus } from './reconnect';

const PING_EVERY_MS = 10000;
const PONG_WITHIN_MS = 5000;

export interface LiveConnection {
  socket: WsClient;
  status: () => LiveStatus;
  /** For useSyncExternalStore. */
  onStatus: (listener: () => void) => () => void;
  /** Called on every (re)connection: whatever happened while down was not pushed. */
  onConnected: (listener: () => void) => () => void;
}

export function createLiveConnection(url = liveUrl(window.location)): LiveConnection {
  let status: LiveStatus = 'connecting';
  const statusListeners = new Set<() => void>();
  const connectedListeners = new Set<() => void>();
  let pongTimer: ReturnType<typeof setTimeout> | undefined;

  const move = (event: LiveSocketEvent) => {
    const next = nextLiveStatus(status, event);
    if (next === status) return;
    status = next;
    for (const listener of [...statusListeners]) listener();
  };

  const socket: WsClient = createWsClient({
    url,
    lazy: true,
    retryAttempts: Infinity,
    // Every drop is worth retrying: a deploy, a proxy timeout, a revoked session
    // (then the HTTP queries sign the member out).
    shouldRetry: () => true,
    retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, reconnectDelayMs(retries))),
    keepAlive: PING_EVERY_MS,
    on: {
      connecting: (isRetry) => move({ type: 'connecting', isRetry }),
      connected: () => {
        move({ type: 'connected' });
        for (const listener of [...connectedListeners]) listener();
      },
      closed: () => {
        clearTimeout(pongTimer);
        move({ type: 'closed' });
      },
      ping: (received) => {
        if (received) return;
        clearTimeout(pongTimer);
        pongTimer = setTimeout(() => socket.terminate(), PONG_WITHIN_MS);
      },
      pong: (received) => {
        if (received) clearTimeout(pongTimer);
      },
    },
  });

  const listen = (set: Set<() => void>) => (listener: () => void) => {
    set.add(listener);
    return () => void set.delete(listener);
  };
  return { socket, status: () => status, onStatus: listen(statusListeners), onConnected: listen(connectedListeners) };
}

export const LiveConnectionContext = createContext<LiveConnection | null>(null);

export function useLiveConnection(): LiveConnection {
  const connection = useContext(LiveConnectionContext);
  if (!connection) throw new Error('useLiveConnection outside LiveConnectionContext');
  return connection;
}
