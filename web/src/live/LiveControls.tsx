// What staff see of the live inbox: whether updates are arriving, the switch
// for desktop alerts and sound, and in-page alerts for the tab in front.
import { useState } from 'react';
import { Link } from 'react-router';
import { useLiveInbox } from './LiveInbox';
import { chimeEnabled, playChime, setChimeEnabled } from './chime';
import { desktopAlertPermission, requestDesktopAlerts, type DesktopAlertPermission } from './desktop-alerts';
import './live.css';

export function LiveIndicator() {
  const { status, attention } = useLiveInbox();
  if (status === 'live') {
    return (
      <span
        className="live live-on"
        role="status"
        data-testid="live-status"
        data-attention={attention ?? ''}
        title="New calls and replies appear here as they happen"
      >
        <span className="live-dot" aria-hidden="true" /> Live
      </span>
    );
  }
  return (
    <span className="live live-off" role="status" data-testid="live-status" data-attention={attention ?? ''}>
      <span className="live-dot" aria-hidden="true" /> {status === 'connecting' ? 'Connecting to live updates…' : 'Live updates paused — reconnecting…'}
    </span>
  );
}

export function AlertSettings() {
  const [permission, setPermission] = useState<DesktopAlertPermission>(desktopAlertPermission);
  const [sound, setSound] = useState(chimeEnabled);
  return (
    <div className="alert-settings">
      {permission === 'default' ? (
        <button type="button" className="small" onClick={() => void requestDesktopAlerts().then(setPermission)}>
          Enable desktop alerts
        </button>
      ) : permission === 'granted' ? (
        <span className="muted small" data-testid="desktop-alerts-on">
          Desktop alerts on
        </span>
      ) : permission === 'denied' ? (
        <span className="muted small" title="Allow notifications for this site in the browser's site settings, then reload">
          Desktop alerts blocked by the browser
        </span>
      ) : null}
      <label className="checkbox small">
        <input
          type="checkbox"
          checked={sound}
          onChange={(event) => {
            setChimeEnabled(event.target.checked);
            setSound(event.target.checked);
            if (event.target.checked) playChime();
          }}
        />{' '}
        Sound
      </label>
    </div>
  );
}

/** Alerts for the tab in front (a background tab gets desktop notifications). */
export function AlertToasts() {
  const { alerts, dismissAlert } = useLiveInbox();
  return (
    <div className="toasts" aria-live="polite" data-testid="alert-toasts">
      {alerts.map((alert) => (
        <div key={alert.tag} className="toast" role="status">
          <Link to={`/leads/${alert.leadId}`} onClick={() => dismissAlert(alert.tag)}>
            <strong>{alert.title}</strong>
            <span className="small">{alert.body}</span>
          </Link>
          <button type="button" className="link-button small" aria-label={`Dismiss: ${alert.title}`} onClick={() => dismissAlert(alert.tag)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
