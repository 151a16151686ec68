// When an automated text may reach a recipient: the calling window of the place their
// number rings (federal 47 CFR 64.1200(c)(1), state mini-TCPA laws, Canada's CRTC
// rules) read on the recipient's clock, never the shop's. Pure: no I/O, time passed in.
// The rules, their sources and the choices made: docs/decisions/0018.
import { DateTime, type IANAZone } from 'luxon';
import { localIso, timeZone as zoneOf, wallClock, type WallClock } from '../common/time-zones';
import { locatePhone, nanpAreaCode, type Region } from './area-codes';

/** Minutes since local midnight: [start, end), end exclusive. */
export interface DailyWindow {
  start: number;
  end: number;
}

/** Luxon's weekday numbers: 1 = Monday … 7 = Sunday. */
export type WeeklyWindows = Readonly<Record<1 | 2 | 3 | 4 | 5 | 6 | 7, DailyWindow>>;

export interface CallingRule {
  id: string;
  description: string;
  /** The window in a few words, for people: "8 am–8 pm". */
  summary: string;
  source: string;
  hours: WeeklyWindows;
}

export interface RecipientWindow {
  /** 'area-code' when the number's area code placed it; 'shop-time-zone' for unknown and non-NANP numbers. */
  basis: 'area-code' | 'shop-time-zone';
  areaCode: string | null;
  country: 'US' | 'CA' | null;
  /** The state, territory or province ("FL", "PR", "ON"; "YT/NT/NU" for 867), null when unknown. */
  state: string | null;
  /** Every zone the recipient may be in; the window must hold in all of them. */
  zones: string[];
  /** `at` on the recipient's clock (the first zone), ISO 8601 with offset. */
  localTime: string;
  allowed: boolean;
  /** The earliest instant at or after `at` when sending is allowed; null when allowed now. */
  nextAllowedAt: Date | null;
  /** The most specific rule that applied (the state's when there is one). */
  rule: { id: string; description: string; summary: string; source: string };
  /** Every rule that applied; the window is their intersection. */
  rules: CallingRule[];
  /** Set when the shop's own quiet hours were applied on top (they can only make the window narrower). */
  shopQuietHours?: ShopQuietHours & { timeZone: string };
}

export interface ShopQuietHours {
  enabled: boolean;
  /** "21:00": the shop's quiet hours, in the shop's zone, may wrap midnight. */
  start: string;
  end: string;
}

export interface RecipientWindowOptions {
  /** The shop's IANA zone: the recipient's zone is unknown for non-NANP numbers and unknown area codes. */
  shopTimeZone: string;
  /** The shop's quiet hours, applied on top of the recipient's window. */
  shopQuietHours?: ShopQuietHours;
}

const hour = (h: number, m = 0): number => h * 60 + m;
const everyDay = (window: DailyWindow): WeeklyWindows => ({ 1: window, 2: window, 3: window, 4: window, 5: window, 6: window, 7: window });

export const FEDERAL_RULE: CallingRule = {
  id: 'us-federal-tcpa',
  description: '8:00 a.m. to 9:00 p.m. at the called party’s location',
  summary: '8 am–9 pm',
  source: '47 CFR 64.1200(c)(1) (Telephone Consumer Protection Act rules)',
  hours: everyDay({ start: hour(8), end: hour(21) }),
};

export const CANADA_RULE: CallingRule = {
  id: 'ca-crtc-telemarketing',
  description: '9:00 a.m. to 9:30 p.m. on weekdays, 10:00 a.m. to 6:00 p.m. on Saturday and Sunday, at the called party’s location',
  summary: '9 am–9:30 pm on weekdays, 10 am–6 pm on weekends',
  source: 'CRTC Unsolicited Telecommunications Rules, Part III (Telemarketing Rules), calling hours',
  hours: {
    1: { start: hour(9), end: hour(21, 30) },
    2: { start: hour(9), end: hour(21, 30) },
    3: { start: hour(9), end: hour(21, 30) },
    4: { start: hour(9), end: hour(21, 30) },
    5: { start: hour(9), end: hour(21, 30) },
    6: { start: hour(10), end: hour(18) },
    7: { start: hour(10), end: hour(18) },
  },
};

const EIGHT_TO_EIGHT = everyDay({ start: hour(8), end: hour(20) });

/** State rules narrower than the federal window, by state. */
export const STATE_RULES: Readonly<Partial<Record<Region, CallingRule>>> = {
  FL: {
    id: 'us-fl-501-616',
    description: '8:00 a.m. to 8:00 p.m. local time at the called person’s location',
    summary: '8 am–8 pm',
    source: 'Florida Telemarketing Act, Fla. Stat. § 501.616(6)(a) (as amended 2021 by SB 1120)',
    hours: EIGHT_TO_EIGHT,
  },
  OK: {
    id: 'us-ok-775c',
    description: '8:00 a.m. to 8:00 p.m. local time at the called party’s location',
    summary: '8 am–8 pm',
    source: 'Oklahoma Telephone Solicitation Act of 2022, 15 O.S. § 775C.1 et seq.',
    hours: EIGHT_TO_EIGHT,
  },
  MD: {
    id: 'us-md-14-4501',
    description: '8:00 a.m. to 8:00 p.m. local time at the called party’s location',
    summary: '8 am–8 pm',
    source: 'Maryland Stop the Spam Calls Act of 2023, Md. Code, Com. Law § 14-4501 et seq.',
    hours: EIGHT_TO_EIGHT,
  },
  MS: {
    id: 'us-ms-77-3-725',
    description: '8:00 a.m. to 8:00 p.m. local time at the called party’s location',
    summary: '8 am–8 pm',
    source: 'Mississippi telephone solicitation law, Miss. Code Ann. § 77-3-725',
    hours: EIGHT_TO_EIGHT,
  },
  CT: {
    id: 'us-ct-42-288a',
    description: '9:00 a.m. to 8:00 p.m. local time at the consumer’s location',
    summary: '9 am–8 pm',
    source: 'Connecticut Public Act 23-98, Conn. Gen. Stat. § 42-288a',
    hours: everyDay({ start: hour(9), end: hour(20) }),
  },
  TX: {
    id: 'us-tx-301-051',
    description: '9:00 a.m. to 9:00 p.m. Monday to Saturday, noon to 9:00 p.m. on Sunday, at the called person’s location',
    summary: '9 am–9 pm Monday to Saturday, noon–9 pm on Sunday',
    source: 'Texas Business & Commerce Code § 301.051',
    hours: {
      1: { start: hour(9), end: hour(21) },
      2: { start: hour(9), end: hour(21) },
      3: { start: hour(9), end: hour(21) },
      4: { start: hour(9), end: hour(21) },
      5: { start: hour(9), end: hour(21) },
      6: { start: hour(9), end: hour(21) },
      7: { start: hour(12), end: hour(21) },
    },
  },
};

/** "08:30" -> 510; throws on anything else, so a malformed setting never silently means midnight. */
function clockMinutes(hhmm: string): number {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(hhmm);
  if (!match) throw new RangeError(`Invalid clock time (expected HH:MM): ${hhmm}`);
  return Number(match[1]) * 60 + Number(match[2]);
}

function minutesOfDay(time: Pick<WallClock, 'hour' | 'minute' | 'second' | 'millisecond'>): number {
  return time.hour * 60 + time.minute + time.second / 60 + time.millisecond / 60_000;
}

/** A constraint on the send time: whether an instant is allowed, and the instants at which it may start allowing. */
interface Constraint {
  allows(at: number): boolean;
  /** Instants after `at` (within the next week) where an allowed stretch may begin. */
  opensAfter(at: number): number[];
}

/** The local calendar days from the day before `at` to a week after, in `zone`. */
function daysAround(at: number, zone: IANAZone): DateTime[] {
  const today = DateTime.fromMillis(at, { zone }).startOf('day');
  return Array.from({ length: 10 }, (_, index) => today.plus({ days: index - 1 }));
}

/** At wall-clock `minutes` of `day` in its zone (a time in a DST gap moves forward, as Luxon does). */
function atMinutes(day: DateTime, minutes: number): number {
  return day.set({ hour: Math.floor(minutes / 60), minute: minutes % 60, second: 0, millisecond: 0 }).toMillis();
}

/** The intersection of the rules' windows, weekday by weekday. */
function intersect(rules: readonly CallingRule[]): WeeklyWindows {
  const day = (weekday: 1 | 2 | 3 | 4 | 5 | 6 | 7): DailyWindow => ({
    start: Math.max(...rules.map((rule) => rule.hours[weekday].start)),
    end: Math.min(...rules.map((rule) => rule.hours[weekday].end)),
  });
  return { 1: day(1), 2: day(2), 3: day(3), 4: day(4), 5: day(5), 6: day(6), 7: day(7) };
}

/** The window on a Luxon weekday number (1–7). */
function windowOn(window: WeeklyWindows, weekday: number): DailyWindow {
  return window[weekday as keyof WeeklyWindows];
}

function recipientConstraint(zones: readonly string[], rules: readonly CallingRule[]): Constraint {
  const window = intersect(rules);
  const resolved = zones.map(zoneOf);
  return {
    allows(at) {
      return resolved.every((zone) => {
        const local = wallClock(zone, at);
        const today = windowOn(window, local.weekday);
        const minutes = minutesOfDay(local);
        return minutes >= today.start && minutes < today.end;
      });
    },
    opensAfter(at) {
      return resolved.flatMap((zone) =>
        daysAround(at, zone)
          .map((day) => ({ day, open: windowOn(window, day.weekday) }))
          .filter(({ open }) => open.start < open.end)
          .map(({ day, open }) => atMinutes(day, open.start)),
      );
    },
  };
}

function quietHoursConstraint(quietHours: ShopQuietHours, timeZone: string): Constraint {
  const zone = zoneOf(timeZone);
  const start = clockMinutes(quietHours.start);
  const end = clockMinutes(quietHours.end);
  const inside = (minutes: number): boolean => (start === end ? false : start < end ? minutes >= start && minutes < end : minutes >= start || minutes < end);
  return {
    allows: (at) => !quietHours.enabled || !inside(minutesOfDay(wallClock(zone, at))),
    opensAfter: (at) => (quietHours.enabled ? daysAround(at, zone).map((day) => atMinutes(day, end)) : []),
  };
}

/** The earliest instant at or after `at` every constraint allows: `at` itself, or one of the instants where one opens. */
function earliestAllowed(at: number, constraints: readonly Constraint[]): number | null {
  if (constraints.every((constraint) => constraint.allows(at))) return at;
  const candidates = [...new Set(constraints.flatMap((constraint) => constraint.opensAfter(at)))].filter((instant) => instant > at).sort((a, b) => a - b);
  return candidates.find((instant) => constraints.every((constraint) => constraint.allows(instant))) ?? null;
}

function ruleSummary(rule: CallingRule): RecipientWindow['rule'] {
  return { id: rule.id, description: rule.description, summary: rule.summary, source: rule.source };
}

function decide(window: Omit<RecipientWindow, 'allowed' | 'nextAllowedAt'>, at: Date, constraints: readonly Constraint[]): RecipientWindow {
  const earliest = earliestAllowed(at.getTime(), constraints);
  const allowed = earliest === at.getTime();
  // No allowed instant within a week cannot happen with the rules above; reported as not allowed with no time.
  return { ...window, allowed, nextAllowedAt: allowed || earliest === null ? null : new Date(earliest) };
}

/**
 * Whether an automated text to `e164` may be sent at `at`, on the recipient's clock: the
 * federal window plus the recipient's state rule (or Canada's), in every zone the area
 * code may be in. Unknown area codes and non-NANP numbers get the federal window in the
 * shop's zone. The shop's quiet hours, when given, can only narrow the window.
 */
export function recipientWindow(e164: string, at: Date, options: RecipientWindowOptions): RecipientWindow {
  if (Number.isNaN(at.getTime())) throw new RangeError('recipientWindow: `at` is not a valid date');
  zoneOf(options.shopTimeZone);
  const location = locatePhone(e164);
  const rules: CallingRule[] = [];
  if (location?.country === 'US') {
    rules.push(FEDERAL_RULE);
    for (const region of location.regions) {
      const stateRule = STATE_RULES[region];
      if (stateRule) rules.push(stateRule);
    }
  } else if (location?.country === 'CA') {
    rules.push(CANADA_RULE);
  } else {
    rules.push(FEDERAL_RULE);
  }
  const zones = location ? [...location.zones] : [options.shopTimeZone];
  const governing = rules[rules.length - 1] ?? FEDERAL_RULE;
  const base = decide(
    {
      basis: location ? 'area-code' : 'shop-time-zone',
      areaCode: location?.areaCode ?? nanpAreaCode(e164),
      country: location?.country ?? null,
      state: location ? location.regions.join('/') : null,
      zones,
      localTime: localIso(zoneOf(zones[0] ?? options.shopTimeZone), at.getTime()),
      rule: ruleSummary(governing),
      rules,
    },
    at,
    [recipientConstraint(zones, rules)],
  );
  return options.shopQuietHours ? combineWithShopQuietHours(base, at, options.shopTimeZone, options.shopQuietHours) : base;
}

/**
 * The recipient's window narrowed by the shop's own quiet hours (read in the shop's zone):
 * allowed only when both allow, and the next allowed instant is one both allow. The shop
 * can make the window stricter, never wider.
 */
export function combineWithShopQuietHours(window: RecipientWindow, at: Date, shopTimeZone: string, quietHours: ShopQuietHours): RecipientWindow {
  const { allowed: _allowed, nextAllowedAt: _next, ...rest } = window;
  return decide({ ...rest, shopQuietHours: { ...quietHours, timeZone: shopTimeZone } }, at, [
    recipientConstraint(window.zones, window.rules),
    quietHoursConstraint(quietHours, shopTimeZone),
  ]);
}
