import { eventDetail, eventLabel } from '../src/lib/lead';
import { groupScopes } from '../src/lib/scopes';
import { countSegments, renderTemplate, PREVIEW_VALUES } from '../src/lib/sms';
import { dayInFull, dayLabel, fillDays, minutesLabel, percent } from '../src/lib/stats';

describe('lead timeline words', () => {
  it('reads timeline events', () => {
    expect(eventLabel('CALL_MISSED')).toBe('Missed call');
    expect(eventDetail('STATUS_CHANGED', { from: 'NEW', to: 'BOOKED' }, { time: String })).toBe('New → Booked');
    expect(eventDetail('NOTE_ADDED', { body: 'Gate code 1234' }, { time: String })).toBe('Gate code 1234');
  });
});

describe('credential scopes', () => {
  it('groups the published scopes by resource', () => {
    const groups = groupScopes();
    expect(groups.map((g) => g.resource)).toEqual(['leads', 'callbacks', 'messages', 'settings', 'audit', 'webhook_logs', 'billing', 'webhooks']);
    expect(groups[0]!.scopes).toEqual(['leads:read', 'leads:write']);
  });
});

describe('live template preview', () => {
  it('renders with the sample caller and counts segments like the server', () => {
    const text = renderTemplate('Hi {callerFirstName}, {businessName} will call {callbackEta}.', { ...PREVIEW_VALUES, businessName: 'Acme HVAC' });
    expect(text).toBe('Hi Jordan, Acme HVAC will call within 15 minutes.');
    expect(countSegments(text)).toEqual({ encoding: 'GSM-7', characters: text.length, segments: 1 });
    expect(countSegments('We’ll call you 🙂').encoding).toBe('UCS-2');
  });
});

describe('reports', () => {
  it('fills days without missed calls with zero', () => {
    expect(fillDays([{ date: '2026-03-02', count: 4 }], '2026-03-01', '2026-03-03')).toEqual([
      { date: '2026-03-01', count: 0 },
      { date: '2026-03-02', count: 4 },
      { date: '2026-03-03', count: 0 },
    ]);
    expect(percent(0.456)).toBe('46%');
    expect(percent(null)).toBe('—');
  });
});

describe('report labels', () => {
  it('labels days by weekday for a week and by month for longer ranges', () => {
    expect(dayLabel('2026-03-10', 7)).toBe('Tue 10');
    expect(dayLabel('2026-03-10', 30)).toBe('Mar 10');
    expect(dayInFull('2026-03-10')).toBe('Tuesday, March 10');
  });

  it('says callback times in minutes, hours or days', () => {
    expect(minutesLabel(45)).toBe('45 min');
    expect(minutesLabel(125)).toBe('2 h 5 min');
    expect(minutesLabel(120)).toBe('2 h');
    expect(minutesLabel(4320)).toBe('3 days');
  });
});
