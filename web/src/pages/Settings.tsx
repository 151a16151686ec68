// Settings: templates with live preview, business hours, quiet hours, timings, toggles, tracking lines.
import { useEffect, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import {
  SettingsDocument,
  TrackingLinesDocument,
  UpdateSettingsDocument,
  type SettingsQuery,
  type UpdateSettingsInput,
  type Weekday,
} from '../generated/graphql';
import { Empty, ErrorNotice, Loading, PageTitle, Time } from '../components/ui';
import { countSegments, previewTemplate, templateProblem, EMPTY_VARIABLE_RULE, PREVIEW_VALUES, MAX_TEMPLATE_LENGTH } from '../lib/sms';
import { describeError } from '../lib/errors';
import { describeRetryCadence, parseRetryMinutes } from '../lib/lead';
import { formatPhone } from '../lib/time';
import { useSession } from '../session';
import { LineRegistration } from '../components/LineRegistration';

type Settings = SettingsQuery['settings'];
type Hours = { day: Weekday; intervals: { start: string; end: string }[] }[];

export function SettingsPage() {
  const { can } = useSession();
  const [{ data, error, fetching }] = useQuery({ query: SettingsDocument });
  const editable = can('updateSettings');
  if (fetching && !data) return <Loading what="Loading settings" />;
  return (
    <section aria-labelledby="settings-title">
      <PageTitle>Settings</PageTitle>
      <ErrorNotice error={error} />
      {data ? editable ? <SettingsEditor settings={data.settings} /> : <SettingsReadOnly settings={data.settings} /> : null}
      <TrackingLines />
    </section>
  );
}

function SettingsReadOnly({ settings }: { settings: Settings }) {
  return (
    <div className="card" data-testid="settings-readonly">
      <p className="notice">Only owners and admins can change settings. This is what CallSnare does now.</p>
      <dl className="facts">
        <dt>Business name</dt>
        <dd>{settings.businessName}</dd>
        <dt>Time zone</dt>
        <dd>{settings.timezone}</dd>
        <dt>Text-back</dt>
        <dd>{settings.textBackEnabled ? 'on' : 'off'}</dd>
        <dt>Business-hours text</dt>
        <dd>{settings.previews.businessHours.text}</dd>
        <dt>After-hours text</dt>
        <dd>{settings.previews.afterHours.text}</dd>
        <dt>Quiet hours</dt>
        <dd>{settings.quietHoursEnabled ? `${settings.quietHoursStart}–${settings.quietHoursEnd}` : 'off'}</dd>
        <dt>Callback SLA</dt>
        <dd>{settings.callbackSlaMinutes} min</dd>
        <dt>Callback retries</dt>
        <dd>{describeRetryCadence(settings.callbackRetryMinutes)}</dd>
        <dt>Ring timeout</dt>
        <dd>{settings.ringTimeoutSeconds} s</dd>
      </dl>
    </div>
  );
}

/** What every section of the editor gets: the draft, a setter, and the server's problems by field. */
interface SectionProps {
  draft: Draft;
  set: <K extends keyof Draft>(key: K, value: Draft[K]) => void;
  fields: Record<string, string>;
}

function SettingsEditor({ settings }: { settings: Settings }) {
  const [draft, setDraft] = useState(() => toDraft(settings));
  const [state, updateSettings] = useMutation(UpdateSettingsDocument);
  const [saved, setSaved] = useState<Settings | null>(null);
  useEffect(() => setDraft(toDraft(settings)), [settings.updatedAt]);
  const fields = describeError(state.error)?.fields ?? {};
  const set: SectionProps['set'] = (key, value) => setDraft((d) => ({ ...d, [key]: value }));
  const section: SectionProps = { draft, set, fields };

  const retries = parseRetryMinutes(draft.callbackRetryMinutes);
  const retryProblem = 'problem' in retries ? retries.problem : undefined;

  const save = async () => {
    setSaved(null);
    if ('problem' in retries) return; // shown next to the field
    const result = await updateSettings({ input: toInput(draft, retries.minutes) });
    if (result.data) setSaved(result.data.updateSettings);
  };

  return (
    <form
      className="settings"
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      <TemplatesSection {...section} />
      <BusinessSection {...section} />
      <BusinessHoursSection {...section} />
      <TimingSection {...section} retries={retries} />
      <div className="save-bar">
        <button type="submit" className="primary" disabled={state.fetching || !!retryProblem}>
          {state.fetching ? 'Saving…' : 'Save settings'}
        </button>
        <span className="muted small">
          Last changed <Time iso={settings.updatedAt} />
        </span>
      </div>
      <ErrorNotice error={state.error} title="Not saved" />
      {saved ? (
        <div className="notice notice-ok" role="status" data-testid="settings-saved">
          Saved. Callers will now receive: <q data-testid="saved-preview">{saved.previews.businessHours.text}</q> ({saved.previews.businessHours.characters}{' '}
          characters, {saved.previews.businessHours.segments} segment{saved.previews.businessHours.segments === 1 ? '' : 's'},{' '}
          {saved.previews.businessHours.encoding})
        </div>
      ) : null}
    </form>
  );
}

function TemplatesSection({ draft, set, fields }: SectionProps) {
  return (
    <fieldset className="card">
      <legend>Text-back templates</legend>
      <p className="muted small">
        Variables: {'{businessName}'}, {'{callerFirstName}'}, {'{callbackEta}'}. Previews: caller "{PREVIEW_VALUES.callerFirstName}", and a caller whose name is
        unknown. {EMPTY_VARIABLE_RULE}
      </p>
      <TemplateField
        id="tpl-business"
        label="During business hours"
        value={draft.businessHoursTemplate}
        onChange={(v) => set('businessHoursTemplate', v)}
        businessName={draft.businessName}
        callbackEta={`within ${draft.callbackSlaMinutes} minutes`}
        serverProblem={fields.businessHoursTemplate}
      />
      <TemplateField
        id="tpl-after"
        label="Outside business hours"
        value={draft.afterHoursTemplate}
        onChange={(v) => set('afterHoursTemplate', v)}
        businessName={draft.businessName}
        callbackEta="first thing when we open"
        serverProblem={fields.afterHoursTemplate}
      />
      <label className="checkbox">
        <input type="checkbox" checked={draft.textBackEnabled} onChange={(e) => set('textBackEnabled', e.target.checked)} /> Send automatic text-backs
      </label>
    </fieldset>
  );
}

function BusinessSection({ draft, set, fields }: SectionProps) {
  return (
    <fieldset className="card">
      <legend>Business</legend>
      <Field label="Business name" error={fields.businessName}>
        <input value={draft.businessName} onChange={(e) => set('businessName', e.target.value)} maxLength={100} />
      </Field>
      <Field label="Time zone (IANA)" error={fields.timezone}>
        <input value={draft.timezone} onChange={(e) => set('timezone', e.target.value)} />
      </Field>
    </fieldset>
  );
}

function BusinessHoursSection({ draft, set, fields }: SectionProps) {
  return (
    <fieldset className="card">
      <legend>Business hours</legend>
      <HoursEditor hours={draft.businessHours} onChange={(h) => set('businessHours', h)} />
      {fields.businessHours ? <p className="field-error">{fields.businessHours}</p> : null}
    </fieldset>
  );
}

function TimingSection({ draft, set, fields, retries }: SectionProps & { retries: ReturnType<typeof parseRetryMinutes> }) {
  const retryProblem = 'problem' in retries ? retries.problem : undefined;
  return (
    <fieldset className="card">
      <legend>Timing and quiet hours</legend>
      <label className="checkbox">
        <input type="checkbox" checked={draft.quietHoursEnabled} onChange={(e) => set('quietHoursEnabled', e.target.checked)} /> Hold text-backs during quiet
        hours
      </label>
      <div className="row">
        <Field label="Quiet from" error={fields.quietHoursStart}>
          <input type="time" value={draft.quietHoursStart} onChange={(e) => set('quietHoursStart', e.target.value)} />
        </Field>
        <Field label="Quiet until" error={fields.quietHoursEnd}>
          <input type="time" value={draft.quietHoursEnd} onChange={(e) => set('quietHoursEnd', e.target.value)} />
        </Field>
      </div>
      <div className="row">
        <Field label="Text-back cooldown (minutes, 0–1440)" error={fields.textBackCooldownMinutes}>
          <input type="number" min={0} max={1440} value={draft.textBackCooldownMinutes} onChange={(e) => set('textBackCooldownMinutes', e.target.value)} />
        </Field>
        <Field label="Automatic texts per caller per 24 hours (1–10)" error={fields.maxAutomatedTextsPerDay}>
          <input type="number" min={1} max={10} value={draft.maxAutomatedTextsPerDay} onChange={(e) => set('maxAutomatedTextsPerDay', e.target.value)} />
        </Field>
        <Field label="Ring timeout (seconds, 5–60)" error={fields.ringTimeoutSeconds}>
          <input type="number" min={5} max={60} value={draft.ringTimeoutSeconds} onChange={(e) => set('ringTimeoutSeconds', e.target.value)} />
        </Field>
        <Field label="Callback SLA (minutes, 1–1440)" error={fields.callbackSlaMinutes}>
          <input type="number" min={1} max={1440} value={draft.callbackSlaMinutes} onChange={(e) => set('callbackSlaMinutes', e.target.value)} />
        </Field>
      </div>
      <Field label="When a callback is not answered, try again after (minutes; 4h and 1d work too)" error={retryProblem ?? fields.callbackRetryMinutes}>
        <input
          value={draft.callbackRetryMinutes}
          onChange={(e) => set('callbackRetryMinutes', e.target.value)}
          placeholder="60, 240"
          aria-describedby="retry-cadence"
          data-testid="callback-retry-minutes"
        />
      </Field>
      <p id="retry-cadence" className="small muted" data-testid="retry-cadence">
        {'minutes' in retries ? describeRetryCadence(retries.minutes) : 'Separate the waits with commas, e.g. 60, 240.'} At most 6 retries, each 5 minutes to 7
        days.
      </p>
      <label className="checkbox">
        <input type="checkbox" checked={draft.callScreeningEnabled} onChange={(e) => set('callScreeningEnabled', e.target.checked)} /> Call screening ("press 1
        to accept")
      </label>
      <label className="checkbox">
        <input type="checkbox" checked={draft.voicemailEnabled} onChange={(e) => set('voicemailEnabled', e.target.checked)} /> Voicemail after a missed call
      </label>
    </fieldset>
  );
}

/** The draft as updateSettings takes it (numbers typed as text become numbers). */
function toInput(draft: Draft, callbackRetryMinutes: number[]): UpdateSettingsInput {
  return {
    businessName: draft.businessName,
    timezone: draft.timezone,
    businessHoursTemplate: draft.businessHoursTemplate,
    afterHoursTemplate: draft.afterHoursTemplate,
    textBackEnabled: draft.textBackEnabled,
    textBackCooldownMinutes: Number(draft.textBackCooldownMinutes),
    maxAutomatedTextsPerDay: Number(draft.maxAutomatedTextsPerDay),
    quietHoursEnabled: draft.quietHoursEnabled,
    quietHoursStart: draft.quietHoursStart,
    quietHoursEnd: draft.quietHoursEnd,
    ringTimeoutSeconds: Number(draft.ringTimeoutSeconds),
    callbackSlaMinutes: Number(draft.callbackSlaMinutes),
    callbackRetryMinutes,
    callScreeningEnabled: draft.callScreeningEnabled,
    voicemailEnabled: draft.voicemailEnabled,
    businessHours: draft.businessHours,
  };
}

interface Draft {
  businessName: string;
  timezone: string;
  businessHoursTemplate: string;
  afterHoursTemplate: string;
  textBackEnabled: boolean;
  textBackCooldownMinutes: string;
  maxAutomatedTextsPerDay: string;
  quietHoursEnabled: boolean;
  quietHoursStart: string;
  quietHoursEnd: string;
  ringTimeoutSeconds: string;
  callbackSlaMinutes: string;
  /** As typed: "60, 240". */
  callbackRetryMinutes: string;
  callScreeningEnabled: boolean;
  voicemailEnabled: boolean;
  businessHours: Hours;
}

function toDraft(s: Settings): Draft {
  return {
    businessName: s.businessName,
    timezone: s.timezone,
    businessHoursTemplate: s.businessHoursTemplate,
    afterHoursTemplate: s.afterHoursTemplate,
    textBackEnabled: s.textBackEnabled,
    textBackCooldownMinutes: String(s.textBackCooldownMinutes),
    maxAutomatedTextsPerDay: String(s.maxAutomatedTextsPerDay),
    quietHoursEnabled: s.quietHoursEnabled,
    quietHoursStart: s.quietHoursStart,
    quietHoursEnd: s.quietHoursEnd,
    ringTimeoutSeconds: String(s.ringTimeoutSeconds),
    callbackSlaMinutes: String(s.callbackSlaMinutes),
    callbackRetryMinutes: s.callbackRetryMinutes.join(', '),
    callScreeningEnabled: s.callScreeningEnabled,
    voicemailEnabled: s.voicemailEnabled,
    businessHours: s.businessHours.map((d) => ({ day: d.day, intervals: d.intervals.map((i) => ({ start: i.start, end: i.end })) })),
  };
}

function Field({ label, error, children }: { label: string; error?: string; children: React.ReactNode }) {
  return (
    <label className={error ? 'field has-error' : 'field'}>
      {label}
      {children}
      {error ? <span className="field-error">{error}</span> : null}
    </label>
  );
}

function TemplateField(props: {
  id: string;
  label: string;
  value: string;
  onChange: (v: string) => void;
  businessName: string;
  callbackEta: string;
  serverProblem?: string;
}) {
  const problem = templateProblem(props.value);
  const { text, textWithoutName } = previewTemplate(props.value, { businessName: props.businessName, callbackEta: props.callbackEta });
  const count = countSegments(text);
  return (
    <div className="template-field">
      <label htmlFor={props.id}>{props.label}</label>
      <textarea
        id={props.id}
        rows={3}
        value={props.value}
        maxLength={MAX_TEMPLATE_LENGTH + 50}
        onChange={(e) => props.onChange(e.target.value)}
        aria-describedby={`${props.id}-preview`}
      />
      {problem || props.serverProblem ? <p className="field-error">{props.serverProblem ?? problem}</p> : null}
      <div className="preview" id={`${props.id}-preview`} aria-live="polite">
        <span className="muted small">Preview</span>
        <p className="sms" data-testid={`${props.id}-preview-text`}>
          {text || '—'}
        </p>
        <span className="muted small">Name unknown</span>
        <p className="sms" data-testid={`${props.id}-preview-without-name`}>
          {textWithoutName || '—'}
        </p>
        <span className={count.segments > 1 ? 'small warn' : 'small muted'} data-testid={`${props.id}-count`}>
          {count.characters} characters · {count.segments} SMS segment{count.segments === 1 ? '' : 's'} · {count.encoding}
          {count.encoding === 'UCS-2' ? ' (emoji or curly quotes make segments shorter)' : ''}
        </span>
      </div>
    </div>
  );
}

const DAYS: Weekday[] = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'];

function HoursEditor({ hours, onChange }: { hours: Hours; onChange: (h: Hours) => void }) {
  const byDay = new Map(hours.map((d) => [d.day, d.intervals]));
  const update = (day: Weekday, intervals: { start: string; end: string }[]) =>
    onChange(DAYS.map((d) => ({ day: d, intervals: d === day ? intervals : (byDay.get(d) ?? []) })));
  return (
    <table className="hours">
      <tbody>
        {DAYS.map((day) => {
          const intervals = byDay.get(day) ?? [];
          return (
            <tr key={day}>
              <th scope="row">{day}</th>
              <td>
                {intervals.length === 0 ? <span className="muted">Closed</span> : null}
                {intervals.map((interval, index) => (
                  <span key={index} className="interval">
                    <input
                      type="time"
                      aria-label={`${day} opens`}
                      value={interval.start}
                      onChange={(e) =>
                        update(
                          day,
                          intervals.map((iv, i) => (i === index ? { ...iv, start: e.target.value } : iv)),
                        )
                      }
                    />
                    –
                    <input
                      type="time"
                      aria-label={`${day} closes`}
                      value={interval.end}
                      onChange={(e) =>
                        update(
                          day,
                          intervals.map((iv, i) => (i === index ? { ...iv, end: e.target.value } : iv)),
                        )
                      }
                    />
                    <button
                      type="button"
                      className="small"
                      aria-label={`Remove ${day} interval`}
                      onClick={() =>
                        update(
                          day,
                          intervals.filter((_, i) => i !== index),
                        )
                      }
                    >
                      ×
                    </button>
                  </span>
                ))}
                {intervals.length < 3 ? (
                  <button type="button" className="small" onClick={() => update(day, [...intervals, { start: '08:00', end: '17:00' }])}>
                    Add hours
                  </button>
                ) : null}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function TrackingLines() {
  const [{ data, error }] = useQuery({ query: TrackingLinesDocument });
  return (
    <section className="card" aria-labelledby="lines-title">
      <h2 id="lines-title">Tracking lines</h2>
      <ErrorNotice error={error} />
      {data && data.trackingLines.length === 0 ? <Empty>No tracking lines. Add one with `callsnare line add`.</Empty> : null}
      {data && data.trackingLines.length > 0 ? (
        <table className="list">
          <thead>
            <tr>
              <th scope="col">Number</th>
              <th scope="col">Rings</th>
              <th scope="col">Label</th>
              <th scope="col">Active</th>
              <th scope="col">Messaging registration</th>
              <th scope="col">Added</th>
            </tr>
          </thead>
          <tbody>
            {data.trackingLines.map((line) => (
              <tr key={line.id}>
                <td>{formatPhone(line.number)}</td>
                <td>{formatPhone(line.forwardTo)}</td>
                <td>{line.label ?? '—'}</td>
                <td>{line.active ? 'yes' : 'no'}</td>
                <td>
                  <LineRegistration line={line} />
                </td>
                <td>
                  <Time iso={line.createdAt} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
