// Reports: the stats numbers for a range, with charts (recharts): every axis, bar and slice
// labelled in words, colours that pass AA contrast on white, the numbers also as a table.
import { useMemo, useState } from 'react';
import { useQuery } from 'urql';
import {
  Bar,
  BarChart,
  CartesianGrid,
  LabelList,
  Legend,
  Pie,
  PieChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
  type PieLabelRenderProps,
  type XAxisTickContentProps,
} from 'recharts';
import { StatsDocument } from '../generated/graphql';
import { ErrorNotice, Loading, PageTitle } from '../components/ui';
import { dayInFull, dayInZone, dayTickLines, fillDays, minutesLabel, percent, rangeFor } from '../lib/stats';
import { useSession } from '../session';

// Text and marks on white: each colour has at least 4.5:1 contrast (WCAG AA).
const INK = '#111827';
const AXIS = '#374151';
const GRID = '#e5e7eb';
const BLUE = '#1d4ed8';
const GREEN = '#15803d';
const GRAY = '#6b7280';
const AMBER = '#b45309';
const tick = { fill: AXIS, fontSize: 13 };

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
  const perDay = s
    ? fillDays(s.missedCallsByDay, dayInZone(s.since, timezone), dayInZone(new Date(new Date(s.until).getTime() - 1).toISOString(), timezone))
    : [];
  const replied = s?.replyRate ?? null;
  const replyPie =
    replied == null
      ? []
      : [
          { name: 'Replied', value: Math.round(replied * 100), fill: GREEN },
          { name: 'No reply', value: 100 - Math.round(replied * 100), fill: GRAY },
        ];
  const callbackTimes = s
    ? [
        { name: 'Typical (median)', minutes: s.medianMinutesToCallback ?? 0 },
        { name: 'Slowest 10% (p90)', minutes: s.p90MinutesToCallback ?? 0 },
      ]
    : [];

  return (
    <section aria-labelledby="reports-title">
      <PageTitle
        actions={
          <label>
            Range{' '}
            <select value={days} onChange={(e) => setDays(Number(e.target.value))}>
              {RANGES.map((r) => (
                <option key={r.days} value={r.days}>
                  {r.label}
                </option>
              ))}
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
            <li>
              <strong>{s.missedCalls}</strong> missed calls
            </li>
            <li>
              <strong>{s.missedCallLeads}</strong> callers
            </li>
            <li>
              <strong>{s.textBacksSent}</strong> text-backs sent{s.textBacksSkipped ? ` (${s.textBacksSkipped} skipped)` : ''}
            </li>
            <li>
              <strong>{percent(s.replyRate)}</strong> reply rate
            </li>
            <li>
              <strong>{percent(s.recoveryRate)}</strong> recovered ({s.recoveredLeads})
            </li>
            <li>
              <strong>{s.bookedLeads}</strong> booked
            </li>
            <li>
              <strong>{s.callbacksCompleted}</strong> callbacks completed
            </li>
            <li className={s.overdueCallbacksNow > 0 ? 'alert' : ''}>
              <strong>{s.overdueCallbacksNow}</strong> overdue now
            </li>
          </ul>
          <div className="charts">
            <figure className="card chart" aria-labelledby="chart-calls-title">
              <figcaption id="chart-calls-title">Missed calls per day</figcaption>
              <ResponsiveContainer width="100%" height={260} initialDimension={{ width: 520, height: 260 }}>
                <BarChart data={perDay} margin={{ top: 20, right: 8, bottom: 8, left: 0 }}>
                  <CartesianGrid stroke={GRID} vertical={false} />
                  <XAxis
                    dataKey="date"
                    tick={(props: XAxisTickContentProps) => <DayTick {...props} rangeDays={days} />}
                    stroke={AXIS}
                    interval={days <= 14 ? 0 : 'preserveStartEnd'}
                    minTickGap={4}
                    height={days <= 14 ? 40 : 28}
                  />
                  <YAxis
                    allowDecimals={false}
                    tick={tick}
                    stroke={AXIS}
                    width={36}
                    label={{ value: 'Calls', angle: -90, position: 'insideLeft', fill: AXIS, fontSize: 13 }}
                  />
                  <Tooltip labelFormatter={(d) => (typeof d === 'string' ? dayInFull(d) : d)} formatter={(value) => [String(value), 'Missed calls']} />
                  <Bar isAnimationActive={false} dataKey="count" name="Missed calls" fill={BLUE}>
                    {days <= 14 ? <LabelList dataKey="count" position="top" fill={INK} fontSize={13} /> : null}
                  </Bar>
                </BarChart>
              </ResponsiveContainer>
              <details className="chart-table">
                <summary>Show as a table</summary>
                <table className="list">
                  <thead>
                    <tr>
                      <th scope="col">Day</th>
                      <th scope="col">Missed calls</th>
                    </tr>
                  </thead>
                  <tbody>
                    {perDay.map((p) => (
                      <tr key={p.date}>
                        <td>{dayInFull(p.date)}</td>
                        <td>{p.count}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </details>
            </figure>
            <figure className="card chart" aria-labelledby="chart-replies-title">
              <figcaption id="chart-replies-title">Reply rate: {percent(s.replyRate)} of texted callers replied</figcaption>
              {replyPie.length === 0 ? (
                <p className="empty">Nobody was texted in this range.</p>
              ) : (
                <ResponsiveContainer width="100%" height={260} initialDimension={{ width: 520, height: 260 }}>
                  <PieChart>
                    <Pie
                      isAnimationActive={false}
                      data={replyPie}
                      dataKey="value"
                      nameKey="name"
                      innerRadius={50}
                      outerRadius={80}
                      labelLine={false}
                      label={sliceLabel}
                      stroke="#fff"
                    ></Pie>
                    <Legend formatter={(name) => <span className="chart-legend">{name}</span>} />
                    <Tooltip formatter={(value, name) => [`${String(value)}%`, name]} />
                  </PieChart>
                </ResponsiveContainer>
              )}
            </figure>
            <figure className="card chart" aria-labelledby="chart-callback-title">
              <figcaption id="chart-callback-title">Time from the missed call to the callback</figcaption>
              {s.medianMinutesToCallback == null ? (
                <p className="empty">No completed callbacks in this range.</p>
              ) : (
                <ResponsiveContainer width="100%" height={200} initialDimension={{ width: 520, height: 200 }}>
                  <BarChart data={callbackTimes} layout="vertical" margin={{ top: 8, right: 96, bottom: 8, left: 8 }}>
                    <CartesianGrid stroke={GRID} horizontal={false} />
                    {/* Each bar carries its own value; an axis of odd minute counts would only add noise. */}
                    <XAxis type="number" hide />
                    <YAxis type="category" dataKey="name" width={130} tick={tick} stroke={AXIS} />
                    <Tooltip formatter={(value) => [minutesLabel(Number(value)), 'Time to callback']} />
                    <Bar isAnimationActive={false} dataKey="minutes" name="Time to callback" fill={AMBER}>
                      <LabelList dataKey="minutes" position="right" fill={INK} fontSize={13} formatter={(m: unknown) => minutesLabel(Number(m))} />
                    </Bar>
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

/** A day under the bars: weekday over date for short ranges, "Mar 10" otherwise; always dark text. */
function DayTick({ x, y, payload, rangeDays }: XAxisTickContentProps & { rangeDays: number }) {
  const lines = dayTickLines(String(payload.value), rangeDays);
  return (
    <text x={Number(x)} y={Number(y)} textAnchor="middle" fill={AXIS} fontSize={13}>
      {lines.map((line, i) => (
        <tspan key={i} x={Number(x)} dy={i === 0 ? 12 : 15}>
          {line}
        </tspan>
      ))}
    </text>
  );
}

/** A slice's share next to it, in dark text (not the slice's own colour). */
function sliceLabel({ x, y, textAnchor, value }: PieLabelRenderProps) {
  return (
    <text x={x} y={y} textAnchor={textAnchor} dominantBaseline="central" fill={INK} fontSize={14} fontWeight={600}>
      {`${value}%`}
    </text>
  );
}
