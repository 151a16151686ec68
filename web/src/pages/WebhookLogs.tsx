// Webhook log: every provider delivery with outcome, signature result, status and payload.
import { useMemo, useState } from 'react';
import { useQuery } from 'urql';
import { WebhookLogsDocument, type WebhookLogFilter, type WebhookOutcome, type WebhookProvider } from '../generated/graphql';
import { Badge, Empty, ErrorNotice, Loading, PageTitle, Pager, Time, useCursorPages } from '../components/ui';

const OUTCOMES: WebhookOutcome[] = ['PROCESSED', 'DUPLICATE', 'IGNORED', 'MALFORMED', 'REJECTED', 'RATE_LIMITED', 'FAILED'];

export function WebhookLogsPage() {
  const [provider, setProvider] = useState('');
  const [outcome, setOutcome] = useState('');
  const pages = useCursorPages();
  const filter = useMemo<WebhookLogFilter>(
    () => ({ provider: (provider || undefined) as WebhookProvider | undefined, outcome: outcome ? [outcome as WebhookOutcome] : undefined }),
    [provider, outcome],
  );
  const [{ data, error, fetching }] = useQuery({ query: WebhookLogsDocument, variables: { filter, first: 50, after: pages.after } });
  const [open, setOpen] = useState<string | null>(null);
  return (
    <section aria-labelledby="wh-title">
      <PageTitle>Webhook log</PageTitle>
      <div className="filters">
        <label>
          Provider
          <select
            value={provider}
            onChange={(e) => {
              pages.reset();
              setProvider(e.target.value);
            }}
          >
            <option value="">All</option>
            <option value="TWILIO">Twilio</option>
            <option value="STRIPE">Stripe</option>
          </select>
        </label>
        <label>
          Outcome
          <select
            value={outcome}
            onChange={(e) => {
              pages.reset();
              setOutcome(e.target.value);
            }}
          >
            <option value="">All</option>
            {OUTCOMES.map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
          </select>
        </label>
      </div>
      <ErrorNotice error={error} />
      {fetching && !data ? <Loading what="Loading deliveries" /> : null}
      {data && data.webhookLogs.nodes.length === 0 ? <Empty>No deliveries match.</Empty> : null}
      {data && data.webhookLogs.nodes.length > 0 ? (
        <>
          <table className="list" data-testid="webhook-list">
            <thead>
              <tr>
                <th scope="col">Received</th>
                <th scope="col">Provider</th>
                <th scope="col">Route</th>
                <th scope="col">Outcome</th>
                <th scope="col">Signature</th>
                <th scope="col">HTTP</th>
                <th scope="col">Payload</th>
              </tr>
            </thead>
            <tbody>
              {data.webhookLogs.nodes.map((log) => (
                <tr key={log.id}>
                  <td>
                    <Time iso={log.receivedAt} />
                    <div className="small muted">{log.durationMs} ms</div>
                  </td>
                  <td>{log.provider}</td>
                  <td className="small">
                    <code>{log.route}</code>
                    {log.eventId ? <div className="muted">{log.eventId}</div> : null}
                  </td>
                  <td>
                    <Badge value={log.outcome} />
                    {log.error ? <div className="small">{log.error}</div> : null}
                  </td>
                  <td>
                    <Badge value={log.signature} tone={log.signature === 'VALID' ? 'booked' : log.signature === 'INVALID' ? 'lost' : 'muted'} />
                  </td>
                  <td>{log.httpStatus}</td>
                  <td>
                    <button className="small" aria-expanded={open === log.id} onClick={() => setOpen(open === log.id ? null : log.id)}>
                      {open === log.id ? 'Hide' : 'View'}
                    </button>
                    {open === log.id ? <pre className="payload">{JSON.stringify(log.payload, null, 2)}</pre> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager pages={pages} pageInfo={data.webhookLogs.pageInfo} />
        </>
      ) : null}
    </section>
  );
}
