// Small shared pieces: error/empty/loading states, times, status badges, guarded pages.
import { useEffect, useState, type ReactNode } from 'react';
import type { CombinedError } from '@urql/core';
import { describeError } from '../lib/errors';
import { formatAbsolute, formatPhone, formatRelative } from '../lib/time';
import type { Operation } from '../generated/graphql';
import { useSession } from '../session';

export function ErrorNotice({ error, title }: { error: CombinedError | null | undefined; title?: string }) {
  const view = describeError(error);
  if (!view) return null;
  return (
    <div className="notice notice-error" role="alert">
      {title ? <strong>{title}: </strong> : null}
      {view.message}
      {Object.keys(view.fields).length > 0 ? (
        <ul>
          {Object.entries(view.fields).map(([field, problem]) => (
            <li key={field}>
              <code>{field}</code>: {problem}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

export function Loading({ what = 'Loading' }: { what?: string }) {
  return (
    <p className="muted" role="status" aria-live="polite">
      {what}…
    </p>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}

/** Re-renders every 30 s so relative times stay true. */
export function useNow(intervalMs = 30000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

export function Time({ iso }: { iso: string | null | undefined }) {
  const { timezone } = useSession();
  const now = useNow();
  if (!iso) return <span className="muted">—</span>;
  const absolute = formatAbsolute(iso, timezone);
  return (
    <time dateTime={iso} title={absolute}>
      {formatRelative(iso, now)} <span className="muted small">({absolute})</span>
    </time>
  );
}

/** Keyboard shortcuts to mention ("j/k to move"): hidden on touch screens, which have no keys to press. */
export function KeyboardHint({ children }: { children: ReactNode }) {
  return <span className="keyboard-hint">{children}</span>;
}

/** A phone number people can tap or click to call (tel:), shown the way it is dialled locally. */
export function PhoneLink({ phone, className, children }: { phone: string; className?: string; children?: ReactNode }) {
  return (
    <a href={`tel:${phone}`} className={className ? `phone-link ${className}` : 'phone-link'} title={`Call ${formatPhone(phone)}`}>
      {children ?? formatPhone(phone)}
    </a>
  );
}

export function Badge({ value, tone }: { value: string; tone?: string }) {
  return <span className={`badge badge-${(tone ?? value).toLowerCase()}`}>{value.replace(/_/g, ' ')}</span>;
}

export function NotPermitted() {
  const { role } = useSession();
  return (
    <section aria-labelledby="np-title">
      <h1 id="np-title">Not permitted</h1>
      <p>Your role ({role ?? 'none'}) does not permit this page. Ask an owner or admin of your organization if you need access.</p>
    </section>
  );
}

/** Shows the page when the member may call `operation` (the query it reads), else "Not permitted". */
export function Guard({ operation, children }: { operation: Operation; children: ReactNode }) {
  const { can } = useSession();
  return can(operation) ? <>{children}</> : <NotPermitted />;
}

/** The tab title: "<what> · CallSnare". */
export function useDocumentTitle(what: string | null | undefined): void {
  useEffect(() => {
    if (what) document.title = `${what} · CallSnare`;
  }, [what]);
}

export function PageTitle({ children, actions }: { children: ReactNode; actions?: ReactNode }) {
  useDocumentTitle(typeof children === 'string' ? children : null);
  return (
    <div className="page-title">
      <h1>{children}</h1>
      {actions ? <div className="actions">{actions}</div> : null}
    </div>
  );
}

/** Reruns a query on an interval (and when the tab becomes visible again). */
export function usePolling(refetch: () => void, intervalMs: number): void {
  useEffect(() => {
    const tick = () => {
      if (document.visibilityState === 'visible') refetch();
    };
    const timer = setInterval(tick, intervalMs);
    document.addEventListener('visibilitychange', tick);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', tick);
    };
  }, [refetch, intervalMs]);
}

/** Cursor paging for newest-first lists: a stack of `after` cursors, one per older page. */
export function useCursorPages() {
  const [cursors, setCursors] = useState<string[]>([]);
  return {
    after: cursors.at(-1),
    reset: () => setCursors([]),
    newer: () => setCursors((c) => c.slice(0, -1)),
    older: (cursor: string) => setCursors((c) => [...c, cursor]),
    depth: cursors.length,
  };
}

export function Pager({ pages, pageInfo }: { pages: ReturnType<typeof useCursorPages>; pageInfo: { hasNextPage: boolean; endCursor?: string | null } }) {
  return (
    <div className="pager">
      <button className="small" disabled={pages.depth === 0} onClick={pages.newer}>
        Newer
      </button>
      <button
        className="small"
        disabled={!pageInfo.hasNextPage || !pageInfo.endCursor}
        onClick={() => {
          if (pageInfo.endCursor) pages.older(pageInfo.endCursor);
        }}
      >
        Older
      </button>
    </div>
  );
}
