// Times as staff read them: relative ("5 minutes ago") next to absolute, in the shop's time zone; shop wall-clock times <-> instants.

export function formatAbsolute(iso: string | null | undefined, timeZone: string | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  try {
    return new Intl.DateTimeFormat('en-US', {
      timeZone,
      month: 'short',
      day: 'numeric',
      year: 'numeric',
      hour: 'numeric',
      minute: '2-digit',
      timeZoneName: 'short',
    }).format(date);
  } catch {
    return date.toISOString();
  }
}

// Largest first: the first unit that fits at least once words the distance.
const RELATIVE_UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 86400],
  ['month', 30 * 86400],
  ['day', 86400],
  ['hour', 3600],
  ['minute', 60],
];

/**
 * "just now", "5 minutes ago", "in 3 hours", "1 day ago", worded by Intl.RelativeTimeFormat
 * (whole units, rounded down: 1 h 50 min is "1 hour ago", never more than it was).
 */
export function formatRelative(iso: string | null | undefined, now: number = Date.now(), locale = 'en-US'): string {
  if (!iso) return '';
  const diffSeconds = (new Date(iso).getTime() - now) / 1000;
  const abs = Math.abs(diffSeconds);
  if (abs < 45) return 'just now';
  const [unit, size] = RELATIVE_UNITS.find(([, seconds]) => abs >= seconds) ?? ['minute', 60];
  const value = Math.max(1, Math.floor(abs / size));
  return new Intl.RelativeTimeFormat(locale, { numeric: 'always', style: 'long' }).format(diffSeconds < 0 ? -value : value, unit);
}

/** How late an overdue item is: "12 min late", "3 h 5 min late". */
export function formatLateness(dueIso: string, now: number = Date.now()): string | null {
  const lateMinutes = Math.floor((now - new Date(dueIso).getTime()) / 60000);
  if (lateMinutes < 1) return null;
  if (lateMinutes < 60) return `${lateMinutes} min late`;
  const hours = Math.floor(lateMinutes / 60);
  if (hours < 48) return `${hours} h ${lateMinutes % 60} min late`;
  return `${Math.floor(hours / 24)} days late`;
}

/** A yyyy-mm-dd input value -> ISO at the start of that day (in `timeZone` when given, else the browser's), or undefined. */
export function dayStartIso(value: string, timeZone?: string): string | undefined {
  if (!value) return undefined;
  if (timeZone) return shopTimeToInstant(`${value}T00:00`, timeZone)?.at.toISOString();
  const date = new Date(`${value}T00:00:00`);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** A yyyy-mm-dd input value -> ISO at the start of the next day (exclusive end). */
export function dayEndIso(value: string, timeZone?: string): string | undefined {
  if (!value) return undefined;
  const date = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return undefined;
  date.setUTCDate(date.getUTCDate() + 1);
  return dayStartIso(date.toISOString().slice(0, 10), timeZone);
}

// Phone display is the server's (libphonenumber-js, in @callsnare/rules); pages import it with the times they show.
export { formatPhone } from '@callsnare/rules';

// ---- Shop time: wall-clock times in the organization's time zone ----
// A callback picked as "Tue 9:00 AM" means 9:00 at the shop, whatever zone the
// browser is in. <input type="datetime-local"> speaks "yyyy-mm-ddThh:mm" with no
// zone, so these convert between that and instants for a given IANA zone.

const LOCAL_INPUT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

const wallClockFormats = new Map<string, Intl.DateTimeFormat>();
function wallClockFormat(timeZone: string): Intl.DateTimeFormat {
  let format = wallClockFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    wallClockFormats.set(timeZone, format);
  }
  return format;
}

/** The shop's wall clock at an instant, as milliseconds of a UTC date with the same fields. */
function wallClockMs(instantMs: number, timeZone: string): number {
  const fields: Record<string, number> = {};
  for (const part of wallClockFormat(timeZone).formatToParts(new Date(instantMs))) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  // A field the format did not give makes the result NaN rather than a plausible wrong time.
  const field = (type: string) => fields[type] ?? NaN;
  return Date.UTC(field('year'), field('month') - 1, field('day'), field('hour') % 24, field('minute'), field('second'));
}

/** How far the zone's wall clock is ahead of UTC at an instant (ms; negative west of Greenwich). */
function zoneOffsetMs(instantMs: number, timeZone: string): number {
  const whole = Math.floor(instantMs / 1000) * 1000;
  return wallClockMs(whole, timeZone) - whole;
}

export interface ShopInstant {
  at: Date;
  /**
   * `skipped`: that wall-clock time does not exist (clocks sprang forward); `at` is the
   * same moment read with the offset before the change (2:30 AM -> 3:30 AM).
   * `repeated`: it happens twice (clocks fell back); `at` is the first one.
   */
  dst: 'skipped' | 'repeated' | null;
}

/** "2026-03-10T09:00" at the shop (an IANA zone) -> the instant; null when not a valid wall-clock time. */
export function shopTimeToInstant(local: string, timeZone: string): ShopInstant | null {
  const m = LOCAL_INPUT.exec(local);
  if (!m) return null;
  const [year, month, day, hour, minute] = m.slice(1).map(Number) as [number, number, number, number, number];
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  const check = new Date(wall);
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59) return null;
  try {
    // A zone changes its offset at most once within a day either side: these two cover both candidates.
    const before = zoneOffsetMs(wall - 86400000, timeZone);
    const after = zoneOffsetMs(wall + 86400000, timeZone);
    const matches = [...new Set([before, after])].map((offset) => wall - offset).filter((instant) => wallClockMs(instant, timeZone) === wall);
    if (matches.length === 0) return { at: new Date(wall - before), dst: 'skipped' };
    return { at: new Date(Math.min(...matches)), dst: matches.length > 1 ? 'repeated' : null };
  } catch {
    return null; // not a time zone Intl knows
  }
}

/** An instant -> "yyyy-mm-ddThh:mm" on the shop's wall clock (for datetime-local inputs). */
export function instantToShopTime(instant: Date | string, timeZone: string): string {
  const wall = new Date(wallClockMs(new Date(instant).getTime(), timeZone));
  return wall.toISOString().slice(0, 16);
}

/** "America/Chicago (CDT)": the zone and its current abbreviation, to say which clock a picker uses. */
export function describeZone(timeZone: string, at: Date = new Date()): string {
  try {
    const name = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'short' }).formatToParts(at).find((p) => p.type === 'timeZoneName')?.value;
    return name ? `${timeZone} (${name})` : timeZone;
  } catch {
    return timeZone;
  }
}

/** The browser's own zone, to warn when it differs from the shop's. */
export function browserTimeZone(): string | undefined {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}
