// Staff reply to a caller: disabled with the reason when they opted out; shows quiet hours.
import { useState } from 'react';
import { useMutation } from 'urql';
import { SendMessageDocument, type LeadPageQuery, type SettingsQuery } from '../generated/graphql';
import { countSegments } from '../lib/sms';
import { formatAbsolute } from '../lib/time';
import { ErrorNotice } from './ui';

const MAX_REPLY = 640;

export function ReplyBox({ lead, settings, onSent }: { lead: LeadPageQuery['lead']; settings: SettingsQuery['settings'] | null; onSent: () => void }) {
  const [body, setBody] = useState('');
  const [state, sendMessage] = useMutation(SendMessageDocument);
  const [sentInQuietHours, setSentInQuietHours] = useState<string | null>(null);
  // The server reads the shop's clock (Lead.quietHoursNow); settings only name the window.
  const quiet = lead.quietHoursNow && settings;
  const count = countSegments(body);
  if (lead.optedOut) {
    return (
      <p className="notice" role="status" data-testid="reply-disabled">
        Replies are off: this caller texted STOP. They receive nothing until they text START.
      </p>
    );
  }
  return (
    <form
      className="reply"
      onSubmit={(event) => {
        event.preventDefault();
        void sendMessage({ leadId: lead.id, body: body.trim() }).then((result) => {
          if (result.data) {
            const sent = result.data.sendMessage;
            setSentInQuietHours(sent.duringQuietHours ? (sent.quietHoursEndAt ?? '') : null);
            setBody('');
            onSent();
          }
        });
      }}
    >
      {quiet ? (
        <p className="notice small" role="status">
          Quiet hours at the shop ({settings.quietHoursStart}–{settings.quietHoursEnd}, {settings.timezone}). Replies still go out — the caller is in a
          conversation — but it may be late for them.
        </p>
      ) : null}
      {sentInQuietHours !== null ? (
        <p className="notice small" role="status">
          Sent during quiet hours{sentInQuietHours ? ` (they end ${formatAbsolute(sentInQuietHours, settings?.timezone)})` : ''}.
        </p>
      ) : null}
      <label htmlFor="reply-body">Reply to the caller</label>
      <textarea id="reply-body" rows={3} value={body} onChange={(e) => setBody(e.target.value)} maxLength={MAX_REPLY} />
      <div className="reply-bar">
        <span className="muted small">
          {count.characters}/{MAX_REPLY} characters · {count.segments} segment{count.segments === 1 ? '' : 's'} ({count.encoding})
        </span>
        <button type="submit" className="primary" disabled={!body.trim() || state.fetching}>
          {state.fetching ? 'Sending…' : 'Send text'}
        </button>
      </div>
      <ErrorNotice error={state.error} title="Not sent" />
    </form>
  );
}
