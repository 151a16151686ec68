import { clockInZone, formatAbsolute, formatLateness, formatPhone, formatRelative, inQuietHours } from '../src/lib/time';

const now = Date.parse('2026-03-10T15:00:00Z');

describe('times as staff read them', () => {
  it('says how long ago or how soon', () => {
    expect(formatRelative('2026-03-10T14:59:40Z', now)).toBe('just now');
    expect(formatRelative('2026-03-10T14:55:00Z', now)).toBe('5 min ago');
    expect(formatRelative('2026-03-10T18:00:00Z', now)).toBe('in 3 h');
    expect(formatRelative('2026-03-08T15:00:00Z', now)).toBe('2 days ago');
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

  it('knows quiet hours that wrap past midnight', () => {
    expect(inQuietHours('22:30', '21:00', '08:00')).toBe(true);
    expect(inQuietHours('07:59', '21:00', '08:00')).toBe(true);
    expect(inQuietHours('08:00', '21:00', '08:00')).toBe(false);
    expect(inQuietHours('13:00', '12:00', '14:00')).toBe(true);
    expect(inQuietHours('13:00', '09:00', '09:00')).toBe(false);
  });

  it('reads the clock in a time zone', () => {
    expect(clockInZone(new Date('2026-03-10T03:30:00Z'), 'America/Chicago')).toBe('22:30');
  });

  it('formats North American numbers', () => {
    expect(formatPhone('+15005550123')).toBe('(500) 555-0123');
    expect(formatPhone('+447700900123')).toBe('+447700900123');
  });
});
