// Home: leads needing action first, with counts; filters; refreshes every 4 s.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useQuery } from 'urql';
import { CallbacksDocument, InboxCountsDocument, LeadsDocument, type LeadStatus } from '@callsnare/sdk/documents';
import { Badge, Empty, ErrorNotice, Loading, PageTitle, Time, usePolling } from '../components/ui';
import { inboxReason, loadSeen, sortInbox } from '../lib/inbox';
import { dayEndIso, dayStartIso, formatPhone } from '../lib/time';

export const INBOX_POLL_MS = 4000;
const STATUSES: LeadStatus[] = ['NEW', 'CONTACTED', 'BOOKED', 'LOST'];

export function InboxPage() {
  const [params, setParams] = useSearchParams();
  const status = params.get('status') ?? 'OPEN';
  const search = params.get('q') ?? '';
  const since = params.get('since') ?? '';
  const until = params.get('until') ?? '';
  const [searchDraft, setSearchDraft] = useState(search);
  const navigate = useNavigate();

  const filter = useMemo(
    () => ({
      status: status === 'ALL' ? undefined : status === 'OPEN' ? (['NEW', 'CONTACTED'] as LeadStatus[]) : [status as LeadStatus],
      search: search || undefined,
      since: dayStartIso(since),
      until: dayEndIso(until),
    }),
    [status, search, since, until],
  );
  const [leads, refetchLeads] = useQuery({ query: LeadsDocument, variables: { filter, first: 50 } });
  const [counts, refetchCounts] = useQuery({ query: InboxCountsDocument });
  const [overdue, refetchOverdue] = useQuery({ query: CallbacksDocument, variables: { filter: { overdue: true }, first: 100 } });
  const refresh = useCallback(() => {
    refetchLeads({ requestPolicy: 'network-only' });
    refetchCounts({ requestPolicy: 'network-only' });
    refetchOverdue({ requestPolicy: 'network-only' });
  }, [refetchLeads, refetchCounts, refetchOverdue]);
  usePolling(refresh, INBOX_POLL_MS);

  useListKeys();
  const seen = loadSeen();
  const overdueLeadIds = useMemo(() => new Set((overdue.data?.callbacks.nodes ?? []).map((c) => c.lead.id)), [overdue.data]);
  const rows = sortInbox(leads.data?.leads.nodes ?? [], overdueLeadIds, seen);

  const setParam = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };

  const c = counts.data;
  return (
    <section aria-labelledby="inbox-title">
      <PageTitle>Inbox</PageTitle>
      <ul className="counts" aria-label="Needs action">
        <li className={c && c.overdueCallbacks.totalCount > 0 ? 'count count-alert' : 'count'}>
          <Link to="/callbacks">
            <strong data-testid="count-overdue">{c?.overdueCallbacks.totalCount ?? '–'}</strong> overdue callbacks
          </Link>
        </li>
        <li className="count">
          <button className="link-button" onClick={() => setParam('status', 'NEW')}>
            <strong data-testid="count-new">{c?.newLeads.totalCount ?? '–'}</strong> new missed calls
          </button>
        </li>
        <li className="count">
          <button className="link-button" onClick={() => setParam('status', 'OPEN')}>
            <strong>{c?.openLeads.totalCount ?? '–'}</strong> open leads
          </button>
        </li>
        <li className="count">
          <Link to="/callbacks">
            <strong>{c?.openCallbacks.totalCount ?? '–'}</strong> callbacks to make
          </Link>
        </li>
      </ul>

      <form
        className="filters"
        role="search"
        onSubmit={(event) => {
          event.preventDefault();
          setParam('q', searchDraft.trim());
        }}
      >
        <label>
          Status
          <select value={status} onChange={(e) => setParam('status', e.target.value === 'OPEN' ? '' : e.target.value)}>
            <option value="OPEN">Open (new + contacted)</option>
            <option value="ALL">All</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s.charAt(0) + s.slice(1).toLowerCase()}
              </option>
            ))}
          </select>
        </label>
        <label>
          Phone or name
          <input type="search" value={searchDraft} onChange={(e) => setSearchDraft(e.target.value)} placeholder="555 0123 or Jordan" />
        </label>
        <label>
          From
          <input type="date" value={since} onChange={(e) => setParam('since', e.target.value)} />
        </label>
        <label>
          To
          <input type="date" value={until} onChange={(e) => setParam('until', e.target.value)} />
        </label>
        <button type="submit">Search</button>
      </form>

      <ErrorNotice error={leads.error} title="Leads could not load" />
      {leads.fetching && !leads.data ? <Loading what="Loading leads" /> : null}
      {leads.data && rows.length === 0 ? <Empty>No leads match. New missed calls appear here on their own.</Empty> : null}
      {rows.length > 0 ? (
        <>
          <p className="muted small" aria-live="polite">
            {leads.data?.leads.totalCount} lead{leads.data?.leads.totalCount === 1 ? '' : 's'} · refreshes every {INBOX_POLL_MS / 1000} s · keys: j/k to move, Enter to open
          </p>
          <table className="list" data-testid="inbox-list">
            <thead>
              <tr>
                <th scope="col">Caller</th>
                <th scope="col">Status</th>
                <th scope="col">Needs</th>
                <th scope="col">Last activity</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((lead) => {
                const reason = inboxReason(lead, overdueLeadIds, seen);
                return (
                  <tr
                    key={lead.id}
                    className={reason ? `row-${reason}` : undefined}
                    data-lead-phone={lead.phone}
                    onClick={() => navigate(`/leads/${lead.id}`)}
                  >
                    <td>
                      <Link to={`/leads/${lead.id}`} className="lead-link">
                        {reason ? <span className="dot" aria-label="updated" /> : null}
                        {lead.name ?? formatPhone(lead.phone)}
                      </Link>
                      {lead.name ? <div className="muted small">{formatPhone(lead.phone)}</div> : null}
                      {lead.optedOut ? <Badge value="OPTED OUT" tone="lost" /> : null}
                    </td>
                    <td>
                      <Badge value={lead.status} />
                    </td>
                    <td>{reason === 'overdue' ? <Badge value="Callback overdue" tone="overdue" /> : reason === 'new' ? <Badge value="New missed call" tone="new" /> : reason === 'updated' ? <Badge value="Updated" tone="updated" /> : <span className="muted">—</span>}</td>
                    <td>
                      <Time iso={lead.lastActivityAt} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </>
      ) : null}
    </section>
  );
}

/** j/k move the focus through the list's lead links (Enter opens one), unless typing in a field. */
function useListKeys() {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.altKey || event.ctrlKey || event.metaKey || (event.key !== 'j' && event.key !== 'k')) return;
      const target = event.target as HTMLElement | null;
      if (target && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))) return;
      const links = [...document.querySelectorAll<HTMLAnchorElement>('[data-testid=inbox-list] .lead-link')];
      if (links.length === 0) return;
      const index = links.indexOf(document.activeElement as HTMLAnchorElement);
      const next = event.key === 'j' ? Math.min(index + 1, links.length - 1) : Math.max(index - 1, 0);
      links[index === -1 ? 0 : next]!.focus();
      event.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
}
