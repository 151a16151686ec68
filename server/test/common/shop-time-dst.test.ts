// Shop time across daylight-saving changes (Luxon does the zone arithmetic):
// spring forward skips an hour, fall back repeats one; openings, quiet-hours ends
// and the words a text uses stay right on either side. New York changes on
// 2026-03-08 (02:00 -> 03:00) and 2026-11-01 (02:00 -> 01:00); Lord Howe Island
// moves by half an hour on 2026-10-04 (02:00 -> 02:30).
import {
  describeOpening,
  isWithinBusinessHours,
  nextOpening,
  openingState,
  quietHoursEndAfter,
  shopClock,
  type BusinessHours,
} from '../../src/common/shop-time';

const NY = 'America/New_York';
const nine = { start: '08:00', end: '17:00' };
const WEEKDAYS_8_TO_5: BusinessHours = { mon: [nine], tue: [nine], wed: [nine], thu: [nine], fri: [nine], sat: [], sun: [] };
const closedBut = (day: keyof BusinessHours, start: string, end: string): BusinessHours => ({
  mon: [],
  tue: [],
  wed: [],
  thu: [],
  fri: [],
  sat: [],
  sun: [],
  [day]: [{ start, end }],
});
const at = (iso: string) => new Date(iso);

describe('shop time: spring forward', () => {
  it('a call on Saturday evening before the change gets Monday 08:00 EDT as the next opening', () => {
    expect(nextOpening(at('2026-03-07T23:00:00Z'), NY, WEEKDAYS_8_TO_5)).toEqual(at('2026-03-09T12:00:00Z'));
  });

  it('hours that start in the skipped hour open the moment clocks jump (02:30 does not exist: 03:00 EDT)', () => {
    expect(nextOpening(at('2026-03-07T23:00:00Z'), NY, closedBut('sun', '02:30', '06:00'))).toEqual(at('2026-03-08T07:00:00Z'));
  });

  it('quiet hours 21:00-08:00 that span the change end at 08:00 EDT', () => {
    expect(quietHoursEndAfter(at('2026-03-08T03:00:00Z'), NY, { enabled: true, start: '21:00', end: '08:00' })).toEqual(at('2026-03-08T12:00:00Z'));
  });

  it('quiet hours that end inside the skipped hour end when clocks jump', () => {
    expect(quietHoursEndAfter(at('2026-03-08T04:00:00Z'), NY, { enabled: true, start: '22:00', end: '02:30' })).toEqual(at('2026-03-08T07:00:00Z'));
  });

  it('a half-hour change (Lord Howe Island, 02:00 -> 02:30) is found to the minute', () => {
    const lordHowe = 'Australia/Lord_Howe';
    expect(quietHoursEndAfter(at('2026-10-03T12:00:00Z'), lordHowe, { enabled: true, start: '22:00', end: '02:15' })).toEqual(at('2026-10-03T15:30:00Z'));
    expect(shopClock(at('2026-10-03T15:30:00Z'), lordHowe)).toEqual({ weekday: 'sun', minutes: 150, date: '2026-10-04' });
  });

  it('a text names the opening by its local day and time', () => {
    const now = at('2026-03-07T23:00:00Z');
    expect(describeOpening(at('2026-03-08T13:00:00Z'), now, NY)).toBe('tomorrow at 9:00 AM');
    expect(describeOpening(at('2026-03-09T12:00:00Z'), now, NY)).toBe('Monday at 8:00 AM');
  });
});

describe('shop time: fall back', () => {
  it('a call on Friday evening before the change gets Monday 08:00 EST as the next opening', () => {
    expect(nextOpening(at('2026-10-30T22:00:00Z'), NY, WEEKDAYS_8_TO_5)).toEqual(at('2026-11-02T13:00:00Z'));
    expect(openingState(at('2026-10-30T22:00:00Z'), NY, WEEKDAYS_8_TO_5)).toEqual({ open: false, nextOpening: at('2026-11-02T13:00:00Z') });
  });

  it('hours that start in the repeated hour open at its first occurrence (01:30 EDT)', () => {
    expect(nextOpening(at('2026-10-31T22:00:00Z'), NY, closedBut('sun', '01:30', '05:00'))).toEqual(at('2026-11-01T05:30:00Z'));
  });

  it('both occurrences of a repeated time are within hours that cover it', () => {
    const hours = closedBut('sun', '01:00', '02:00');
    expect(isWithinBusinessHours(at('2026-11-01T05:30:00Z'), NY, hours)).toBe(true);
    expect(isWithinBusinessHours(at('2026-11-01T06:30:00Z'), NY, hours)).toBe(true);
    expect(isWithinBusinessHours(at('2026-11-01T07:30:00Z'), NY, hours)).toBe(false);
  });

  it('quiet hours 21:00-08:00 that span the change end at 08:00 EST', () => {
    expect(quietHoursEndAfter(at('2026-11-01T02:00:00Z'), NY, { enabled: true, start: '21:00', end: '08:00' })).toEqual(at('2026-11-01T13:00:00Z'));
  });

  it('a text says "tomorrow" for the next local day even though that day is 25 hours long', () => {
    // Saturday 23:30 EDT; Sunday 23:00 EST is 24.5 hours later and still "tomorrow".
    expect(describeOpening(at('2026-11-02T04:00:00Z'), at('2026-11-01T03:30:00Z'), NY)).toBe('tomorrow at 11:00 PM');
  });
});

describe('shop time: ordinary days', () => {
  it('an open shop is open now; a shop with no hours never opens; a shop open at the next minute opens then', () => {
    expect(openingState(at('2026-03-10T15:00:00Z'), NY, WEEKDAYS_8_TO_5)).toEqual({ open: true });
    expect(nextOpening(at('2026-03-10T15:00:00Z'), NY, closedBut('mon', '08:00', '08:00'))).toBeNull();
    expect(nextOpening(at('2026-03-10T11:59:30Z'), NY, WEEKDAYS_8_TO_5)).toEqual(at('2026-03-10T12:00:00Z'));
  });

  it('opens at odd minutes (08:07) and looks a whole week ahead', () => {
    expect(nextOpening(at('2026-03-11T17:05:00Z'), 'America/Chicago', closedBut('wed', '08:07', '12:00'))).toEqual(at('2026-03-18T13:07:00Z'));
  });

  it('an unknown time zone is an error, as Intl makes it', () => {
    expect(() => shopClock(at('2026-03-10T15:00:00Z'), 'Mars/Olympus_Mons')).toThrow(RangeError);
  });
});
