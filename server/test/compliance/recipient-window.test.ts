// The recipient's calling window (decision 0018): the federal 8 am–9 pm window and the
// stricter state rules (FL, OK, MD, MS, CT, TX) read on the recipient's clock, split-zone
// area codes held to every zone they may be in, DST changes (2026: spring forward
// Sunday March 8, fall back Sunday November 1, in the US and Canada), Sunday in Texas,
// and unknown numbers on the federal window in the shop's zone. Instants are written in
// UTC with the recipient's wall clock in the comment. 2026-01-14 is a Wednesday.
import { DateTime, IANAZone } from 'luxon';
import { knownAreaCodes, locatePhone, lookupAreaCode } from '../../src/compliance/area-codes';
import { combineWithShopQuietHours, recipientWindow } from '../../src/compliance/recipient-window';

const PACIFIC_SHOP = { shopTimeZone: 'America/Los_Angeles' };

interface Case {
  name: string;
  phone: string;
  at: string;
  allowed: boolean;
  next: string | null;
  state: string;
  rule: string;
}

const cases: Case[] = [
  // Florida 8 am–8 pm
  { name: 'Florida 7:59 pm EST', phone: '+13055550123', at: '2026-01-15T00:59:00Z', allowed: true, next: null, state: 'FL', rule: 'us-fl-501-616' },
  {
    name: 'Florida 8:00 pm EST',
    phone: '+13055550123',
    at: '2026-01-15T01:00:00Z',
    allowed: false,
    next: '2026-01-15T13:00:00Z',
    state: 'FL',
    rule: 'us-fl-501-616',
  },
  {
    name: 'Florida overlay 645, 8:00 am EST',
    phone: '+16455550123',
    at: '2026-01-14T13:00:00Z',
    allowed: true,
    next: null,
    state: 'FL',
    rule: 'us-fl-501-616',
  },
  // Oklahoma, Maryland, Mississippi 8 am–8 pm
  {
    name: 'Oklahoma 8:30 pm CST',
    phone: '+14055550123',
    at: '2026-01-15T02:30:00Z',
    allowed: false,
    next: '2026-01-15T14:00:00Z',
    state: 'OK',
    rule: 'us-ok-775c',
  },
  { name: 'Oklahoma 7:30 pm CST', phone: '+19185550123', at: '2026-01-15T01:30:00Z', allowed: true, next: null, state: 'OK', rule: 'us-ok-775c' },
  {
    name: 'Maryland 7:59 am EST',
    phone: '+14105550123',
    at: '2026-01-14T12:59:00Z',
    allowed: false,
    next: '2026-01-14T13:00:00Z',
    state: 'MD',
    rule: 'us-md-14-4501',
  },
  {
    name: 'Maryland 8:15 pm EST',
    phone: '+13015550123',
    at: '2026-01-15T01:15:00Z',
    allowed: false,
    next: '2026-01-15T13:00:00Z',
    state: 'MD',
    rule: 'us-md-14-4501',
  },
  {
    name: 'Mississippi 8:00 pm CST',
    phone: '+16015550123',
    at: '2026-01-15T02:00:00Z',
    allowed: false,
    next: '2026-01-15T14:00:00Z',
    state: 'MS',
    rule: 'us-ms-77-3-725',
  },
  { name: 'Mississippi noon CST', phone: '+16625550123', at: '2026-01-14T18:00:00Z', allowed: true, next: null, state: 'MS', rule: 'us-ms-77-3-725' },
  // Connecticut 9 am–8 pm
  {
    name: 'Connecticut 8:30 am EST',
    phone: '+12035550123',
    at: '2026-01-14T13:30:00Z',
    allowed: false,
    next: '2026-01-14T14:00:00Z',
    state: 'CT',
    rule: 'us-ct-42-288a',
  },
  { name: 'Connecticut 7:30 pm EST', phone: '+18605550123', at: '2026-01-15T00:30:00Z', allowed: true, next: null, state: 'CT', rule: 'us-ct-42-288a' },
  {
    name: 'Connecticut 8:00 pm EST',
    phone: '+14755550123',
    at: '2026-01-15T01:00:00Z',
    allowed: false,
    next: '2026-01-15T14:00:00Z',
    state: 'CT',
    rule: 'us-ct-42-288a',
  },
  // Texas 9 am–9 pm Monday–Saturday, noon–9 pm Sunday
  { name: 'Texas Saturday 10:00 am CST', phone: '+12145550123', at: '2026-01-17T16:00:00Z', allowed: true, next: null, state: 'TX', rule: 'us-tx-301-051' },
  {
    name: 'Texas Sunday 10:00 am CST',
    phone: '+12145550123',
    at: '2026-01-18T16:00:00Z',
    allowed: false,
    next: '2026-01-18T18:00:00Z',
    state: 'TX',
    rule: 'us-tx-301-051',
  },
  {
    name: 'Texas Saturday 9:00 pm CST waits for Sunday noon',
    phone: '+17135550123',
    at: '2026-01-18T03:00:00Z',
    allowed: false,
    next: '2026-01-18T18:00:00Z',
    state: 'TX',
    rule: 'us-tx-301-051',
  },
  { name: 'Texas Sunday 8:59 pm CST', phone: '+17135550123', at: '2026-01-19T02:59:00Z', allowed: true, next: null, state: 'TX', rule: 'us-tx-301-051' },
  {
    name: 'Texas Wednesday 8:45 am CST',
    phone: '+15125550123',
    at: '2026-01-14T14:45:00Z',
    allowed: false,
    next: '2026-01-14T15:00:00Z',
    state: 'TX',
    rule: 'us-tx-301-051',
  },
  {
    name: 'Texas El Paso (915, Mountain) 8:30 am MST',
    phone: '+19155550123',
    at: '2026-01-14T15:30:00Z',
    allowed: false,
    next: '2026-01-14T16:00:00Z',
    state: 'TX',
    rule: 'us-tx-301-051',
  },
  // Plain states: the federal 8 am–9 pm
  { name: 'New York 8:30 pm EST', phone: '+12125550123', at: '2026-01-15T01:30:00Z', allowed: true, next: null, state: 'NY', rule: 'us-federal-tcpa' },
  {
    name: 'New York 9:00 pm EST',
    phone: '+12125550123',
    at: '2026-01-15T02:00:00Z',
    allowed: false,
    next: '2026-01-15T13:00:00Z',
    state: 'NY',
    rule: 'us-federal-tcpa',
  },
  {
    name: 'California 7:30 am PST',
    phone: '+14155550123',
    at: '2026-01-14T15:30:00Z',
    allowed: false,
    next: '2026-01-14T16:00:00Z',
    state: 'CA',
    rule: 'us-federal-tcpa',
  },
  { name: 'Illinois 8:30 pm CST', phone: '+13125550123', at: '2026-01-15T02:30:00Z', allowed: true, next: null, state: 'IL', rule: 'us-federal-tcpa' },
  { name: 'Colorado 8:30 pm MST', phone: '+13035550123', at: '2026-01-15T03:30:00Z', allowed: true, next: null, state: 'CO', rule: 'us-federal-tcpa' },
  {
    name: 'Arizona (no DST) 7:30 am MST in July',
    phone: '+16025550123',
    at: '2026-07-15T14:30:00Z',
    allowed: false,
    next: '2026-07-15T15:00:00Z',
    state: 'AZ',
    rule: 'us-federal-tcpa',
  },
  {
    name: 'Hawaii 7:00 am HST',
    phone: '+18085550123',
    at: '2026-01-14T17:00:00Z',
    allowed: false,
    next: '2026-01-14T18:00:00Z',
    state: 'HI',
    rule: 'us-federal-tcpa',
  },
  {
    name: 'Puerto Rico 9:00 pm AST',
    phone: '+17875550123',
    at: '2026-01-15T01:00:00Z',
    allowed: false,
    next: '2026-01-15T12:00:00Z',
    state: 'PR',
    rule: 'us-federal-tcpa',
  },
  { name: 'District of Columbia noon EST', phone: '+12025550123', at: '2026-01-14T17:00:00Z', allowed: true, next: null, state: 'DC', rule: 'us-federal-tcpa' },
  // Canada: CRTC 9 am–9:30 pm weekdays, 10 am–6 pm weekends
  {
    name: 'Ontario Wednesday 9:15 pm EST',
    phone: '+14165550123',
    at: '2026-01-15T02:15:00Z',
    allowed: true,
    next: null,
    state: 'ON',
    rule: 'ca-crtc-telemarketing',
  },
  {
    name: 'Ontario Saturday 9:30 am EST',
    phone: '+14165550123',
    at: '2026-01-17T14:30:00Z',
    allowed: false,
    next: '2026-01-17T15:00:00Z',
    state: 'ON',
    rule: 'ca-crtc-telemarketing',
  },
  // Across the 2026 DST changes (US and Canada: March 8 and November 1)
  {
    name: 'Florida Saturday 9 pm EST waits for Sunday 8 am EDT (spring forward)',
    phone: '+13055550123',
    at: '2026-03-08T02:00:00Z',
    allowed: false,
    next: '2026-03-08T12:00:00Z',
    state: 'FL',
    rule: 'us-fl-501-616',
  },
  {
    name: 'Texas on spring-forward Sunday, 11:30 am CDT',
    phone: '+12145550123',
    at: '2026-03-08T16:30:00Z',
    allowed: false,
    next: '2026-03-08T17:00:00Z',
    state: 'TX',
    rule: 'us-tx-301-051',
  },
  {
    name: 'Connecticut the Monday after spring forward, 8:59 am EDT',
    phone: '+12035550123',
    at: '2026-03-09T12:59:00Z',
    allowed: false,
    next: '2026-03-09T13:00:00Z',
    state: 'CT',
    rule: 'us-ct-42-288a',
  },
  {
    name: 'Florida Saturday 8:30 pm EDT waits for Sunday 8 am EST (fall back)',
    phone: '+13055550123',
    at: '2026-11-01T00:30:00Z',
    allowed: false,
    next: '2026-11-01T13:00:00Z',
    state: 'FL',
    rule: 'us-fl-501-616',
  },
  {
    name: 'Texas on fall-back Sunday, 11:59 am CST',
    phone: '+12145550123',
    at: '2026-11-01T17:59:00Z',
    allowed: false,
    next: '2026-11-01T18:00:00Z',
    state: 'TX',
    rule: 'us-tx-301-051',
  },
  {
    name: 'New York, first 1:30 am EDT of fall-back night',
    phone: '+12125550123',
    at: '2026-11-01T05:30:00Z',
    allowed: false,
    next: '2026-11-01T13:00:00Z',
    state: 'NY',
    rule: 'us-federal-tcpa',
  },
  {
    name: 'New York, second 1:30 am EST of fall-back night',
    phone: '+12125550123',
    at: '2026-11-01T06:30:00Z',
    allowed: false,
    next: '2026-11-01T13:00:00Z',
    state: 'NY',
    rule: 'us-federal-tcpa',
  },
  {
    name: 'Ontario on fall-back Sunday 9:30 am EST',
    phone: '+16475550123',
    at: '2026-11-01T14:30:00Z',
    allowed: false,
    next: '2026-11-01T15:00:00Z',
    state: 'ON',
    rule: 'ca-crtc-telemarketing',
  },
];

describe('recipientWindow: the window of the state the number rings in, on its clock', () => {
  it.each(cases)('$name', ({ phone, at, allowed, next, state, rule }) => {
    const window = recipientWindow(phone, new Date(at), PACIFIC_SHOP);
    expect({
      allowed: window.allowed,
      next: window.nextAllowedAt?.toISOString() ?? null,
      state: window.state,
      rule: window.rule.id,
      basis: window.basis,
    }).toEqual({
      allowed,
      next: next === null ? null : new Date(next).toISOString(),
      state,
      rule,
      basis: 'area-code',
    });
  });

  it('a 9:30 pm Eastern call to a Florida number from a Pacific-time shop is deferred to 8:00 am Eastern', () => {
    // Tuesday 2026-03-10, 9:30 pm EDT = 6:30 pm at the shop in Los Angeles, inside the shop's own day.
    const window = recipientWindow('+13055550123', new Date('2026-03-11T01:30:00Z'), PACIFIC_SHOP);
    expect(window).toMatchObject({ allowed: false, state: 'FL', country: 'US', zones: ['America/New_York'], localTime: '2026-03-10T21:30:00.000-04:00' });
    expect(window.rule).toEqual({
      id: 'us-fl-501-616',
      description: expect.stringContaining('8:00 p.m.') as unknown,
      summary: '8 am–8 pm',
      source: expect.stringContaining('501.616') as unknown,
    });
    expect(DateTime.fromJSDate(window.nextAllowedAt!, { zone: 'America/New_York' }).toISO()).toBe('2026-03-11T08:00:00.000-04:00');
    expect(window.rules.map((rule) => rule.id)).toEqual(['us-federal-tcpa', 'us-fl-501-616']);
  });
});

describe('split-zone area codes take the stricter reading: the window must hold in every zone', () => {
  it.each([
    // Florida panhandle 850: 8 am Central (14:00Z) to 8 pm Eastern (01:00Z).
    { name: 'FL 850 at 8:30 am EST = 7:30 am CST', phone: '+18505550123', at: '2026-01-14T13:30:00Z', allowed: false, next: '2026-01-14T14:00:00Z' },
    { name: 'FL 850 at 7:30 pm CST = 8:30 pm EST', phone: '+18505550123', at: '2026-01-15T01:30:00Z', allowed: false, next: '2026-01-15T14:00:00Z' },
    { name: 'FL 850 at 6:30 pm CST = 7:30 pm EST', phone: '+18505550123', at: '2026-01-15T00:30:00Z', allowed: true, next: null },
    { name: 'IN 812 at 8:30 am EST = 7:30 am CST', phone: '+18125550123', at: '2026-01-14T13:30:00Z', allowed: false, next: '2026-01-14T14:00:00Z' },
    { name: 'TX 432 Sunday 12:30 pm CST = 11:30 am MST', phone: '+14325550123', at: '2026-01-18T18:30:00Z', allowed: false, next: '2026-01-18T19:00:00Z' },
    { name: 'TN 423 at 8:30 pm EST = 7:30 pm CST', phone: '+14235550123', at: '2026-01-15T01:30:00Z', allowed: true, next: null },
    { name: 'TN 423 at 9:00 pm EST = 8:00 pm CST', phone: '+14235550123', at: '2026-01-15T02:00:00Z', allowed: false, next: '2026-01-15T14:00:00Z' },
    { name: 'OR 541 at 8:30 pm PST = 9:30 pm MST', phone: '+15415550123', at: '2026-01-15T04:30:00Z', allowed: false, next: '2026-01-15T16:00:00Z' },
    { name: 'ND 701 at 7:30 am MDT on spring-forward Sunday', phone: '+17015550123', at: '2026-03-08T13:30:00Z', allowed: false, next: '2026-03-08T14:00:00Z' },
  ])('$name', ({ phone, at, allowed, next }) => {
    const window = recipientWindow(phone, new Date(at), PACIFIC_SHOP);
    expect(window.zones.length).toBeGreaterThan(1);
    expect({ allowed: window.allowed, next: window.nextAllowedAt?.toISOString() ?? null }).toEqual({
      allowed,
      next: next === null ? null : new Date(next).toISOString(),
    });
  });

  it('the same instant is allowed for a single-zone Florida number and refused for the panhandle', () => {
    const at = new Date('2026-01-14T13:30:00Z');
    expect(recipientWindow('+13055550123', at, PACIFIC_SHOP).allowed).toBe(true);
    expect(recipientWindow('+18505550123', at, PACIFIC_SHOP)).toMatchObject({ allowed: false, state: 'FL', zones: ['America/New_York', 'America/Chicago'] });
  });
});

describe('unknown and non-NANP numbers fall back to the federal window in the shop’s zone', () => {
  it.each([
    { name: 'toll-free 800', phone: '+18005550123' },
    { name: 'a Caribbean NANP number (Jamaica 876)', phone: '+18765550123' },
    { name: 'an unassigned area code (999)', phone: '+19995550123' },
    { name: 'a UK number', phone: '+442071234567' },
    { name: 'not a phone number at all', phone: 'garbage' },
  ])('$name', ({ phone }) => {
    // 9:30 pm at a Pacific shop: fine in New York's morning terms, but the shop's clock is all we know.
    const late = recipientWindow(phone, new Date('2026-01-15T05:30:00Z'), PACIFIC_SHOP);
    expect(late).toMatchObject({
      basis: 'shop-time-zone',
      state: null,
      country: null,
      zones: ['America/Los_Angeles'],
      allowed: false,
      rule: { id: 'us-federal-tcpa' },
    });
    expect(late.nextAllowedAt?.toISOString()).toBe('2026-01-15T16:00:00.000Z');
    const evening = recipientWindow(phone, new Date('2026-01-15T04:30:00Z'), PACIFIC_SHOP);
    expect(evening).toMatchObject({ allowed: true, nextAllowedAt: null });
  });

  it('a Chicago shop’s zone is the one used', () => {
    const window = recipientWindow('+18005550123', new Date('2026-01-15T02:30:00Z'), { shopTimeZone: 'America/Chicago' });
    expect(window).toMatchObject({ allowed: true, zones: ['America/Chicago'], localTime: '2026-01-14T20:30:00.000-06:00' });
  });

  it('an invalid shop zone or date is a clear error', () => {
    expect(() => recipientWindow('+13055550123', new Date('2026-01-14T15:00:00Z'), { shopTimeZone: 'Mars/Olympus' })).toThrow(
      'Invalid time zone specified: Mars/Olympus',
    );
    expect(() => recipientWindow('+13055550123', new Date('nope'), PACIFIC_SHOP)).toThrow('not a valid date');
  });
});

describe('the shop’s quiet hours can only make the window stricter', () => {
  const floridaMorning = new Date('2026-01-14T15:00:00Z'); // 10:00 am EST, 7:00 am at the Pacific shop

  it('quiet hours at the shop defer a text the recipient’s state would allow', () => {
    const window = recipientWindow('+13055550123', floridaMorning, { ...PACIFIC_SHOP, shopQuietHours: { enabled: true, start: '19:00', end: '09:00' } });
    expect(window).toMatchObject({ allowed: false, shopQuietHours: { start: '19:00', end: '09:00', timeZone: 'America/Los_Angeles' } });
    expect(window.nextAllowedAt?.toISOString()).toBe('2026-01-14T17:00:00.000Z'); // 9:00 am PST = noon EST
  });

  it('quiet hours that end before the recipient’s window opens do not open it early', () => {
    // 9:30 pm EST in Florida = 6:30 pm at the shop; the shop is quiet 18:00–19:00 only.
    const at = new Date('2026-01-15T02:30:00Z');
    const base = recipientWindow('+13055550123', at, PACIFIC_SHOP);
    const combined = combineWithShopQuietHours(base, at, 'America/Los_Angeles', { enabled: true, start: '18:00', end: '19:00' });
    expect(combined.allowed).toBe(false);
    expect(combined.nextAllowedAt?.toISOString()).toBe('2026-01-15T13:00:00.000Z'); // 8:00 am EST
  });

  it('when the recipient’s window opens inside the shop’s quiet hours, the text waits for both', () => {
    // Florida opens at 8:00 am EST = 5:00 am PST; the shop is quiet until 6:00 am.
    const at = new Date('2026-01-15T02:30:00Z');
    const window = recipientWindow('+13055550123', at, { ...PACIFIC_SHOP, shopQuietHours: { enabled: true, start: '21:00', end: '06:00' } });
    expect(window.nextAllowedAt?.toISOString()).toBe('2026-01-15T14:00:00.000Z');
  });

  it('disabled quiet hours change nothing', () => {
    const window = recipientWindow('+13055550123', floridaMorning, { ...PACIFIC_SHOP, shopQuietHours: { enabled: false, start: '00:00', end: '23:59' } });
    expect(window).toMatchObject({ allowed: true, nextAllowedAt: null });
  });

  it('a malformed quiet-hours time is a clear error', () => {
    expect(() => recipientWindow('+13055550123', floridaMorning, { ...PACIFIC_SHOP, shopQuietHours: { enabled: true, start: '7pm', end: '08:00' } })).toThrow(
      'Invalid clock time (expected HH:MM): 7pm',
    );
  });
});

describe('the area-code table', () => {
  it('every area code is a geographic NXX with valid IANA zones', () => {
    const codes = knownAreaCodes();
    expect(codes.length).toBeGreaterThan(400);
    for (const code of codes) {
      expect(code).toMatch(/^[2-9]\d{2}$/);
      const location = lookupAreaCode(code)!;
      expect(location.zones.length).toBeGreaterThan(0);
      for (const zone of location.zones) expect({ code, zone, valid: IANAZone.isValidZone(zone) }).toEqual({ code, zone, valid: true });
    }
  });

  it('leaves out toll-free and non-geographic codes', () => {
    for (const code of ['800', '833', '844', '855', '866', '877', '888', '500', '600', '622', '900']) expect(lookupAreaCode(code)).toBeNull();
  });

  it.each([
    ['+12025550123', 'US', ['DC']],
    ['+13405550123', 'US', ['VI']],
    ['+16715550123', 'US', ['GU']],
    ['+16845550123', 'US', ['AS']],
    ['+16705550123', 'US', ['MP']],
    ['+19395550123', 'US', ['PR']],
    ['+19025550123', 'CA', ['NS', 'PE']],
    ['+15145550123', 'CA', ['QC']],
    ['+18675550123', 'CA', ['YT', 'NT', 'NU']],
  ])('%s rings in %s %j', (phone, country, regions) => {
    expect(locatePhone(phone)).toMatchObject({ country, regions });
  });
});
