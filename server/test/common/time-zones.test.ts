// The remembering zone answers every instant exactly as Luxon's own zone does:
// minute by minute across DST changes (whole-hour, half-hour and quarter-hour
// zones, both directions), at the edges of each quarter hour, and for a year of
// random instants, asked in an order that fills its memory first.
import { DateTime, IANAZone } from 'luxon';
import { daytimeTimeZone, localIso, timeZone, wallClock } from '../../src/common/time-zones';

const MINUTE = 60_000;
const ZONES = [
  'Europe/London',
  'America/New_York',
  'America/Phoenix',
  'America/St_Johns',
  'Australia/Lord_Howe',
  'Asia/Kathmandu',
  'Europe/Dublin',
  'Pacific/Chatham',
];

/** The instants of a zone's offset changes in 2026-2027 (found by Luxon's own zone, hour by hour). */
function changesOf(name: string): number[] {
  const plain = new IANAZone(name);
  const changes: number[] = [];
  for (let at = Date.UTC(2026, 0, 1); at < Date.UTC(2028, 0, 1); at += 60 * MINUTE) {
    if (plain.offset(at) !== plain.offset(at + 60 * MINUTE)) changes.push(at);
  }
  return changes;
}

describe.each(ZONES)('timeZone(%s)', (name) => {
  const plain = new IANAZone(name);

  it('gives the same offset as Luxon minute by minute around each change of offset', () => {
    const zone = timeZone(name);
    const changes = changesOf(name);
    if (!['America/Phoenix', 'Asia/Kathmandu'].includes(name)) expect(changes.length).toBeGreaterThanOrEqual(4);
    for (const change of changes) {
      for (let at = change - 90 * MINUTE; at <= change + 90 * MINUTE; at += MINUTE) {
        // Twice: the answer remembered must be the answer computed.
        expect([zone.offset(at), zone.offset(at + 59_999)]).toEqual([plain.offset(at), plain.offset(at + 59_999)]);
        expect([zone.offset(at), zone.offset(at + 59_999)]).toEqual([plain.offset(at), plain.offset(at + 59_999)]);
      }
    }
  });

  it('gives the same wall-clock times as Luxon for a year of random instants', () => {
    const zone = timeZone(name);
    const start = Date.UTC(2026, 0, 1);
    for (let i = 0; i < 1_000; i++) {
      const at = start + Math.floor(Math.random() * 365 * 24 * 60) * MINUTE + Math.floor(Math.random() * MINUTE);
      expect(DateTime.fromMillis(at, { zone }).toISO()).toBe(DateTime.fromMillis(at, { zone: plain }).toISO());
      const local = { year: 2026, month: 1 + (i % 12), day: 1 + (i % 28), hour: i % 24, minute: (i * 7) % 60 };
      expect(DateTime.fromObject(local, { zone }).toMillis()).toBe(DateTime.fromObject(local, { zone: plain }).toMillis());
    }
  });

  it('reads the wall clock and writes the ISO time as a Luxon DateTime does, around each change and for a year of random instants', () => {
    const zone = timeZone(name);
    const around = changesOf(name).flatMap((change) => Array.from({ length: 181 }, (_, i) => change + (i - 90) * MINUTE + 59_999));
    const random = Array.from({ length: 1_000 }, () => Date.UTC(2026, 0, 1) + Math.floor(Math.random() * 365 * 24 * 60 * MINUTE));
    for (const at of [...around, ...random]) {
      const luxon = DateTime.fromMillis(at, { zone: plain });
      const { year, month, day, weekday, hour, minute, second, millisecond, offset } = luxon;
      expect(wallClock(zone, at)).toEqual({ year, month, day, weekday, hour, minute, second, millisecond, offset });
      expect(localIso(zone, at)).toBe(luxon.toISO());
    }
  });
});

it('is one zone per name, and a name that is not a zone is a RangeError', () => {
  expect(timeZone('America/Chicago')).toBe(timeZone('America/Chicago'));
  expect(() => timeZone('Mars/Olympus_Mons')).toThrow(RangeError);
});

it('daytimeTimeZone finds a zone where it is 9 am to 7 pm, at every minute of a day', () => {
  for (let at = Date.UTC(2026, 11, 1); at < Date.UTC(2026, 11, 2); at += 7 * MINUTE) {
    const hour = DateTime.fromMillis(at, { zone: daytimeTimeZone(new Date(at)) }).hour;
    expect(hour >= 9 && hour < 19).toBe(true);
  }
});
