// The SMS alerts sent to staff phones (OWNER/ADMIN): what, to whom, whether it went out.
import { useState } from 'react';
import { Link } from 'react-router';
import { useQuery } from 'urql';
import { StaffAlertsDocument, type StaffAlertKind } from '../generated/graphql';
import { Badge, Empty, ErrorNotice, Loading, Pager, PhoneLink, Time, useCursorPages } from './ui';
import { memberName } from '../lib/roles';
import { formatPhone } from '../lib/time';

const KINDS: { value: StaffAlertKind; label: string }[] = [
  { value: 'MISSED_CALL', label: 'Missed call' },
  { value: 'REPLY_RECEIVED', label: 'Reply' },
  { value: 'CALLBACK_OVERDUE', label: 'Callback overdue' },
];

export function StaffAlertsSection() {
  const [kind, setKind] = useState<StaffAlertKind | ''>('');
  const pages = useCursorPages();
  const [{ data, error, fetching }] = useQuery({
    query: StaffAlertsDocument,
    variables: { filter: kind ? { kind } : undefined, first: 25, after: pages.after },
  });
  const alerts = data?.staffAlerts;
  return (
    <section className="card" aria-labelledby="alerts-title">
      <div className="page-title">
        <h2 id="alerts-title">Staff alerts sent</h2>
        <label className="inline">
          Kind{' '}
          <select
            value={kind}
            onChange={(e) => {
              setKind(e.target.value as StaffAlertKind | '');
              pages.reset();
            }}
          >
            <option value="">All</option>
            {KINDS.map((k) => (
              <option key={k.value} value={k.value}>
                {k.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      <ErrorNotice error={error} />
      {fetching && !data ? <Loading what="Loading staff alerts" /> : null}
      {alerts && alerts.nodes.length === 0 ? <Empty>No alerts yet. They are texted to members who set a phone on their profile.</Empty> : null}
      {alerts && alerts.nodes.length > 0 ? (
        <>
          <table className="list" data-testid="staff-alerts">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">About</th>
                <th scope="col">To</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {alerts.nodes.map((a) => (
                <tr key={a.id}>
                  <td>
                    <Time iso={a.createdAt} />
                  </td>
                  <td>
                    {KINDS.find((k) => k.value === a.kind)?.label ?? a.kind}:{' '}
                    <Link to={`/leads/${a.lead.id}`}>{a.lead.name?.trim() || formatPhone(a.lead.phone)}</Link>
                  </td>
                  <td>
                    {memberName(a.member)}
                    <div className="small">
                      <PhoneLink phone={a.toPhone} />
                    </div>
                  </td>
                  <td>
                    <Badge value={a.status} />
                    {a.sentAt ? (
                      <div className="small">
                        sent <Time iso={a.sentAt} />
                      </div>
                    ) : null}
                    {a.lastError ? <div className="small muted">{a.lastError}</div> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager pages={pages} pageInfo={alerts.pageInfo} />
        </>
      ) : null}
    </section>
  );
}
