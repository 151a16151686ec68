// The signed-in shell's live inbox: one `inboxUpdates` subscription for every
// page. Each update refreshes whatever lists are on screen (coalesced), keeps the
// tab title's attention badge true, and a missed call or a caller's reply
// chimes and, in a background tab, raises a desktop notification.
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, useSyncExternalStore, type ReactNode } from 'react';
import { useNavigate } from 'react-router';
import { useClient, useQuery } from 'urql';
import { InboxAttentionDocument, InboxUpdatesDocument, type InboxUpdatesSubscription } from '../generated/graphql';
import { attentionCount } from '../lib/attention';
import { useTitleBadge } from '../lib/title-badge';
import { alertFor, type InboxAlert } from './alerts';
import { playChime } from './chime';
import { coalesce } from './coalesce';
import { useLiveConnection } from './connection';
import { showDesktopAlert } from './desktop-alerts';
import { reconnectDelayMs, type LiveStatus } from './reconnect';

export type InboxUpdate = InboxUpdatesSubscription['inboxUpdates'];
/** `updates` is empty after a reconnection: anything may have changed. */
type RefreshListener = (updates: InboxUpdate[]) => void;

interface LiveInbox {
  status: LiveStatus;
  attention: number | null;
  alerts: InboxAlert[];
  dismissAlert: (tag: string) => void;
  onRefresh: (listener: RefreshListener) => () => void;
}

const LiveInboxContext = createContext<LiveInbox | null>(null);

/** Refresh lists at most this often during a burst of updates. */
const COALESCE_MS = 750;
/** How long an in-page alert stays. */
const TOAST_MS = 12000;

/** `enabled` false (a member without an organization): nothing to listen to. */
export function LiveInboxProvider({ enabled = true, children }: { enabled?: boolean; children: ReactNode }) {
  const connection = useLiveConnection();
  const client = useClient();
  const navigate = useNavigate();
  const status = useSyncExternalStore(connection.onStatus, connection.status);
  const listeners = useRef(new Set<RefreshListener>());
  const [alerts, setAlerts] = useState<InboxAlert[]>([]);

  const [attentionResult, refetchAttention] = useQuery({ query: InboxAttentionDocument, requestPolicy: 'network-only', pause: !enabled });
  const lastAttention = useRef<number | null>(null);
  if (attentionResult.data) lastAttention.current = attentionCount(attentionResult.data.needsReply.totalCount, attentionResult.data.inbox.nodes);
  const attention = lastAttention.current;
  useTitleBadge(attention ?? 0);

  const onRefresh = useCallback((listener: RefreshListener) => {
    listeners.current.add(listener);
    return () => void listeners.current.delete(listener);
  }, []);
  const dismissAlert = useCallback((tag: string) => setAlerts((shown) => shown.filter((a) => a.tag !== tag)), []);

  const alertRef = useRef<(update: InboxUpdate) => void>(() => {});
  alertRef.current = (update) => {
    const alert = alertFor(update.kind, update.lead);
    if (!alert) return;
    playChime();
    if (document.hidden || !document.hasFocus()) showDesktopAlert(alert, (leadId) => void navigate(`/leads/${leadId}`));
    setAlerts((shown) => [alert, ...shown.filter((a) => a.tag !== alert.tag)].slice(0, 3));
    setTimeout(() => setAlerts((shown) => shown.filter((a) => a !== alert)), TOAST_MS);
  };

  useEffect(() => {
    if (!enabled) return;
    const broadcast = coalesce<InboxUpdate | null>((items) => {
      refetchAttention({ requestPolicy: 'network-only' });
      const updates = items.includes(null) ? [] : (items as InboxUpdate[]);
      for (const listener of [...listeners.current]) listener(updates);
    }, COALESCE_MS);

    let stopped = false;
    let retries = 0;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let subscription: { unsubscribe(): void } | undefined;
    const subscribe = () => {
      subscription = client.subscription(InboxUpdatesDocument, {}).subscribe((result) => {
        if (result.data) {
          retries = 0;
          alertRef.current(result.data.inboxUpdates);
          broadcast.push(result.data.inboxUpdates);
        } else if (result.error && !stopped) {
          // The server refused or ended the subscription (the socket itself retries on
          // its own): subscribe again after a backoff. An ended session shows over
          // HTTP (UNAUTHENTICATED signs the member out), so ask once that way too.
          refetchAttention({ requestPolicy: 'network-only' });
          clearTimeout(retryTimer);
          retryTimer = setTimeout(() => {
            subscription?.unsubscribe();
            if (!stopped) subscribe();
          }, reconnectDelayMs(retries++));
        }
      });
    };
    subscribe();

    // Whatever happened while the socket was not listening was not pushed: resync on every
    // connection, the first one included (the page read its lists over HTTP before the socket
    // was up, and a call committed in between would otherwise wait for the next change).
    const offConnected = connection.onConnected(() => broadcast.push(null));
    return () => {
      stopped = true;
      clearTimeout(retryTimer);
      subscription?.unsubscribe();
      offConnected();
      broadcast.cancel();
    };
  }, [enabled, client, connection, refetchAttention]);

  // While updates are not arriving, the badge falls back to polling.
  useFallbackPolling(() => enabled && refetchAttention({ requestPolicy: 'network-only' }), status);

  const value = useMemo<LiveInbox>(() => ({ status, attention, alerts, dismissAlert, onRefresh }), [status, attention, alerts, dismissAlert, onRefresh]);
  return <LiveInboxContext.Provider value={value}>{children}</LiveInboxContext.Provider>;
}

export function useLiveInbox(): LiveInbox {
  const live = useContext(LiveInboxContext);
  if (!live) throw new Error('useLiveInbox outside LiveInboxProvider');
  return live;
}

/** How often lists poll while live updates are down. */
export const FALLBACK_POLL_MS = 10000;

function useFallbackPolling(refresh: () => void, status: LiveStatus, intervalMs = FALLBACK_POLL_MS): void {
  const refreshRef = useRef(refresh);
  refreshRef.current = refresh;
  useEffect(() => {
    if (status === 'live') return;
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') refreshRef.current();
    }, intervalMs);
    return () => clearInterval(timer);
  }, [status, intervalMs]);
}

/**
 * Re-runs `refresh` when the inbox changes (coalesced), after a reconnection,
 * and on a slow poll while live updates are down. With `leadId`, only updates
 * about that lead count (a lead page).
 */
export function useLiveRefresh(refresh: () => void, options: { leadId?: string } = {}): void {
  const { onRefresh, status } = useLiveInbox();
  const refreshRef = useRef(refresh);
  refreshRef.current = refresh;
  const { leadId } = options;
  useEffect(
    () =>
      onRefresh((updates) => {
        if (!leadId || updates.length === 0 || updates.some((u) => u.lead.id === leadId)) refreshRef.current();
      }),
    [onRefresh, leadId],
  );
  useFallbackPolling(refresh, status);
}
