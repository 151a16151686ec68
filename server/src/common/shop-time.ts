// Wall-clock time at the shop: business hours and quiet hours are read in the
// org's IANA time zone, never the server's, and stay right across DST changes.
// Luxon does the calendar and zone arithmetic (decision 0016): a wall-clock time
// on a date becomes an instant directly, instead of probing instants until one
// reads right.
import { DateTime } from 'luxon';
import { pad, timeZone as zoneOf, wallClock, type WallClock } from './time-zones';

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
export const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
export type BusinessHours = Record<Weekday, { start: string; end: string }[]>;

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

export interface ShopClock {
  weekday: Weekday;
  /** Minutes since local midnight. */
  minutes: number;
  /** Local calendar date, YYYY-MM-DD (to tell "today" from "tomorrow"). */
  date: string;
}

function local(at: Date | number, timeZone: string): DateTime {
  return DateTime.fromMillis(typeof at === 'number' ? at : at.getTime(), { zone: zoneOf(timeZone) });
}

type Clock = Pick<WallClock, 'year' | 'month' | 'day' | 'weekday' | 'hour' | 'minute'>;

/** Luxon numbers weekdays 1 (Monday) to 7 (Sunday). */
function weekdayOf(time: Clock): Weekday {
  return WEEKDAYS[time.weekday - 1] ?? 'mon';
}

function clockOf(time: Clock): ShopClock {
  return { weekday: weekdayOf(time), minutes: time.hour * 60 + time.minute, date: `${time.year}-${pad(time.month)}-${pad(time.day)}` };
}

export function shopClock(at: Date, timeZone: string): ShopClock {
  return clockOf(wallClock(zoneOf(timeZone), at.getTime()));
}

/** "08:30" -> 510. */
export function clockMinutes(hhmm: string): number {
  const [hours, minutes] = hhmm.split(':').map(Number);
  return (hours ?? 0) * 60 + (minutes ?? 0);
}

function isOpenAt(clock: ShopClock, hours: BusinessHours): boolean {
  return hours[clock.weekday].some((range) => clock.minutes >= clockMinutes(range.start) && clock.minutes < clockMinutes(range.end));
}

export function isWithinBusinessHours(at: Date, timeZone: string, hours: BusinessHours): boolean {
  return isOpenAt(shopClock(at, timeZone), hours);
}

/** True when `minutes` falls in [start, end), where the window may wrap midnight (21:00–08:00). */
function inWindow(minutes: number, start: number, end: number): boolean {
  if (start === end) return false;
  return start < end ? minutes >= start && minutes < end : minutes >= start || minutes < end;
}

/** A local calendar day: midnight UTC of the same date (plain calendar arithmetic, no zone lookups). */
type CalendarDay = Date;

function calendarDay(time: DateTime): CalendarDay {
  return new Date(Date.UTC(time.year, time.month - 1, time.day));
}

function addDays(day: CalendarDay, days: number): CalendarDay {
  return new Date(day.getTime() + days * DAY);
}

/** Date.getUTCDay numbers weekdays 0 (Sunday) to 6 (Saturday). */
function weekdayOfDay(day: CalendarDay): Weekday {
  return WEEKDAYS[(day.getUTCDay() + 6) % 7] ?? 'mon';
}

/**
 * The first instant whose wall clock reads `minutes` after midnight on the
 * calendar day `day`: the time itself; the first of the two when clocks fall
 * back; the moment clocks sprang forward when it falls in the skipped hour.
 * (Luxon's own reading of an ambiguous time depends on the offset at the moment
 * of the call, so the two candidates are tried here.)
 */
function wallClockInstant(day: CalendarDay, minutes: number, timeZone: string): number {
  const zone = zoneOf(timeZone);
  const wall = day.getTime() + minutes * MINUTE;
  const reached = (instant: number) => {
    const clock = local(instant, timeZone);
    return clock.day === day.getUTCDate() && clock.hour * 60 + clock.minute >= minutes;
  };
  // A zone changes its offset at most once within a day either side: these two cover both
  // candidates. A candidate is exact when the zone has the offset it was read with.
  const offsets = [...new Set([zone.offset(wall - DAY), zone.offset(wall + DAY)])];
  const candidates = offsets.map((offset) => wall - offset * MINUTE);
  const exact = candidates.filter((instant, index) => zone.offset(instant) === offsets[index]);
  if (exact.length > 0) return Math.min(...exact);
  // Skipped: read with the offset before the change it lands after it, with the one after it before it.
  let open = Math.max(...candidates);
  let closed = Math.min(...candidates);
  while (open - closed > MINUTE) {
    const middle = Math.floor((closed + open) / 2 / MINUTE) * MINUTE;
    if (reached(middle)) open = middle;
    else closed = middle;
  }
  return open;
}

/** The first instant at or after `at` whose local time is `targetMinutes` (or, across a skipped hour, just past it). */
function nextLocalTime(at: Date, timeZone: string, targetMinutes: number): Date {
  const today = calendarDay(local(at, timeZone));
  const sameDay = wallClockInstant(today, targetMinutes, timeZone);
  return new Date(sameDay >= at.getTime() ? sameDay : wallClockInstant(addDays(today, 1), targetMinutes, timeZone));
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
  return WEEKDAYS.some((day) => hours[day].length > 0);
}

/**
 * The next time the shop opens after `at` (within a week), to the minute, or
 * null when it has no hours at all: `at` itself (to the next whole minute) when
 * open then, else the earliest start of an interval on the next eight local days.
 */
export function nextOpening(at: Date, timeZone: string, hours: BusinessHours): Date | null {
  if (!hasBusinessHours(hours)) return null;
  const from = Math.ceil(at.getTime() / MINUTE) * MINUTE;
  const start = local(from, timeZone);
  if (isOpenAt(clockOf(start), hours)) return new Date(from);
  const horizon = from + 7 * DAY;
  const firstDay = calendarDay(start);
  for (let offset = 0; offset <= 7; offset++) {
    const day = addDays(firstDay, offset);
    const openings = hours[weekdayOfDay(day)]
      .filter((range) => clockMinutes(range.start) < clockMinutes(range.end))
      .map((range) => wallClockInstant(day, clockMinutes(range.start), timeZone))
      .filter((instant) => instant >= from && instant <= horizon);
    if (openings.length > 0) return new Date(Math.min(...openings));
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

/** "today at 8:00 AM", "tomorrow at 8:00 AM", "Monday at 9:00 AM" — how a text names an opening time. */
export function describeOpening(opening: Date, now: Date, timeZone: string): string {
  const when = local(opening, timeZone).setLocale('en-US');
  const today = calendarDay(local(now, timeZone));
  const day = calendarDay(when).getTime();
  const name = day === today.getTime() ? 'today' : day === addDays(today, 1).getTime() ? 'tomorrow' : when.toFormat('cccc');
  return `${name} at ${when.toFormat('h:mm a')}`;
}
