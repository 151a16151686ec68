// The timeline speaks in words: every reason and dial result the server records has a sentence,
// and no ISO timestamp reaches the page.
import fs from 'node:fs';
import path from 'node:path';
import { describeRetryCadence, DIAL_OUTCOMES, eventDetail, eventLabel, parseRetryMinutes, SKIP_REASONS, skipReasonWords } from '../src/lib/lead';
import { formatAbsolute } from '../src/lib/time';
import type { LeadEventType } from '../src/generated/graphql';

const server = (file: string) => fs.readFileSync(path.join(__dirname, '../../server/src', file), 'utf8');
const wording = { time: (iso: string) => formatAbsolute(iso, 'America/Chicago') };
const ISO = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/** The string literals of `export type <name> = 'a' | 'b' …;` in a server file. */
function unionMembers(source: string, name: string): string[] {
  const match = new RegExp(`export type ${name} =([^;]+);`).exec(source);
  if (!match) throw new Error(`${name} not found: the test must follow the server's type`);
  return [...match[1]!.matchAll(/'([^']+)'/g)].map((m) => m[1]!);
}

describe('text-back skip reasons in words', () => {
  const reasons = unionMembers(server('recovery/text-back.policy.ts'), 'TextBackSkipReason');

  it('has a sentence for every reason the server can record', () => {
    expect(reasons.length).toBeGreaterThanOrEqual(5);
    for (const reason of reasons) expect(Object.keys(SKIP_REASONS)).toContain(reason);
  });

  it('says how long the cooldown is and why billing paused texts', () => {
    expect(skipReasonWords({ reason: 'cooldown', cooldownMinutes: 240 })).toBe('This caller was already texted in the last 4 hours (the text-back cooldown).');
    expect(skipReasonWords({ reason: 'billing_paused', billing: 'payment_overdue' })).toMatch(/payment is overdue/);
    expect(skipReasonWords({ reason: 'billing_paused', billing: 'subscription_inactive' })).toMatch(/subscription is not active/);
    expect(skipReasonWords({ reason: 'opted_out' })).toMatch(/STOP/);
    expect(skipReasonWords({ reason: 'frequency_cap', maxAutomatedTextsPerDay: 3 })).toBe(
      'This caller already got 3 automatic texts in the last 24 hours (the daily limit in Settings).',
    );
    expect(eventDetail('TEXT_BACK_SKIPPED', { callSid: 'CA1', reason: 'own_number' }, wording)).toBe("The call came from one of the shop's own numbers.");
  });

  it('still says something for a reason it does not know yet', () => {
    expect(skipReasonWords({ reason: 'carrier_blocked' })).toBe('Skipped (carrier blocked).');
  });
});

describe('dial outcomes in words', () => {
  it('has words for every DialCallStatus the server records as missed', () => {
    const statuses = [...server('recovery/calls.service.ts').matchAll(/MISSED_DIAL_STATUSES = \[([^\]]+)\]/g)].flatMap((m) =>
      [...m[1]!.matchAll(/'([^']+)'/g)].map((s) => s[1]!),
    );
    expect(statuses).toEqual(expect.arrayContaining(['no-answer', 'busy']));
    for (const status of statuses) expect(Object.keys(DIAL_OUTCOMES)).toContain(status);
  });

  it('reads a missed call: busy, no answer, or not accepted at screening', () => {
    expect(eventDetail('CALL_MISSED', { dialStatus: 'busy', ringSeconds: 0 }, wording)).toBe('The line was busy');
    expect(eventDetail('CALL_MISSED', { dialStatus: 'no-answer', ringSeconds: 20 }, wording)).toBe('Nobody answered · rang 20 s');
    expect(eventDetail('CALL_MISSED', { dialStatus: 'completed', notAcceptedAtScreening: true }, wording)).toMatch(/^Nobody pressed 1/);
  });
});

describe('timeline times', () => {
  const samples: [LeadEventType, Record<string, unknown>][] = [
    ['CALLBACK_OPENED', { callbackId: 'c1', dueAt: '2026-03-10T14:15:00.000Z', attempt: 2 }],
    ['CALLBACK_SCHEDULED', { callbackId: 'c1', at: '2026-03-10T20:00:00.000Z', assigneeId: 'u1' }],
    ['CALLBACK_OVERDUE', { callbackId: 'c1', dueAt: '2026-03-10T14:15:00.000Z', minutesLate: 3 }],
    ['TEXT_BACK_QUEUED', { template: 'after_hours', deferredUntil: '2026-03-10T13:00:00.000Z' }],
  ];

  it.each(samples)('%s shows its times formatted in the shop zone, never as ISO', (type, data) => {
    const text = eventDetail(type, data, { ...wording, person: (id) => (id === 'u1' ? 'Dana Ruiz' : undefined) });
    expect(text).not.toMatch(ISO);
    expect(text).toMatch(/Mar 10, 2026, \d{1,2}:\d{2} (AM|PM) CDT/);
  });

  it('names the attempt and the assignee', () => {
    expect(eventDetail('CALLBACK_OPENED', { dueAt: '2026-03-10T14:15:00.000Z', attempt: 2 }, wording)).toBe('attempt 2 · due Mar 10, 2026, 9:15 AM CDT');
    expect(eventDetail('CALLBACK_SCHEDULED', { at: '2026-03-10T20:00:00.000Z', assigneeId: 'u1' }, { ...wording, person: () => 'Dana Ruiz' })).toBe(
      'for Mar 10, 2026, 3:00 PM CDT · to Dana Ruiz',
    );
    expect(eventDetail('CALLBACK_COMPLETED', { outcome: 'NO_ANSWER', attempt: 1 }, wording)).toBe('No answer');
  });
});

describe('callback retry cadence', () => {
  it('reads minutes, hours and days', () => {
    expect(parseRetryMinutes('60, 240')).toEqual({ minutes: [60, 240] });
    expect(parseRetryMinutes('1h 4h, 1d')).toEqual({ minutes: [60, 240, 1440] });
    expect(parseRetryMinutes('  ')).toEqual({ minutes: [] });
    expect(parseRetryMinutes('60, soon')).toEqual({ problem: '"soon" is not a number of minutes (e.g. 60, 4h, 1d)' });
  });

  it('says what will happen', () => {
    expect(describeRetryCadence([60, 240])).toBe(
      'Attempt 2 1 hour after attempt 1, attempt 3 4 hours after attempt 2; after that the lead needs a decision. Retries wait for business hours.',
    );
    expect(describeRetryCadence([])).toBe('No retries: after one unanswered callback the lead needs a decision.');
  });
});

describe('timeline labels', () => {
  // EVENT_LABELS is a Record<LeadEventType, string> of the generated enum: a type the server
  // adds fails \`npm run typecheck\` until it has a label. This checks the labels read as words.
  it('labels event types in words, not as the enum name', () => {
    const types: LeadEventType[] = ['CALL_MISSED', 'TEXT_BACK_SKIPPED', 'MESSAGE_RECEIVED', 'OPTED_OUT', 'VOICEMAIL_RECORDED'];
    expect(types.map(eventLabel)).toEqual(['Missed call', 'Text-back skipped', 'Reply received', 'Opted out (STOP)', 'Voicemail']);
  });
});
