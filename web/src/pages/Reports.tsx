// Reports: the stats numbers for a range, with charts (recharts).
import { useMemo, useState } from 'react';
import { useQuery } from 'urql';
import { Bar, BarChart, CartesianGrid, Cell, Pie, PieChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { StatsDocument } from '@callsnare/sdk/documents';
import { ErrorNotice, Loading, PageTitle } from '../components/ui';
import { dayInZone, fillDays, percent, rangeFor } from '../lib/stats';
import { useSession } from '../session';

const RANGES = [
  { days: 7, label: 'Last 7 days' },
  { days: 30, label: 'Last 30 days' },
  { days: 90, label: 'Last 90 days' },
];

export function ReportsPage() {
  const { timezone } = useSession();
  const [days, setDays] = useState(7);
  const range = useMemo(() => rangeFor(days), [days]);
  const [{ data, error, fetching }] = useQuery({ query: StatsDocument, variables: range });
  const s = data?.stats;
  const perDay = s ? fillDays(s.missedCallsByDay, dayInZone(s.since, timezone), dayInZone(new Date(new Date(s.until).getTime() - 1).toISOString(), timezone)) : [];
  const replied = s?.replyRate ?? null;
  const replyPie = replied == null ? [] : [{ name: 'Replied', value: Math.round(replied * 100) }, { name: 'No reply', value: 100 - Math.round(replied * 100) }];
  const callbackTimes = s ? [{ name: 'Median', minutes: s.medianMinutesToCallback ?? 0 }, { name: '90th percentile', minutes: s.p90MinutesToCallback ?? 0 }] : [];

  return (
    <section aria-labelledby="reports-title">
      <PageTitle
        actions={
          <label>
            Range{' '}
            <select value={days} onChange={(e) => setDays(Number(e.target.value))}>
              {RANGES.map((r) => <option key={r.days} value={r.days}>{r.label}</option>)}
            </select>
          </label>
        }
      >
        Reports
      </PageTitle>
      <ErrorNotice error={error} />
      {fetching && !data ? <Loading what="Loading stats" /> : null}
      {s ? (
        <>
          <ul className="tiles" data-testid="stats-tiles">
            <li><strong>{s.missedCalls}</strong> missed calls</li>
            <li><strong>{s.missedCallLeads}</strong> callers</li>
            <li><strong>{s.textBacksSent}</strong> text-backs sent{s.textBacksSkipped ? ` (${s.textBacksSkipped} skipped)` : ''}</li>
            <li><strong>{percent(s.replyRate)}</strong> reply rate</li>
            <li><strong>{percent(s.recoveryRate)}</strong> recovered ({s.recoveredLeads})</li>
            <li><strong>{s.bookedLeads}</strong> booked</li>
            <li><strong>{s.callbacksCompleted}</strong> callbacks completed</li>
            <li className={s.overdueCallbacksNow > 0 ? 'alert' : ''}><strong>{s.overdueCallbacksNow}</strong> overdue now</li>
          </ul>
          <div className="charts">
            <figure className="card chart">
              <figcaption>Missed calls per day</figcaption>
              <ResponsiveContainer width="100%" height={240} initialDimension={{ width: 520, height: 240 }}>
                <BarChart data={perDay} margin={{ top: 8, right: 8, bottom: 8, left: 0 }}>
                  <CartesianGrid strokeDasharray="3 3" vertical={false} />
                  <XAxis dataKey="date" tickFormatter={(d: string) => d.slice(5)} fontSize={12} />
                  <YAxis allowDecimals={false} fontSize={12} width={32} />
                  <Tooltip />
                  <Bar isAnimationActive={false} dataKey="count" name="Missed calls" fill="#1d4ed8" />
                </BarChart>
              </ResponsiveContainer>
            </figure>
            <figure className="card chart">
              <figcaption>Reply rate ({percent(s.replyRate)} of texted callers replied)</figcaption>
              {replyPie.length === 0 ? <p className="empty">Nobody was texted in this range.</p> : (
                <ResponsiveContainer width="100%" height={240} initialDimension={{ width: 520, height: 240 }}>
                  <PieChart>
                    <Pie isAnimationActive={false} data={replyPie} dataKey="value" nameKey="name" innerRadius={55} outerRadius={90} label={({ name, value }: { name?: string; value?: number }) => `${name} ${value}%`}>
                      <Cell fill="#15803d" />
                      <Cell fill="#d1d5db" />
                    </Pie>
                    <Tooltip />
                  </PieChart>
                </ResponsiveContainer>
              )}
            </figure>
            <figure className="card chart">
              <figcaption>Time to callback (minutes from the missed call)</figcaption>
              {s.medianMinutesToCallback == null ? <p className="empty">No completed callbacks in this range.</p> : (
                <ResponsiveContainer width="100%" height={240} initialDimension={{ width: 520, height: 240 }}>
                  <BarChart data={callbackTimes} layout="vertical" margin={{ top: 8, right: 16, bottom: 8, left: 16 }}>
                    <CartesianGrid strokeDasharray="3 3" horizontal={false} />
                    <XAxis type="number" fontSize={12} />
                    <YAxis type="category" dataKey="name" width={110} fontSize={12} />
                    <Tooltip />
                    <Bar isAnimationActive={false} dataKey="minutes" name="Minutes" fill="#b45309" />
                  </BarChart>
                </ResponsiveContainer>
              )}
            </figure>
          </div>
        </>
      ) : null}
    </section>
  );
}
