// Wall-clock time at the shop: business hours and quiet hours are read in the
// org's IANA time zone, never the server's, and stay right across DST changes.
export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
export const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
export type BusinessHours = Record<Weekday, { start: string; end: string }[]>;

const MINUTE = 60_000;
const DAY_MINUTES = 24 * 60;

export interface ShopClock {
  weekday: Weekday;
  /** Minutes since local midnight. */
  minutes: number;
  /** Local calendar date, YYYY-MM-DD (to tell "today" from "tomorrow"). */
  date: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

export function shopClock(at: Date, timeZone: string): ShopClock {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, formatter);
  }
  const parts = Object.fromEntries(formatter.formatToParts(at).map((part) => [part.type, part.value]));
  return {
    weekday: String(parts.weekday).slice(0, 3).toLowerCase() as Weekday,
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
    date: `${parts.year}-${parts.month}-${parts.day}`,
  };
}

/** "08:30" -> 510. */
export function clockMinutes(hhmm: string): number {
  const [hours, minutes] = hhmm.split(':').map(Number);
  return (hours ?? 0) * 60 + (minutes ?? 0);
}

export function isWithinBusinessHours(at: Date, timeZone: string, hours: BusinessHours): boolean {
  const { weekday, minutes } = shopClock(at, timeZone);
  return (hours[weekday] ?? []).some((range) => minutes >= clockMinutes(range.start) && minutes < clockMinutes(range.end));
}

/** True when `minutes` falls in [start, end), where the window may wrap midnight (21:00–08:00). */
function inWindow(minutes: number, start: number, end: number): boolean {
  if (start === end) return false;
  return start < end ? minutes >= start && minutes < end : minutes >= start || minutes < end;
}

/**
 * The first instant at or after `at` whose local time is `targetMinutes`.
 * Steps by the minute difference, then corrects once for a DST shift in between.
 */
function nextLocalTime(at: Date, timeZone: string, targetMinutes: number): Date {
  const startOfMinute = Math.floor(at.getTime() / MINUTE) * MINUTE;
  const now = shopClock(new Date(startOfMinute), timeZone).minutes;
  let candidate = startOfMinute + ((targetMinutes - now + DAY_MINUTES) % DAY_MINUTES) * MINUTE;
  const drift = shopClock(new Date(candidate), timeZone).minutes - targetMinutes;
  if (drift !== 0) candidate -= (((drift + DAY_MINUTES / 2) % DAY_MINUTES) - DAY_MINUTES / 2) * MINUTE;
  return new Date(Math.max(candidate, at.getTime()));
}

/** When quiet hours are on and `at` is inside them: the instant they end. Otherwise null. */
export function quietHoursEndAfter(at: Date, timeZone: string, quietHours: { enabled: boolean; start: string; end: string }): Date | null {
  if (!quietHours.enabled) return null;
  const start = clockMinutes(quietHours.start);
  const end = clockMinutes(quietHours.end);
  if (!inWindow(shopClock(at, timeZone).minutes, start, end)) return null;
  return nextLocalTime(at, timeZone, end);
}

/** True when the shop has at least one opening interval in its week. */
export function hasBusinessHours(hours: BusinessHours): boolean {
  return WEEKDAYS.some((day) => (hours[day] ?? []).length > 0);
}

/**
 * The next time the shop opens after `at` (within a week), to the minute, or
 * null when it has no hours at all. Scans real instants and reads each one's
 * wall-clock time, so DST changes in between are handled by construction.
 */
export function nextOpening(at: Date, timeZone: string, hours: BusinessHours): Date | null {
  if (!hasBusinessHours(hours)) return null;
  const step = 5 * MINUTE;
  let t = Math.ceil(at.getTime() / step) * step;
  for (let i = 0; i < (7 * DAY_MINUTES * MINUTE) / step; i++, t += step) {
    if (!isWithinBusinessHours(new Date(t), timeZone, hours)) continue;
    // The opening lies within the last step: walk back to its minute (hours like 08:07 exist).
    while (t - MINUTE >= at.getTime() && isWithinBusinessHours(new Date(t - MINUTE), timeZone, hours)) t -= MINUTE;
    return new Date(t);
  }
  return null;
}

/** Whether the shop is open at an instant and, when it is not, when it opens next (null: no hours at all). */
export type OpeningState = { open: true } | { open: false; nextOpening: Date | null };

export function openingState(at: Date, timeZone: string, hours: BusinessHours): OpeningState {
  return isWithinBusinessHours(at, timeZone, hours) ? { open: true } : { open: false, nextOpening: nextOpening(at, timeZone, hours) };
}

/** `at` when the shop is open then (or has no hours at all); otherwise its next opening. */
export function duringBusinessHours(at: Date, timeZone: string, hours: BusinessHours): Date {
  const state = openingState(at, timeZone, hours);
  return state.open ? at : (state.nextOpening ?? at);
}

const WEEKDAY_NAMES: Record<Weekday, string> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};

/** "today at 8:00 AM", "tomorrow at 8:00 AM", "Monday at 9:00 AM" — how a text names an opening time. */
export function describeOpening(opening: Date, now: Date, timeZone: string): string {
  const local = shopClock(opening, timeZone);
  const today = shopClock(now, timeZone);
  const tomorrow = shopClock(new Date(now.getTime() + DAY_MINUTES * MINUTE), timeZone);
  const hours24 = Math.floor(local.minutes / 60);
  const time = `${hours24 % 12 === 0 ? 12 : hours24 % 12}:${String(local.minutes % 60).padStart(2, '0')} ${hours24 < 12 ? 'AM' : 'PM'}`;
  const day = local.date === today.date ? 'today' : local.date === tomorrow.date ? 'tomorrow' : WEEKDAY_NAMES[local.weekday];
  return `${day} at ${time}`;
}
