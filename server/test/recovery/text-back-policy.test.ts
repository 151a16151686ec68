// The text-back policy and shop time, without a database: business hours and
// quiet hours in the org's time zone (across DST), templates, skip reasons.
import { DEFAULT_AFTER_HOURS_TEMPLATE, DEFAULT_BUSINESS_HOURS, DEFAULT_BUSINESS_HOURS_TEMPLATE } from '../../src/settings/defaults';
import { decideTextBack, type TextBackFacts } from '../../src/recovery/text-back.policy';
import { describeOpening, isWithinBusinessHours, nextOpening, quietHoursEndAfter } from '../../src/common/shop-time';

const NY = 'America/New_York';
const quiet = { enabled: true, start: '21:00', end: '08:00' };

describe("quiet hours in the shop's time zone", () => {
  it.each([
    ['a winter night', '2026-01-16T04:30:00.000Z', '2026-01-16T13:00:00.000Z'],
    ['just after they start', '2026-01-16T02:00:00.000Z', '2026-01-16T13:00:00.000Z'],
    ['the night clocks spring forward (08:00 EDT)', '2026-03-08T06:30:00.000Z', '2026-03-08T12:00:00.000Z'],
    ['the night clocks fall back (08:00 EST)', '2026-11-01T04:30:00.000Z', '2026-11-01T13:00:00.000Z'],
  ])('%s: the text waits until 08:00 local', (_name, at, end) => {
    expect(quietHoursEndAfter(new Date(at), NY, quiet)?.toISOString()).toBe(end);
  });

  it('does nothing outside the window, when disabled, or for an empty window', () => {
    const tenAm = new Date('2026-01-15T15:00:00.000Z');
    expect(quietHoursEndAfter(tenAm, NY, quiet)).toBeNull();
    expect(quietHoursEndAfter(new Date('2026-01-16T04:30:00.000Z'), NY, { ...quiet, enabled: false })).toBeNull();
    expect(quietHoursEndAfter(tenAm, NY, { enabled: true, start: '09:00', end: '09:00' })).toBeNull();
  });

  it('handles a window that does not cross midnight', () => {
    const lunch = { enabled: true, start: '12:00', end: '13:30' };
    expect(quietHoursEndAfter(new Date('2026-01-15T17:10:00.000Z'), NY, lunch)?.toISOString()).toBe('2026-01-15T18:30:00.000Z');
    expect(quietHoursEndAfter(new Date('2026-01-15T18:40:00.000Z'), NY, lunch)).toBeNull();
  });

  it("reads the clock in the org's zone, not the server's", () => {
    // 03:30 UTC is 21:30 in Chicago (quiet) but 19:30 in Los Angeles (not quiet).
    const at = new Date('2026-01-16T03:30:00.000Z');
    expect(quietHoursEndAfter(at, 'America/Chicago', quiet)?.toISOString()).toBe('2026-01-16T14:00:00.000Z');
    expect(quietHoursEndAfter(at, 'America/Los_Angeles', quiet)).toBeNull();
  });
});

describe('business hours', () => {
  it("are open Monday–Friday 08–17 and Saturday 09–13 by default, in the shop's zone", () => {
    expect(isWithinBusinessHours(new Date('2026-01-15T15:00:00.000Z'), NY, DEFAULT_BUSINESS_HOURS)).toBe(true); // Thu 10:00
    expect(isWithinBusinessHours(new Date('2026-01-15T22:00:00.000Z'), NY, DEFAULT_BUSINESS_HOURS)).toBe(false); // Thu 17:00
    expect(isWithinBusinessHours(new Date('2026-01-18T15:00:00.000Z'), NY, DEFAULT_BUSINESS_HOURS)).toBe(false); // Sun
  });

  it('name the next opening the way a text would', () => {
    const friday = new Date('2026-01-16T23:00:00.000Z'); // Fri 18:00
    const opening = nextOpening(friday, NY, DEFAULT_BUSINESS_HOURS)!;
    expect(opening.toISOString()).toBe('2026-01-17T14:00:00.000Z');
    expect(describeOpening(opening, friday, NY)).toBe('tomorrow at 9:00 AM');
    const saturdayNoon = new Date('2026-01-17T18:30:00.000Z'); // Sat 13:30
    expect(describeOpening(nextOpening(saturdayNoon, NY, DEFAULT_BUSINESS_HOURS)!, saturdayNoon, NY)).toBe('Monday at 8:00 AM');
    const early = new Date('2026-01-15T10:00:00.000Z'); // Thu 05:00
    expect(describeOpening(nextOpening(early, NY, DEFAULT_BUSINESS_HOURS)!, early, NY)).toBe('today at 8:00 AM');
    expect(nextOpening(early, NY, { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] })).toBeNull();
  });
});

describe('decideTextBack', () => {
  const facts = (overrides: Partial<TextBackFacts> = {}, settings: Partial<TextBackFacts['settings']> = {}): TextBackFacts => ({
    settings: {
      businessName: 'Summit Heating & Air',
      timezone: NY,
      textBackEnabled: true,
      businessHoursTemplate: DEFAULT_BUSINESS_HOURS_TEMPLATE,
      afterHoursTemplate: DEFAULT_AFTER_HOURS_TEMPLATE,
      businessHours: DEFAULT_BUSINESS_HOURS,
      quietHoursEnabled: true,
      quietHoursStart: '21:00',
      quietHoursEnd: '08:00',
      callbackSlaMinutes: 15,
      ...settings,
    },
    callerPhone: '+13125550123',
    callerName: null,
    callerOptedOut: false,
    ownNumbers: new Set(['+15005550006', '+15005550001']),
    now: new Date('2026-01-15T15:00:00.000Z'),
    ...overrides,
  });

  it('in business hours: the business-hours template, sent now', () => {
    expect(decideTextBack(facts({ callerName: 'Dana Whitfield' }))).toMatchObject({
      send: true,
      window: { allowed: true, state: 'IL', zones: ['America/Chicago'], rule: { id: 'us-federal-tcpa' } },
      template: 'business_hours',
      deferredUntil: null,
      body: "Hi Dana, sorry we missed your call at Summit Heating & Air! We're with a customer and will call you back within 15 minutes. Reply here with what you need. Reply STOP to opt out.",
    });
  });

  it('after hours but before quiet hours: the after-hours template, sent now', () => {
    const decision = decideTextBack(facts({ now: new Date('2026-01-15T23:30:00.000Z') })); // Thu 18:30
    expect(decision).toMatchObject({ send: true, template: 'after_hours', deferredUntil: null });
    expect(decision.send && decision.body).toContain('will call you back tomorrow at 8:00 AM');
  });

  it.each([
    ['opted_out', { callerOptedOut: true }, {}],
    ['own_number', { callerPhone: '+15005550001' }, {}],
    ['disabled', {}, { textBackEnabled: false }],
    ['billing_paused', { billingPaused: true }, {}],
  ] as const)('skips with reason %s', (reason, overrides, settings) => {
    expect(decideTextBack(facts(overrides, settings))).toEqual({ send: false, reason });
  });

  it('records consent as the reason when several apply', () => {
    expect(decideTextBack(facts({ callerOptedOut: true, billingPaused: true }, { textBackEnabled: false }))).toEqual({ send: false, reason: 'opted_out' });
  });
});
