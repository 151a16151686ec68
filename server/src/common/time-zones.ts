// IANA zones for Luxon: one per name for the life of the process, each
// remembering its UTC offset per quarter hour. Luxon asks the zone for its
// offset every time it makes or moves a DateTime, and the zone asks Intl
// (formatToParts), which was the costliest step of reading a shop's or a
// caller's clock on the missed-call path.
import { DateTime, IANAZone } from 'luxon';

const QUARTER_HOUR = 15 * 60_000;
/** Quarter hours remembered per zone (~42 days of them); past that the memory starts over. */
const MAX_REMEMBERED = 4096;

class RememberingZone extends IANAZone {
  private readonly offsets = new Map<number, number>();

  override offset(ts: number): number {
    const quarter = Math.floor(ts / QUARTER_HOUR);
    const known = this.offsets.get(quarter);
    if (known !== undefined) return known;
    const offset = super.offset(ts);
    // Kept only when the whole quarter hour has this one offset: an instant in a quarter hour
    // holding a change of offset (none does in today's zones, but history has odd ones) is asked every time.
    const start = quarter * QUARTER_HOUR;
    if (super.offset(start) === offset && super.offset(start + QUARTER_HOUR - 1) === offset) {
      if (this.offsets.size >= MAX_REMEMBERED) this.offsets.clear();
      this.offsets.set(quarter, offset);
    }
    return offset;
  }
}

const zones = new Map<string, IANAZone>();

/** The zone named (e.g. "America/Chicago"); a RangeError for a name that is not an IANA zone. */
export function timeZone(name: string): IANAZone {
  let zone = zones.get(name);
  if (!zone) {
    zone = new RememberingZone(name);
    if (!zone.isValid) throw new RangeError(`Invalid time zone specified: ${name}`);
    zones.set(name, zone);
  }
  return zone;
}

/** Zones between which every hour of the UTC day is 9 am–7 pm somewhere. */
const AROUND_THE_CLOCK = [
  'America/Chicago',
  'America/New_York',
  'America/Los_Angeles',
  'Pacific/Honolulu',
  'Asia/Tokyo',
  'Australia/Sydney',
  'Asia/Kolkata',
  'Europe/London',
];

/**
 * A zone where it is between 9 am and 7 pm at `at`. For work that runs on the real clock and
 * must not be held by a calling window (the benchmark, the crash and scale tests): a shop there,
 * texting a caller whose area code no region has, is inside the caller's 8 am–9 pm window.
 */
export function daytimeTimeZone(at: Date = new Date()): string {
  const hourIn = (name: string) => DateTime.fromMillis(at.getTime(), { zone: timeZone(name) }).hour;
  return AROUND_THE_CLOCK.find((name) => hourIn(name) >= 9 && hourIn(name) < 19) ?? 'America/Chicago';
}

/** A wall clock reading, with the field names and numbering of Luxon's DateTime (weekday 1 = Monday … 7 = Sunday). */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  weekday: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  /** Minutes east of UTC. */
  offset: number;
}

/**
 * The wall clock in `zone` at the instant `ts`, read from the zone's offset as
 * Luxon reads it (instant + offset, in UTC fields), without making a DateTime:
 * the missed-call path reads a shop's and a caller's clock several times per call.
 */
export function wallClock(zone: IANAZone, ts: number): WallClock {
  const offset = zone.offset(ts);
  const local = new Date(ts + offset * 60_000);
  const day = local.getUTCDay();
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    weekday: day === 0 ? 7 : day,
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    second: local.getUTCSeconds(),
    millisecond: local.getUTCMilliseconds(),
    offset,
  };
}

/** A number with leading zeros to `width` digits ("07"). */
export const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/** The instant as Luxon's toISO() writes it in `zone` ("2026-12-01T04:30:00.000-06:00"), for years 0–9999. */
export function localIso(zone: IANAZone, ts: number): string {
  const clock = wallClock(zone, ts);
  const sign = clock.offset < 0 ? '-' : '+';
  const offset = Math.abs(clock.offset);
  return (
    `${pad(clock.year, 4)}-${pad(clock.month)}-${pad(clock.day)}T${pad(clock.hour)}:${pad(clock.minute)}:${pad(clock.second)}.${pad(clock.millisecond, 3)}` +
    `${sign}${pad(Math.floor(offset / 60))}:${pad(offset % 60)}`
  );
}
