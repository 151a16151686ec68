// Billing status: subscription state, what it means for text-backs, recent Stripe records.
import { useQuery } from 'urql';
import { BillingDocument } from '../generated/graphql';
import { Badge, Empty, ErrorNotice, Loading, PageTitle, Time } from '../components/ui';

export function BillingPage() {
  const [{ data, error, fetching }] = useQuery({ query: BillingDocument, variables: { recordsFirst: 50 } });
  const b = data?.billing;
  return (
    <section aria-labelledby="billing-title">
      <PageTitle>Billing</PageTitle>
      <ErrorNotice error={error} />
      {fetching && !data ? <Loading what="Loading billing" /> : null}
      {b ? (
        <>
          {b.banner ? (
            <div className="notice notice-warn" role="alert">
              {b.banner}
            </div>
          ) : null}
          <div className="card">
            <dl className="facts">
              <dt>Status</dt>
              <dd>
                <Badge value={b.status.toUpperCase()} />
              </dd>
              <dt>Meaning</dt>
              <dd>{b.meaning}</dd>
              <dt>Text-backs</dt>
              <dd>{b.textBacksActive ? 'running' : 'paused'}</dd>
              <dt>Plan</dt>
              <dd>{b.plan ?? '—'}</dd>
              <dt>Period ends</dt>
              <dd>
                <Time iso={b.currentPeriodEnd} />
                {b.cancelAtPeriodEnd ? ' (cancels then)' : ''}
              </dd>
              {b.trialEnd ? (
                <>
                  <dt>Trial ends</dt>
                  <dd>
                    <Time iso={b.trialEnd} />
                  </dd>
                </>
              ) : null}
            </dl>
          </div>
          <h2>Records</h2>
          {b.records.nodes.length === 0 ? (
            <Empty>No billing events from Stripe yet.</Empty>
          ) : (
            <table className="list">
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Event</th>
                  <th scope="col">Status</th>
                  <th scope="col">Amount</th>
                </tr>
              </thead>
              <tbody>
                {b.records.nodes.map((r) => (
                  <tr key={r.id}>
                    <td>
                      <Time iso={r.occurredAt} />
                    </td>
                    <td>
                      <code>{r.type}</code>
                    </td>
                    <td>{r.status ?? '—'}</td>
                    <td>
                      {r.amount != null
                        ? new Intl.NumberFormat('en-US', { style: 'currency', currency: (r.currency ?? 'usd').toUpperCase() }).format(r.amount / 100)
                        : '—'}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      ) : null}
    </section>
  );
}
