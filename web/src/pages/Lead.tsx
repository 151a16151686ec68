// One lead: who to call (tel: links), the conversation with reply, callbacks picked in
// shop time, status and notes; the timeline in words. Phones: actions come first.
import { useCallback, useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useMutation, useQuery } from 'urql';
import {
  AddLeadNoteDocument,
  AssignCallbackDocument,
  LeadPageDocument,
  MembersDocument,
  ScheduleCallbackDocument,
  SettingsDocument,
  UpdateLeadDocument,
  type LeadPageQuery,
  type LeadStatus,
} from '../generated/graphql';
import { Badge, Empty, ErrorNotice, Loading, PageTitle, PhoneLink, Time, useDocumentTitle, usePolling } from '../components/ui';
import { CompleteCallback } from '../components/CompleteCallback';
import { ReplyBox } from '../components/ReplyBox';
import { memberName } from '../lib/roles';
import { eventDetail, eventLabel, outcomeLabel, type EventWording } from '../lib/lead';
import { useMarkLeadRead } from '../lib/read-state';
import { useLiveRefresh } from '../live/LiveInbox';
import { browserTimeZone, describeZone, formatAbsolute, formatLateness, formatPhone, instantToShopTime, shopTimeToInstant } from '../lib/time';
import { useSession } from '../session';
import { FailureReason } from '../components/FailureReason';
import { EvidenceDownload } from '../components/EvidenceDownload';
import { MessageEvidence } from '../components/MessageEvidence';

type LeadDetail = LeadPageQuery['lead'];

export function LeadPage() {
  const { id = '' } = useParams();
  const [{ data, error, fetching }, refetch] = useQuery({ query: LeadPageDocument, variables: { id, eventsFirst: 100, messagesFirst: 100 } });
  const refresh = useCallback(() => refetch({ requestPolicy: 'network-only' }), [refetch]);
  // Live: refreshed when this lead changes; the slow poll catches what is not announced (e.g. a text's delivery status).
  useLiveRefresh(refresh, { leadId: id });
  usePolling(refresh, 30000);
  const lead = data?.lead;
  useMarkLeadRead(lead?.id, lead?.lastActivityAt);

  useDocumentTitle(lead ? leadTitle(lead) : null);

  if (fetching && !data) return <Loading what="Loading lead" />;
  if (!lead) {
    return (
      <section>
        <PageTitle>Lead</PageTitle>
        <ErrorNotice error={error} />
        <p>
          <Link to="/">Back to the inbox</Link>
        </p>
      </section>
    );
  }
  return (
    <section aria-labelledby="lead-title" className="lead-page">
      <p className="breadcrumb">
        <Link to="/">← Inbox</Link>
      </p>
      <div className="page-title">
        <h1 id="lead-title">{lead.name?.trim() ? lead.name : <PhoneLink phone={lead.phone} />}</h1>
        <div className="actions">
          <Badge value={lead.status} />
          {lead.needsReply ? <Badge value="Needs a reply" tone="new" /> : null}
          {lead.optedOut ? <Badge value="Opted out" tone="lost" /> : null}
        </div>
      </div>
      <p className="lead-contact">
        <PhoneLink phone={lead.phone} className="button primary call-button">
          Call {formatPhone(lead.phone)}
        </PhoneLink>
        <span className="muted">
          <PhoneLink phone={lead.phone} /> · opened <Time iso={lead.createdAt} />
        </span>
      </p>
      {lead.needsDecision ? <DecisionBanner lead={lead} onChanged={refresh} /> : null}
      <div className="lead-grid">
        <div className="lead-conversation">
          <Conversation lead={lead} onChanged={refresh} />
        </div>
        <aside className="lead-actions" aria-label="Actions">
          <CallbacksPanel lead={lead} onChanged={refresh} />
          <LeadStatusPanel lead={lead} onChanged={refresh} />
          <NotePanel lead={lead} onChanged={refresh} />
          <EvidenceDownload leadId={lead.id} />
        </aside>
        <div className="lead-timeline">
          <Timeline lead={lead} />
        </div>
      </div>
    </section>
  );
}

/** What the tab and the heading call a lead: the caller's name, else their number. */
export function leadTitle(lead: { name?: string | null; phone: string }): string {
  return lead.name?.trim() || formatPhone(lead.phone);
}

/**
 * Every callback attempt went unanswered (settings.callbackRetryMinutes ran out): nothing
 * more happens on its own, so the page says so first and offers the ways forward.
 */
function DecisionBanner({ lead, onChanged }: { lead: LeadDetail; onChanged: () => void }) {
  const { can } = useSession();
  const [state, updateLead] = useMutation(UpdateLeadDocument);
  const attempts = Math.max(0, ...lead.callbacks.map((c) => c.attempt));
  const canMove = (status: LeadStatus) => can('updateLead') && lead.allowedTransitions.includes(status);
  const move = async (status: LeadStatus) => {
    const r = await updateLead({ id: lead.id, input: { status } });
    if (!r.error) onChanged();
  };
  return (
    <section className="notice notice-warn lead-decision" role="status" aria-labelledby="decision-title" data-testid="needs-decision">
      <h2 id="decision-title">Needs a decision</h2>
      <p>Nobody answered {attempts === 1 ? 'the callback' : `any of the ${attempts} callback attempts`}, and no more are planned. Decide what happens next:</p>
      <div className="button-row">
        <PhoneLink phone={lead.phone} className="button primary">
          Call {formatPhone(lead.phone)} now
        </PhoneLink>
        {can('scheduleCallback') ? (
          <a
            className="button"
            href="#schedule-callback"
            onClick={(e) => {
              e.preventDefault();
              document.getElementById('schedule-callback')?.focus();
            }}
          >
            Schedule another call
          </a>
        ) : null}
        {canMove('BOOKED') ? (
          <button type="button" disabled={state.fetching} onClick={() => void move('BOOKED')}>
            Mark booked
          </button>
        ) : null}
        {canMove('LOST') ? (
          <button type="button" className="danger" disabled={state.fetching} onClick={() => void move('LOST')}>
            Close as lost
          </button>
        ) : null}
      </div>
      {lead.optedOut ? null : <p className="small">Or text them from the conversation below.</p>}
      <ErrorNotice error={state.error} />
    </section>
  );
}

function Conversation({ lead, onChanged }: { lead: LeadDetail; onChanged: () => void }) {
  const { can } = useSession();
  const [settings] = useQuery({ query: SettingsDocument });
  return (
    <section className="card" aria-labelledby="conv-title">
      <h2 id="conv-title">Conversation</h2>
      {lead.messages.nodes.length === 0 ? <Empty>No texts yet.</Empty> : null}
      <ol className="conversation" data-testid="conversation">
        {lead.messages.nodes.map((m) => (
          <li key={m.id} className={m.direction === 'INBOUND' ? 'msg msg-in' : 'msg msg-out'}>
            <div className="msg-body">{m.body}</div>
            <div className="msg-meta small">
              {m.direction === 'INBOUND' ? 'Caller' : m.kind === 'TEXT_BACK' ? 'Text-back' : m.kind === 'AUTO_REPLY' ? 'Auto reply' : 'Staff'} ·{' '}
              <Badge value={m.status} /> {m.errorCode ? <span>error {m.errorCode}</span> : null} · <Time iso={m.createdAt} />
            </div>
            <FailureReason message={m} />
            <MessageEvidence message={m} />
          </li>
        ))}
      </ol>
      {can('sendMessage') ? (
        <ReplyBox lead={lead} settings={settings.data?.settings ?? null} onSent={onChanged} />
      ) : (
        <p className="muted small">Your role can read this conversation but not reply.</p>
      )}
    </section>
  );
}

function Timeline({ lead }: { lead: LeadDetail }) {
  const { timezone } = useSession();
  const people = useMemo(
    () => new Map(lead.callbacks.flatMap((c) => (c.assignee ? [[c.assignee.id, memberName(c.assignee)] as const] : []))),
    [lead.callbacks],
  );
  const wording: EventWording = { time: (iso) => formatAbsolute(iso, timezone), person: (id) => people.get(id) };
  return (
    <section className="card" aria-labelledby="tl-title">
      <h2 id="tl-title">Timeline</h2>
      {lead.events.nodes.length === 0 ? <Empty>Nothing has happened yet.</Empty> : null}
      <ol className="timeline" data-testid="timeline">
        {lead.events.nodes.map((event) => (
          <li key={event.id} className={`tl tl-${event.type.toLowerCase()}`}>
            <strong>{eventLabel(event.type)}</strong> <span className="muted small">by {event.actorLabel}</span>
            <div className="tl-detail">{eventDetail(event.type, event.data, wording)}</div>
            <div className="small">
              <Time iso={event.createdAt} />
            </div>
          </li>
        ))}
      </ol>
      {lead.events.pageInfo.hasNextPage ? (
        <p className="muted small">
          Showing the first {lead.events.nodes.length} of {lead.events.totalCount} events.
        </p>
      ) : null}
    </section>
  );
}

function LeadStatusPanel({ lead, onChanged }: { lead: LeadDetail; onChanged: () => void }) {
  const { can } = useSession();
  const [state, updateLead] = useMutation(UpdateLeadDocument);
  const [name, setName] = useState(lead.name ?? '');
  // The moves the server allows from this status (Lead.allowedTransitions).
  const options = lead.allowedTransitions;
  if (!can('updateLead')) return null;
  return (
    <section className="card lead-status-card" aria-labelledby="status-title">
      <h2 id="status-title">Status</h2>
      <div className="button-row" role="group" aria-label="Change status">
        {options.map((s) => (
          <button
            key={s}
            className="small"
            disabled={state.fetching}
            onClick={() => {
              void updateLead({ id: lead.id, input: { status: s } }).then((r) => {
                if (!r.error) onChanged();
              });
            }}
          >
            Mark {s.toLowerCase()}
          </button>
        ))}
      </div>
      <form
        className="inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          void updateLead({ id: lead.id, input: { name: name.trim() } }).then((r) => {
            if (!r.error) onChanged();
          });
        }}
      >
        <label>
          Caller name
          <input value={name} onChange={(e) => setName(e.target.value)} maxLength={100} />
        </label>
        <button type="submit" className="small" disabled={state.fetching}>
          Save name
        </button>
      </form>
      <ErrorNotice error={state.error} />
    </section>
  );
}

function CallbacksPanel({ lead, onChanged }: { lead: LeadDetail; onChanged: () => void }) {
  const { can, viewer, timezone } = useSession();
  const writer = can('scheduleCallback');
  const [at, setAt] = useState('');
  const [assigneeId, setAssigneeId] = useState('');
  const manager = can('members');
  // Only OWNERs and ADMINs may list staff; everyone else assigns to themselves.
  const [members] = useQuery({ query: MembersDocument, variables: { first: 100 }, pause: !manager || !writer });
  const staff = members.data?.members.nodes ?? [];
  const [schedule, scheduleCallback] = useMutation(ScheduleCallbackDocument);
  const [assign, assignCallback] = useMutation(AssignCallbackDocument);
  const browserZone = browserTimeZone();
  // The shop's zone (Settings); only if it has not loaded yet, the device's.
  const shopZone = timezone ?? browserZone ?? 'UTC';
  const picked = at ? shopTimeToInstant(at, shopZone) : null;
  const open = lead.callbacks.filter((c) => c.status === 'OPEN' || c.status === 'SCHEDULED');
  // Latest attempt first: what happened last is what staff need.
  const done = lead.callbacks.filter((c) => c.status !== 'OPEN' && c.status !== 'SCHEDULED').sort((a, b) => b.attempt - a.attempt);
  return (
    <section className="card lead-callbacks-card" aria-labelledby="cb-title">
      <h2 id="cb-title">Callbacks</h2>
      {lead.callbacks.length === 0 ? <Empty>No callbacks.</Empty> : null}
      <ul className="plain" data-testid="lead-callbacks">
        {open.map((c) => (
          <li key={c.id} className={c.overdue ? 'callback overdue' : 'callback'}>
            <div>
              <strong className="attempt" data-testid="callback-attempt">
                Attempt {c.attempt}
              </strong>{' '}
              <Badge value={c.status} /> due <Time iso={c.dueAt} /> {c.overdue ? <strong className="late">{formatLateness(c.dueAt)}</strong> : null}
            </div>
            <div className="small">Assigned to {c.assignee ? memberName(c.assignee) : 'nobody'}</div>
            {writer ? (
              <>
                {c.assignee?.id !== viewer.user?.id ? (
                  <button
                    className="small"
                    disabled={assign.fetching}
                    onClick={() => {
                      void assignCallback({ id: c.id, assigneeId: viewer.user?.id }).then((r) => {
                        if (!r.error) onChanged();
                      });
                    }}
                  >
                    Assign to me
                  </button>
                ) : null}
                {manager && staff.length > 0 ? (
                  <label className="inline">
                    <span className="visually-hidden">Assign to</span>
                    <select
                      aria-label="Assign to"
                      value={c.assignee?.id ?? ''}
                      disabled={assign.fetching}
                      onChange={(e) => {
                        void assignCallback({ id: c.id, assigneeId: e.target.value || null }).then((r) => {
                          if (!r.error) onChanged();
                        });
                      }}
                    >
                      <option value="">Unassigned</option>
                      {staff.map((m) => (
                        <option key={m.userId} value={m.userId}>
                          {memberName(m)}
                        </option>
                      ))}
                    </select>
                  </label>
                ) : null}
                <CompleteCallback callbackId={c.id} onDone={onChanged} />
              </>
            ) : null}
          </li>
        ))}
        {done.map((c) => (
          <li key={c.id} className="callback done">
            <span className="attempt">Attempt {c.attempt}</span> <Badge value={c.status} /> {c.outcome ? outcomeLabel(c.outcome) : null}{' '}
            {c.completedAt ? <Time iso={c.completedAt} /> : null}
            {c.notes ? <div className="small">{c.notes}</div> : null}
          </li>
        ))}
      </ul>
      {writer ? (
        <form
          className="inline-form schedule-form"
          onSubmit={(event) => {
            event.preventDefault();
            if (!picked) return;
            void scheduleCallback({ leadId: lead.id, at: picked.at.toISOString(), assigneeId: assigneeId || undefined }).then((r) => {
              if (!r.error) {
                setAt('');
                onChanged();
              }
            });
          }}
        >
          <label>
            Schedule a callback at (shop time)
            <input
              id="schedule-callback"
              type="datetime-local"
              value={at}
              min={instantToShopTime(new Date(), shopZone)}
              onChange={(e) => setAt(e.target.value)}
              required
              aria-describedby="callback-zone"
            />
          </label>
          <label>
            Who calls
            <select value={assigneeId} onChange={(e) => setAssigneeId(e.target.value)}>
              <option value="">{open.some((c) => c.assignee) ? 'Keep the current assignee' : 'Nobody yet'}</option>
              {viewer.user && !staff.some((m) => m.userId === viewer.user?.id) ? <option value={viewer.user.id}>Me</option> : null}
              {staff.map((m) => (
                <option key={m.userId} value={m.userId}>
                  {m.userId === viewer.user?.id ? 'Me' : memberName(m)} ({m.role.toLowerCase()})
                </option>
              ))}
            </select>
          </label>
          <button type="submit" className="small" disabled={!picked || schedule.fetching}>
            Schedule
          </button>
          <p id="callback-zone" className="small muted zone-note" data-testid="callback-zone">
            Times are the shop's clock: {describeZone(shopZone)}.{browserZone && browserZone !== shopZone ? ` Your device is on ${browserZone}.` : ''}
            {picked ? (
              <>
                {' '}
                That is <strong data-testid="callback-picked">{formatAbsolute(picked.at.toISOString(), shopZone)}</strong>.
              </>
            ) : null}
            {picked?.dst === 'skipped' ? ' (The clocks spring forward that night: the time you typed does not exist, so it moves an hour later.)' : null}
            {picked?.dst === 'repeated' ? ' (The clocks fall back that night: this is the first of the two.)' : null}
          </p>
        </form>
      ) : null}
      <ErrorNotice error={schedule.error ?? assign.error} />
    </section>
  );
}

function NotePanel({ lead, onChanged }: { lead: LeadDetail; onChanged: () => void }) {
  const { can } = useSession();
  const [body, setBody] = useState('');
  const [state, addNote] = useMutation(AddLeadNoteDocument);
  if (!can('addLeadNote')) return null;
  return (
    <section className="card lead-note-card" aria-labelledby="note-title">
      <h2 id="note-title">Add a note</h2>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void addNote({ leadId: lead.id, body: body.trim() }).then((r) => {
            if (!r.error) {
              setBody('');
              onChanged();
            }
          });
        }}
      >
        <label className="visually-hidden" htmlFor="note-body">
          Note
        </label>
        <textarea
          id="note-body"
          rows={3}
          value={body}
          onChange={(e) => setBody(e.target.value)}
          maxLength={2000}
          placeholder="e.g. Wants a quote for a new condenser"
        />
        <button type="submit" className="small" disabled={!body.trim() || state.fetching}>
          Add note
        </button>
      </form>
      <ErrorNotice error={state.error} />
    </section>
  );
}
