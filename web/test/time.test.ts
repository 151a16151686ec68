import {
  dayEndIso,
  dayStartIso,
  describeZone,
  formatAbsolute,
  formatLateness,
  formatPhone,
  formatRelative,
  instantToShopTime,
  shopTimeToInstant,
} from '../src/lib/time';

const now = Date.parse('2026-03-10T15:00:00Z');

describe('times as staff read them', () => {
  it('says how long ago or how soon in words Intl.RelativeTimeFormat chooses', () => {
    expect(formatRelative('2026-03-10T14:59:40Z', now)).toBe('just now');
    expect(formatRelative('2026-03-10T14:59:00Z', now)).toBe('1 minute ago');
    expect(formatRelative('2026-03-10T14:55:00Z', now)).toBe('5 minutes ago');
    expect(formatRelative('2026-03-10T18:00:00Z', now)).toBe('in 3 hours');
    expect(formatRelative('2026-03-09T15:00:00Z', now)).toBe('1 day ago');
    expect(formatRelative('2026-03-08T15:00:00Z', now)).toBe('2 days ago');
    expect(formatRelative('2026-01-01T15:00:00Z', now)).toBe('2 months ago');
    expect(formatRelative('2024-03-01T15:00:00Z', now)).toBe('2 years ago');
  });

  it('never overstates: 1 h 50 min ago is "1 hour ago"', () => {
    expect(formatRelative('2026-03-10T13:10:00Z', now)).toBe('1 hour ago');
  });

  it('shows absolute times in the organization time zone', () => {
    expect(formatAbsolute('2026-03-10T15:00:00Z', 'America/Chicago')).toMatch(/Mar 10, 2026, 10:00 AM CDT/);
    expect(formatAbsolute(null, 'America/Chicago')).toBe('—');
  });

  it('says how late an overdue callback is', () => {
    expect(formatLateness('2026-03-10T14:48:00Z', now)).toBe('12 min late');
    expect(formatLateness('2026-03-10T11:55:00Z', now)).toBe('3 h 5 min late');
    expect(formatLateness('2026-03-10T15:10:00Z', now)).toBeNull();
  });

  it('formats North American numbers as before, and other countries grouped in international format', () => {
    expect(formatPhone('+15005550123')).toBe('(500) 555-0123');
    expect(formatPhone('+14165550123')).toBe('(416) 555-0123');
    expect(formatPhone('+447700900123')).toBe('+44 7700 900123');
    expect(formatPhone('+33612345678')).toBe('+33 6 12 34 56 78');
    expect(formatPhone('not a number')).toBe('not a number');
  });
});

describe('shop time: a picked wall-clock time means that time at the shop', () => {
  it('converts a Chicago wall-clock time to the instant, whatever the browser zone', () => {
    expect(shopTimeToInstant('2026-07-14T09:00', 'America/Chicago')).toEqual({ at: new Date('2026-07-14T14:00:00Z'), dst: null });
    expect(shopTimeToInstant('2026-01-14T09:00', 'America/Chicago')).toEqual({ at: new Date('2026-01-14T15:00:00Z'), dst: null });
    expect(shopTimeToInstant('2026-01-14T09:00', 'Asia/Kolkata')?.at.toISOString()).toBe('2026-01-14T03:30:00.000Z');
    expect(shopTimeToInstant('2026-01-14T09:00', 'UTC')?.at.toISOString()).toBe('2026-01-14T09:00:00.000Z');
  });

  it('moves a time that does not exist (spring forward) to the same moment after the change', () => {
    // 2026-03-08 02:00 CST -> 03:00 CDT: 2:30 AM never happens; it is read as 3:30 AM CDT.
    expect(shopTimeToInstant('2026-03-08T02:30', 'America/Chicago')).toEqual({ at: new Date('2026-03-08T08:30:00Z'), dst: 'skipped' });
    expect(instantToShopTime('2026-03-08T08:30:00Z', 'America/Chicago')).toBe('2026-03-08T03:30');
    // Just either side of the gap are ordinary times.
    expect(shopTimeToInstant('2026-03-08T01:59', 'America/Chicago')).toEqual({ at: new Date('2026-03-08T07:59:00Z'), dst: null });
    expect(shopTimeToInstant('2026-03-08T03:00', 'America/Chicago')).toEqual({ at: new Date('2026-03-08T08:00:00Z'), dst: null });
  });

  it('takes the first of a time that happens twice (fall back)', () => {
    // 2026-11-01 02:00 CDT -> 01:00 CST: 1:30 AM happens at 06:30Z and again at 07:30Z.
    expect(shopTimeToInstant('2026-11-01T01:30', 'America/Chicago')).toEqual({ at: new Date('2026-11-01T06:30:00Z'), dst: 'repeated' });
    expect(shopTimeToInstant('2026-11-01T02:30', 'America/Chicago')).toEqual({ at: new Date('2026-11-01T08:30:00Z'), dst: null });
  });

  it('knows the southern hemisphere and half-hour zones', () => {
    // Sydney springs forward on 2026-10-04 at 02:00 AEST -> 03:00 AEDT.
    expect(shopTimeToInstant('2026-10-04T02:15', 'Australia/Sydney')?.dst).toBe('skipped');
    expect(shopTimeToInstant('2026-10-04T09:00', 'Australia/Sydney')?.at.toISOString()).toBe('2026-10-03T22:00:00.000Z');
    expect(shopTimeToInstant('2026-06-01T12:00', 'America/St_Johns')?.at.toISOString()).toBe('2026-06-01T14:30:00.000Z');
  });

  it('round-trips instants through the wall clock', () => {
    for (const iso of ['2026-03-08T07:59:00Z', '2026-03-08T08:00:00Z', '2026-11-01T06:30:00Z', '2026-12-31T23:59:00Z']) {
      const local = instantToShopTime(iso, 'America/Chicago');
      const back = shopTimeToInstant(local, 'America/Chicago')!;
      expect(back.at.toISOString()).toBe(new Date(iso).toISOString());
    }
    // The second 1:30 AM reads back as the first one: the picker cannot tell them apart, and says so.
    expect(instantToShopTime('2026-11-01T07:30:00Z', 'America/Chicago')).toBe('2026-11-01T01:30');
  });

  it('refuses what is not a wall-clock time or not a zone', () => {
    expect(shopTimeToInstant('2026-02-30T09:00', 'America/Chicago')).toBeNull();
    expect(shopTimeToInstant('2026-02-10 09:00', 'America/Chicago')).toBeNull();
    expect(shopTimeToInstant('2026-02-10T09:00', 'Mars/Olympus')).toBeNull();
  });

  it('names the zone with its abbreviation at that date', () => {
    expect(describeZone('America/Chicago', new Date('2026-07-01T12:00:00Z'))).toBe('America/Chicago (CDT)');
    expect(describeZone('America/Chicago', new Date('2026-01-01T12:00:00Z'))).toBe('America/Chicago (CST)');
  });

  it('bounds days in the shop zone', () => {
    expect(dayStartIso('2026-03-08', 'America/Chicago')).toBe('2026-03-08T06:00:00.000Z');
    expect(dayEndIso('2026-03-08', 'America/Chicago')).toBe('2026-03-09T05:00:00.000Z');
    expect(dayStartIso('', 'America/Chicago')).toBeUndefined();
  });
});
