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
