// Audit log: filters by action, actor, target and date; before/after diff per entry.
import { useMemo, useState } from 'react';
import { useQuery } from 'urql';
import { AuditEntriesDocument, type ActorType, type AuditEntryFilter } from '../generated/graphql';
import { Empty, ErrorNotice, Loading, PageTitle, Pager, Time, useCursorPages } from '../components/ui';
import { dayEndIso, dayStartIso } from '../lib/time';
import { useSession } from '../session';

export function AuditPage() {
  const { timezone } = useSession();
  const [form, setForm] = useState({ action: '', actorType: '', actorId: '', targetType: '', targetId: '', since: '', until: '' });
  const [applied, setApplied] = useState(form);
  const pages = useCursorPages();
  const filter = useMemo<AuditEntryFilter>(
    () => ({
      action: applied.action || undefined,
      actorType: (applied.actorType || undefined) as ActorType | undefined,
      actorId: applied.actorId || undefined,
      targetType: applied.targetType || undefined,
      targetId: applied.targetId || undefined,
      // Days are the shop's days, like every time shown.
      since: dayStartIso(applied.since, timezone),
      until: dayEndIso(applied.until, timezone),
    }),
    [applied, timezone],
  );
  const [{ data, error, fetching }] = useQuery({ query: AuditEntriesDocument, variables: { filter, first: 50, after: pages.after } });
  const [open, setOpen] = useState<string | null>(null);
  const set = (key: keyof typeof form) => (e: React.ChangeEvent<HTMLInputElement>) => setForm({ ...form, [key]: e.target.value });
  return (
    <section aria-labelledby="audit-title">
      <PageTitle>Audit log</PageTitle>
      <form
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          pages.reset();
          setApplied(form);
        }}
      >
        <label>
          Action
          <input value={form.action} onChange={set('action')} placeholder="settings.updated" />
        </label>
        <label>
          Actor
          <select value={form.actorType} onChange={(e) => setForm({ ...form, actorType: e.target.value })}>
            <option value="">Anyone</option>
            <option value="USER">Staff</option>
            <option value="CREDENTIAL">API credential</option>
            <option value="PROVIDER">Provider</option>
            <option value="SYSTEM">CallSnare</option>
          </select>
        </label>
        <label>
          Actor id
          <input value={form.actorId} onChange={set('actorId')} />
        </label>
        <label>
          Target type
          <input value={form.targetType} onChange={set('targetType')} placeholder="Lead" />
        </label>
        <label>
          Target id
          <input value={form.targetId} onChange={set('targetId')} />
        </label>
        <label>
          From
          <input type="date" value={form.since} onChange={set('since')} />
        </label>
        <label>
          To
          <input type="date" value={form.until} onChange={set('until')} />
        </label>
        <button type="submit">Filter</button>
      </form>
      <ErrorNotice error={error} />
      {fetching && !data ? <Loading what="Loading audit entries" /> : null}
      {data && data.auditEntries.nodes.length === 0 ? <Empty>No audit entries match.</Empty> : null}
      {data && data.auditEntries.nodes.length > 0 ? (
        <>
          <p className="muted small">{data.auditEntries.totalCount} entries</p>
          <table className="list" data-testid="audit-list">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">When</th>
                <th scope="col">Action</th>
                <th scope="col">Actor</th>
                <th scope="col">Target</th>
                <th scope="col">Changes</th>
              </tr>
            </thead>
            <tbody>
              {data.auditEntries.nodes.map((entry) => (
                <tr key={entry.id}>
                  <td className="small">{entry.seq}</td>
                  <td>
                    <Time iso={entry.createdAt} />
                  </td>
                  <td>
                    <code>{entry.action}</code>
                  </td>
                  <td>
                    {entry.actorLabel}
                    <div className="small muted">
                      {entry.actorType}
                      {entry.ip ? ` · ${entry.ip}` : ''}
                    </div>
                  </td>
                  <td className="small">
                    {entry.targetType ?? '—'} {entry.targetId ? <code>{entry.targetId.slice(0, 8)}</code> : null}
                  </td>
                  <td>
                    {Object.keys(entry.changes).length === 0 ? (
                      <span className="muted">—</span>
                    ) : (
                      <button className="small" aria-expanded={open === entry.id} onClick={() => setOpen(open === entry.id ? null : entry.id)}>
                        {Object.keys(entry.changes).length} field{Object.keys(entry.changes).length === 1 ? '' : 's'}
                      </button>
                    )}
                    {open === entry.id ? <ChangesDiff changes={entry.changes} /> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager pages={pages} pageInfo={data.auditEntries.pageInfo} />
        </>
      ) : null}
    </section>
  );
}

function show(value: unknown): string {
  if (value === null || value === undefined) return '∅';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export function ChangesDiff({ changes }: { changes: Record<string, unknown> }) {
  return (
    <table className="diff">
      <thead>
        <tr>
          <th scope="col">Field</th>
          <th scope="col">Before</th>
          <th scope="col">After</th>
        </tr>
      </thead>
      <tbody>
        {Object.entries(changes).map(([field, change]) => {
          const c = (change && typeof change === 'object' ? change : { after: change }) as { before?: unknown; after?: unknown };
          return (
            <tr key={field}>
              <th scope="row">
                <code>{field}</code>
              </th>
              <td className="before">{show(c.before)}</td>
              <td className="after">{show(c.after)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
