// The due-time rules on their own (no database): openings to the minute, the
// first callback after a missed call, and retry times.
import { DEFAULT_BUSINESS_HOURS } from '../../src/settings/defaults';
import type { BusinessHours } from '../../src/common/shop-time';
import { nextOpening, openingState } from '../../src/common/shop-time';
import { missedCallDueAt, nextAttemptTimes } from '../../src/callbacks/callback-timing';

const NY = 'America/New_York';
const CLOSED: BusinessHours = { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };

describe('callback timing', () => {
  it('finds an opening that is not on a five-minute mark to the minute', () => {
    const hours: BusinessHours = { ...CLOSED, thu: [{ start: '08:07', end: '12:00' }] };
    expect(nextOpening(new Date('2026-01-15T09:00:00.000Z'), NY, hours)?.toISOString()).toBe('2026-01-15T13:07:00.000Z');
    expect(nextOpening(new Date('2026-01-15T13:06:30.000Z'), NY, hours)?.toISOString()).toBe('2026-01-15T13:07:00.000Z');
    expect(nextOpening(new Date('2026-01-15T09:00:00.000Z'), NY, CLOSED)).toBeNull();
  });

  it('a missed call is due SLA minutes after the call when open or when the shop has no hours, else after the opening', () => {
    const fourAm = new Date('2026-01-15T09:00:00.000Z');
    expect(missedCallDueAt(fourAm, openingState(fourAm, NY, DEFAULT_BUSINESS_HOURS), 15).toISOString()).toBe('2026-01-15T13:15:00.000Z');
    expect(missedCallDueAt(fourAm, openingState(fourAm, NY, CLOSED), 15).toISOString()).toBe('2026-01-15T09:15:00.000Z');
    const tenAm = new Date('2026-01-15T15:00:00.000Z');
    expect(missedCallDueAt(tenAm, openingState(tenAm, NY, DEFAULT_BUSINESS_HOURS), 15).toISOString()).toBe('2026-01-15T15:15:00.000Z');
  });

  it('retries follow the cadence by attempt, inside business hours, and stop when it runs out', () => {
    const cadence = { timezone: NY, businessHours: DEFAULT_BUSINESS_HOURS, callbackSlaMinutes: 15, callbackRetryMinutes: [60, 240] };
    const tenAm = new Date('2026-01-15T15:00:00.000Z');
    expect(nextAttemptTimes(tenAm, 1, cadence)).toEqual({ scheduledFor: new Date('2026-01-15T16:00:00.000Z'), dueAt: new Date('2026-01-15T16:15:00.000Z') });
    // 10:00 + 240 minutes is 14:00, still open.
    expect(nextAttemptTimes(tenAm, 2, cadence)?.scheduledFor.toISOString()).toBe('2026-01-15T19:00:00.000Z');
    expect(nextAttemptTimes(tenAm, 3, cadence)).toBeNull();
    // Friday 16:30 + 60 is 17:30: Saturday opens at 09:00.
    expect(nextAttemptTimes(new Date('2026-01-16T21:30:00.000Z'), 1, cadence)?.scheduledFor.toISOString()).toBe('2026-01-17T14:00:00.000Z');
    expect(nextAttemptTimes(tenAm, 1, { ...cadence, callbackRetryMinutes: [] })).toBeNull();
  });
});
