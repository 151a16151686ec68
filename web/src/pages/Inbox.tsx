// Home: open leads in the server's work order (callers waiting for a reply,
// overdue callbacks, new missed calls, then the rest), live; filters; "Load more".
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useClient, useQuery } from 'urql';
import { InboxCountsDocument, InboxDocument, InboxLeadsDocument, type InboxLeadFieldsFragment, type LeadStatus } from '../generated/graphql';
import { Badge, Empty, ErrorNotice, KeyboardHint, Loading, PageTitle, Time } from '../components/ui';
import { inboxNeed, NEED_LABEL, preview, usesWorkOrder, type InboxView } from '../lib/inbox';
import { usePagedList, type FetchPage, type PagedList } from '../lib/paged-list';
import { dayEndIso, dayStartIso, formatPhone } from '../lib/time';
import { useLiveRefresh } from '../live/LiveInbox';
import { AlertSettings, LiveIndicator } from '../live/LiveControls';
import { useSession } from '../session';

export const INBOX_PAGE_SIZE = 25;
const STATUSES: LeadStatus[] = ['NEW', 'CONTACTED', 'BOOKED', 'LOST'];
const OPEN_STATUSES: LeadStatus[] = ['NEW', 'CONTACTED'];

type InboxCounts = NonNullable<ReturnType<typeof useInboxCounts>['counts']>;
type SetParam = (key: string, value: string) => void;

export function InboxPage() {
  const { view, setParam, clearFilters } = useInboxView();
  const { list, workOrder } = useInboxLeads(view);
  const { counts, refetchCounts } = useInboxCounts();
  const { refresh: refreshList } = list;
  const refresh = useCallback(() => {
    refreshList();
    refetchCounts({ requestPolicy: 'network-only' });
  }, [refreshList, refetchCounts]);
  useLiveRefresh(refresh);
  useListKeys();

  return (
    <section aria-labelledby="inbox-title">
      <PageTitle
        actions={
          <>
            <LiveIndicator />
            <AlertSettings />
          </>
        }
      >
        Inbox
      </PageTitle>
      <InboxCountList counts={counts} view={view} setParam={setParam} clearFilters={clearFilters} />
      <InboxFilters counts={counts} view={view} setParam={setParam} />
      <InboxList list={list} workOrder={workOrder} />
    </section>
  );
}

/** The inbox's filters live in the URL (shareable, kept on reload): status, q, since, until, needsReply. */
function useInboxView() {
  const [params, setParams] = useSearchParams();
  const view: InboxView = {
    status: params.get('status') ?? 'OPEN',
    search: params.get('q') ?? '',
    since: params.get('since') ?? '',
    until: params.get('until') ?? '',
    needsReply: params.get('needsReply') === '1',
  };
  const setParam: SetParam = (key, value) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };
  const clearFilters = () => setParams(new URLSearchParams(), { replace: true });
  return { view, setParam, clearFilters };
}

/** The leads on screen: the server's work order (`inbox`) for the default view, else `leads` with the filter. */
function useInboxLeads(view: InboxView) {
  const client = useClient();
  const { timezone } = useSession();
  const workOrder = usesWorkOrder(view);
  const filter = useMemo(
    () => ({
      status: view.status === 'ALL' ? undefined : view.status === 'OPEN' ? OPEN_STATUSES : [view.status as LeadStatus],
      search: view.search || undefined,
      since: dayStartIso(view.since, timezone),
      until: dayEndIso(view.until, timezone),
      needsReply: view.needsReply || undefined,
    }),
    [view.status, view.search, view.since, view.until, view.needsReply, timezone],
  );
  const fetchPage = useCallback<FetchPage<InboxLeadFieldsFragment>>(
    async (first, after) => {
      if (workOrder) {
        const result = await client.query(InboxDocument, { first, after }, { requestPolicy: 'network-only' }).toPromise();
        if (!result.data) throw result.error ?? new Error('no data');
        return result.data.inbox;
      }
      const result = await client.query(InboxLeadsDocument, { filter, first, after }, { requestPolicy: 'network-only' }).toPromise();
      if (!result.data) throw result.error ?? new Error('no data');
      return result.data.leads;
    },
    [client, workOrder, filter],
  );
  const list = usePagedList(workOrder ? 'inbox' : JSON.stringify(filter), fetchPage, INBOX_PAGE_SIZE);
  return { list, workOrder };
}

/** The counts above the list; they stay on screen through a failed refresh (urql drops data on an error result). */
function useInboxCounts() {
  const [counts, refetchCounts] = useQuery({ query: InboxCountsDocument });
  const [lastCounts, setLastCounts] = useState(counts.data);
  useEffect(() => {
    if (counts.data) setLastCounts(counts.data);
  }, [counts.data]);
  return { counts: counts.data ?? lastCounts, refetchCounts };
}

function InboxCountList({
  counts: c,
  view,
  setParam,
  clearFilters,
}: {
  counts: InboxCounts | undefined;
  view: InboxView;
  setParam: SetParam;
  clearFilters: () => void;
}) {
  return (
    <ul className="counts" aria-label="Needs action">
      <li className={c && c.stats.needsReply > 0 ? 'count count-reply' : 'count'}>
        <button className="link-button" onClick={() => setParam('needsReply', view.needsReply ? '' : '1')} aria-pressed={view.needsReply}>
          <strong data-testid="count-needs-reply">{c?.stats.needsReply ?? '–'}</strong> waiting for a reply
        </button>
      </li>
      <li className={c && c.stats.overdueCallbacksNow > 0 ? 'count count-alert' : 'count'}>
        <Link to="/callbacks">
          <strong data-testid="count-overdue">{c?.stats.overdueCallbacksNow ?? '–'}</strong> overdue callbacks
        </Link>
      </li>
      <li className="count" title="Open leads with a missed call you have not opened since">
        <strong data-testid="count-new">{c?.stats.newMissedCalls ?? '–'}</strong> new missed calls
      </li>
      {c && c.stats.needsDecision > 0 ? (
        <li className="count count-decision">
          <strong data-testid="count-needs-decision">{c.stats.needsDecision}</strong> need a decision (no answer on every attempt)
        </li>
      ) : null}
      <li className="count">
        <button className="link-button" onClick={clearFilters}>
          <strong data-testid="count-open">{c?.stats.openLeads ?? '–'}</strong> open leads
        </button>
      </li>
      <li className="count">
        <Link to="/callbacks">
          <strong>{c?.openCallbacks.totalCount ?? '–'}</strong> callbacks to make
        </Link>
      </li>
    </ul>
  );
}

function InboxFilters({ counts, view, setParam }: { counts: InboxCounts | undefined; view: InboxView; setParam: SetParam }) {
  const [searchDraft, setSearchDraft] = useState(view.search);
  return (
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
        <select value={view.status} onChange={(e) => setParam('status', e.target.value === 'OPEN' ? '' : e.target.value)}>
          <option value="OPEN">Open, most urgent first</option>
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
        <input type="date" value={view.since} onChange={(e) => setParam('since', e.target.value)} />
      </label>
      <label>
        To
        <input type="date" value={view.until} onChange={(e) => setParam('until', e.target.value)} />
      </label>
      <label className="checkbox">
        <input type="checkbox" checked={view.needsReply} onChange={(e) => setParam('needsReply', e.target.checked ? '1' : '')} /> Waiting for a reply only
        {counts ? ` (${counts.stats.needsReply})` : ''}
      </label>
      <button type="submit">Search</button>
    </form>
  );
}

function InboxList({ list, workOrder }: { list: PagedList<InboxLeadFieldsFragment>; workOrder: boolean }) {
  const navigate = useNavigate();
  return (
    <>
      {list.error && list.rows.length > 0 ? (
        <p className="notice notice-warn" role="status">
          Could not refresh the list; showing what was loaded before. It updates again as soon as the connection is back.
        </p>
      ) : (
        <ErrorNotice error={list.error as Parameters<typeof ErrorNotice>[0]['error']} title="Leads could not load" />
      )}
      {list.loading && list.rows.length === 0 ? <Loading what="Loading leads" /> : null}
      {!list.loading && !list.error && list.rows.length === 0 ? (
        <Empty>{workOrder ? 'Nothing open. New missed calls appear here as they happen.' : 'No leads match.'}</Empty>
      ) : null}
      {list.rows.length > 0 ? (
        <>
          <p className="muted small">
            {list.totalCount ?? list.rows.length} lead{list.totalCount === 1 ? '' : 's'}
            {workOrder ? ', most urgent first' : ''}
            <KeyboardHint> · keys: j/k to move, Enter to open</KeyboardHint>
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
              {list.rows.map((lead) => (
                <InboxRow key={lead.id} lead={lead} onOpen={() => void navigate(`/leads/${lead.id}`)} />
              ))}
            </tbody>
          </table>
          <div className="pager">
            <span className="muted small" data-testid="inbox-shown">
              Showing {list.rows.length} of {list.totalCount ?? list.rows.length}
            </span>
            {list.hasNextPage ? (
              <button type="button" className="small" disabled={list.loadingMore} onClick={list.loadMore}>
                {list.loadingMore ? 'Loading…' : 'Load more'}
              </button>
            ) : null}
          </div>
        </>
      ) : null}
    </>
  );
}

function InboxRow({ lead, onOpen }: { lead: InboxLeadFieldsFragment; onOpen: () => void }) {
  const need = inboxNeed(lead);
  const said = preview(lead.lastInboundText);
  const classes = [need ? `row-${need}` : '', lead.unread ? 'row-unread' : ''].filter(Boolean).join(' ');
  return (
    <tr
      className={classes || undefined}
      data-lead-phone={lead.phone}
      data-lead-id={lead.id}
      data-need={need ?? ''}
      // The whole row opens the lead; a click on its link already navigated (one history entry per click).
      onClick={(event) => {
        if (!(event.target as HTMLElement).closest('a, button')) onOpen();
      }}
    >
      <td>
        <Link to={`/leads/${lead.id}`} className="lead-link">
          {lead.unread ? <span className="dot" role="img" aria-label="unread" /> : null}
          {lead.name ?? formatPhone(lead.phone)}
        </Link>
        {lead.name ? <div className="muted small">{formatPhone(lead.phone)}</div> : null}
        {said ? (
          <div className="said small" data-testid="last-inbound">
            “{said}”
          </div>
        ) : null}
        {lead.optedOut ? <Badge value="OPTED OUT" tone="lost" /> : null}
      </td>
      <td>
        <Badge value={lead.status} />
      </td>
      <td>
        {need ? (
          <Badge value={NEED_LABEL[need]} tone={need === 'reply' ? 'reply' : need === 'decision' ? 'decision' : need} />
        ) : lead.unread ? (
          <Badge value="Updated" tone="updated" />
        ) : (
          <span className="muted">—</span>
        )}
      </td>
      <td>
        <Time iso={lead.lastActivityAt} />
      </td>
    </tr>
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
      links[index === -1 ? 0 : next]?.focus();
      event.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
}
