// Browser notifications for the inbox. Permission is asked only from a click
// ("Enable desktop alerts"), never on load: browsers penalise sites that prompt
// unasked, and a "Block" is hard for staff to undo.
import type { InboxAlert } from './alerts';

export type DesktopAlertPermission = NotificationPermission | 'unsupported';

export function desktopAlertPermission(): DesktopAlertPermission {
  return typeof window !== 'undefined' && 'Notification' in window ? Notification.permission : 'unsupported';
}

/** Must run inside a user gesture (a click handler). */
export async function requestDesktopAlerts(): Promise<DesktopAlertPermission> {
  if (desktopAlertPermission() === 'unsupported') return 'unsupported';
  try {
    return await Notification.requestPermission();
  } catch {
    return desktopAlertPermission();
  }
}

/** Shows the alert if allowed; a click brings this tab forward and runs `open`. */
export function showDesktopAlert(alert: InboxAlert, open: (leadId: string) => void): boolean {
  if (desktopAlertPermission() !== 'granted') return false;
  try {
    const notification = new Notification(alert.title, { body: alert.body, tag: alert.tag });
    notification.onclick = () => {
      window.focus();
      open(alert.leadId);
      notification.close();
    };
    return true;
  } catch {
    // Some mobile browsers only allow notifications from a service worker: the
    // title badge and the chime still tell.
    return false;
  }
}
