// The callback queue: due soonest first, overdue highlighted with how late.
import { useCallback, useState } from 'react';
import { Link } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { AssignCallbackDocument, CallbacksDocument } from '@callsnare/sdk/documents';
import { Badge, Empty, ErrorNotice, Loading, PageTitle, Time, useNow, usePolling } from '../components/ui';
import { CompleteCallback } from '../components/CompleteCallback';
import { can } from '../lib/roles';
import { formatLateness, formatPhone } from '../lib/time';
import { useSession } from '../session';

export function CallbacksPage() {
  const { role, viewer } = useSession();
  const [mine, setMine] = useState(false);
  const filter = { status: ['OPEN', 'SCHEDULED'] as ('OPEN' | 'SCHEDULED')[], assigneeId: mine ? viewer.user?.id : undefined };
  const [{ data, error, fetching }, refetch] = useQuery({ query: CallbacksDocument, variables: { filter, first: 100 } });
  const refresh = useCallback(() => refetch({ requestPolicy: 'network-only' }), [refetch]);
  usePolling(refresh, 10000);
  const [assign, assignCallback] = useMutation(AssignCallbackDocument);
  const now = useNow();
  const writer = can(role, 'callbacks.write');
  const nodes = data?.callbacks.nodes ?? [];

  return (
    <section aria-labelledby="cb-page-title">
      <PageTitle>Callbacks</PageTitle>
      <div className="filters">
        <label className="checkbox">
          <input type="checkbox" checked={mine} onChange={(e) => setMine(e.target.checked)} /> Only mine
        </label>
        <span className="muted small">
          {data ? `${data.callbacks.totalCount} to make · ${nodes.filter((c) => c.overdue).length} overdue` : ''}
        </span>
      </div>
      <ErrorNotice error={error ?? assign.error} />
      {fetching && !data ? <Loading what="Loading callbacks" /> : null}
      {data && nodes.length === 0 ? <Empty>No callbacks waiting. Nice work.</Empty> : null}
      <ul className="queue" data-testid="callback-queue">
        {nodes.map((c) => (
          <li key={c.id} className={c.overdue ? 'card callback overdue' : 'card callback'}>
            <div className="queue-head">
              <Link to={`/leads/${c.lead.id}`}>
                <strong>{c.lead.name ?? formatPhone(c.lead.phone)}</strong>
              </Link>
              <Badge value={c.status} />
              {c.overdue ? <strong className="late">{formatLateness(c.dueAt, now) ?? 'due now'}</strong> : null}
            </div>
            <div className="small">
              due <Time iso={c.dueAt} /> · {c.assignee ? `assigned to ${c.assignee.name ?? c.assignee.email}` : 'unassigned'} · {formatPhone(c.lead.phone)}
            </div>
            {writer ? (
              <div className="queue-actions">
                {c.assignee?.id !== viewer.user?.id ? (
                  <button className="small" disabled={assign.fetching} onClick={async () => { const r = await assignCallback({ id: c.id, assigneeId: viewer.user?.id }); if (!r.error) refresh(); }}>
                    Assign to me
                  </button>
                ) : null}
                <CompleteCallback callbackId={c.id} onDone={refresh} />
              </div>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
