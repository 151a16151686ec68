// When and where the dashboard's live-updates socket (re)connects, and what the
// staff see about it. Pure: the socket itself lives in ./connection.ts.

/** ws:// or wss:// on the page's own origin: the session cookie rides on the upgrade. */
export function liveUrl(location: Pick<Location, 'protocol' | 'host'>, path = '/graphql'): string {
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}${path}`;
}

export const RECONNECT_BASE_MS = 1000;
export const RECONNECT_MAX_MS = 30000;

/**
 * Exponential backoff with "equal jitter": retry n waits between half and all of
 * min(max, base·2^n), so a server restart is not met by every open dashboard at
 * the same instant, and a long outage settles at one attempt every 15–30 s.
 */
export function reconnectDelayMs(retries: number, random: () => number = Math.random): number {
  const ceiling = Math.min(RECONNECT_MAX_MS, RECONNECT_BASE_MS * 2 ** Math.max(0, retries));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/**
 * - `connecting`: the first connection of this page is being made;
 * - `live`: connected, updates arrive as they happen;
 * - `reconnecting`: the socket dropped (or never came up) and is being retried;
 *   what is on screen may be behind.
 */
export type LiveStatus = 'connecting' | 'live' | 'reconnecting';

export type LiveSocketEvent = { type: 'connecting'; isRetry: boolean } | { type: 'connected' } | { type: 'closed' } | { type: 'failed' };

export function nextLiveStatus(status: LiveStatus, event: LiveSocketEvent): LiveStatus {
  switch (event.type) {
    case 'connected':
      return 'live';
    case 'connecting':
      return event.isRetry || status !== 'connecting' ? 'reconnecting' : 'connecting';
    case 'closed':
    case 'failed':
      return 'reconnecting';
  }
}
