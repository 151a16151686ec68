// The callback queue: due soonest first, which attempt it is, red only when late; live.
import { useCallback, useState } from 'react';
import { Link } from 'react-router';
import { useClient, useMutation } from 'urql';
import { AssignCallbackDocument, CallbacksDocument, type CallbackFieldsFragment, type CallbackStatus } from '../generated/graphql';
import { Badge, Empty, ErrorNotice, Loading, PageTitle, Time, useNow } from '../components/ui';
import { CompleteCallback } from '../components/CompleteCallback';
import { attemptLabel, isOverdue } from '../lib/callbacks';
import { usePagedList, type FetchPage } from '../lib/paged-list';
import { formatLateness, formatPhone } from '../lib/time';
import { useLiveRefresh } from '../live/LiveInbox';
import { LiveIndicator } from '../live/LiveControls';
import { useSession } from '../session';

const PAGE_SIZE = 25;
const WAITING: CallbackStatus[] = ['OPEN', 'SCHEDULED'];

export function CallbacksPage() {
  const { can, viewer } = useSession();
  const client = useClient();
  const [mine, setMine] = useState(false);
  const assigneeId = mine ? viewer.user?.id : undefined;
  const fetchPage = useCallback<FetchPage<CallbackFieldsFragment>>(
    async (first, after) => {
      const result = await client
        .query(CallbacksDocument, { filter: { status: WAITING, assigneeId }, first, after }, { requestPolicy: 'network-only' })
        .toPromise();
      if (!result.data) throw result.error ?? new Error('no data');
      return result.data.callbacks;
    },
    [client, assigneeId],
  );
  const list = usePagedList(`callbacks:${assigneeId ?? 'all'}`, fetchPage, PAGE_SIZE);
  const { refresh } = list;
  useLiveRefresh(refresh);
  const [assign, assignCallback] = useMutation(AssignCallbackDocument);
  const now = useNow();
  const writer = can('assignCallback');
  const late = list.rows.filter((c) => isOverdue(c, now)).length;

  return (
    <section aria-labelledby="cb-page-title">
      <PageTitle actions={<LiveIndicator />}>Callbacks</PageTitle>
      <div className="filters">
        <label className="checkbox">
          <input type="checkbox" checked={mine} onChange={(e) => setMine(e.target.checked)} /> Only mine
        </label>
        <span className="muted small" data-testid="callback-summary">
          {list.totalCount !== null ? `${list.totalCount} to make · ${late} overdue${list.hasNextPage ? ' on this page' : ''}` : ''}
        </span>
      </div>
      {list.error && list.rows.length > 0 ? (
        <p className="notice notice-warn" role="status">
          Could not refresh the queue; showing what was loaded before.
        </p>
      ) : (
        <ErrorNotice error={list.error as Parameters<typeof ErrorNotice>[0]['error']} />
      )}
      <ErrorNotice error={assign.error} />
      {list.loading && list.rows.length === 0 ? <Loading what="Loading callbacks" /> : null}
      {!list.loading && !list.error && list.rows.length === 0 ? <Empty>No callbacks waiting. Nice work.</Empty> : null}
      <ul className="queue" data-testid="callback-queue">
        {list.rows.map((c) => {
          const overdue = isOverdue(c, now);
          const attempt = attemptLabel(c.attempt);
          return (
            <li key={c.id} className={overdue ? 'card callback overdue' : 'card callback'} data-lead-phone={c.lead.phone} data-attempt={c.attempt}>
              <div className="queue-head">
                <Link to={`/leads/${c.lead.id}`}>
                  <strong>{c.lead.name ?? formatPhone(c.lead.phone)}</strong>
                </Link>
                <Badge value={c.status} />
                {attempt ? (
                  <span className="badge badge-attempt" data-testid="attempt">
                    {attempt}
                  </span>
                ) : null}
                {overdue ? <strong className="late">{formatLateness(c.dueAt, now) ?? 'due now'}</strong> : null}
              </div>
              <div className="small">
                due <Time iso={c.dueAt} /> · {c.assignee ? `assigned to ${c.assignee.name ?? c.assignee.email}` : 'unassigned'} · {formatPhone(c.lead.phone)}
              </div>
              {writer ? (
                <div className="queue-actions">
                  {c.assignee?.id !== viewer.user?.id ? (
                    <button
                      className="small"
                      disabled={assign.fetching}
                      onClick={() => {
                        void assignCallback({ id: c.id, assigneeId: viewer.user?.id }).then((r) => {
                          if (!r.error) refresh();
                        });
                      }}
                    >
                      Assign to me
                    </button>
                  ) : null}
                  <CompleteCallback callbackId={c.id} onDone={refresh} />
                </div>
              ) : null}
            </li>
          );
        })}
      </ul>
      {list.hasNextPage ? (
        <div className="pager">
          <button type="button" className="small" disabled={list.loadingMore} onClick={list.loadMore}>
            {list.loadingMore ? 'Loading…' : 'Load more'}
          </button>
        </div>
      ) : null}
    </section>
  );
}
