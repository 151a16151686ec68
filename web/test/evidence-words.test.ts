// A text's evidence in plain words: the held-back note and "Why was this sent?".
import { deferredWords, evidenceLines, placeName } from '../src/lib/evidence';

/** The shape the server writes (server/src/compliance/message-evidence.ts), for a Florida caller texted from a Pacific-time shop. */
const floridaTextBack = {
  version: 1,
  decidedAt: '2026-01-16T02:30:00.000Z',
  kind: 'TEXT_BACK',
  automated: true,
  consent: { basis: 'missed_call', providerId: 'CA0123456789abcdef0123456789abcdef', at: '2026-01-16T02:30:00.000Z' },
  optOut: { checked: true, optedOut: false },
  recipient: { basis: 'area-code', areaCode: '305', country: 'US', state: 'FL', zones: ['America/New_York'], localTime: '2026-01-15T21:30:00.000-05:00' },
  window: {
    allowedAtDecision: false,
    deferredUntil: '2026-01-16T13:00:00.000Z',
    rule: { id: 'us-fl-501-616', description: '8:00 a.m. to 8:00 p.m. local time', summary: '8 am–8 pm', source: 'Fla. Stat. § 501.616(6)(a)' },
    rules: [],
  },
  shopQuietHours: { enabled: false, start: '21:00', end: '08:00', timeZone: 'America/Los_Angeles' },
  cooldown: { minutes: 20, passed: true },
  frequency: { automatedTextsInLast24h: 1, cap: 3, windowHours: 24 },
};

describe('message evidence in words', () => {
  it("says when a held-back text goes, on the caller's clock, and which rule holds it", () => {
    expect(deferredWords({ status: 'QUEUED', deferredUntil: '2026-01-16T13:00:00.000Z', evidence: floridaTextBack })).toBe(
      "Scheduled for 8:00 AM caller's time — Florida allows texts 8 am–8 pm.",
    );
    expect(deferredWords({ status: 'SENT', deferredUntil: '2026-01-16T13:00:00.000Z', evidence: floridaTextBack })).toBeNull();
    expect(deferredWords({ status: 'QUEUED', deferredUntil: null, evidence: floridaTextBack })).toBeNull();
  });

  it('names the shop time zone when the number does not place the caller', () => {
    const unknown = {
      ...floridaTextBack,
      recipient: {
        basis: 'shop-time-zone',
        areaCode: '800',
        country: null,
        state: null,
        zones: ['America/Chicago'],
        localTime: '2026-01-15T20:30:00.000-06:00',
      },
    };
    const words = deferredWords({
      status: 'QUEUED',
      deferredUntil: '2026-01-16T14:00:00.000Z',
      evidence: { ...unknown, shopQuietHours: { enabled: true, start: '21:00', end: '08:00', timeZone: 'America/Chicago' } },
    });
    expect(words).toBe(
      "Scheduled for 8:00 AM shop time — the caller's place is not known from their number, so federal rules apply in the shop's time zone: 8 am–8 pm; the shop's quiet hours are 21:00–08:00.",
    );
  });

  it('explains every check of a text-back', () => {
    const lines = evidenceLines(floridaTextBack);
    expect(lines).toEqual([
      'Consent: the caller phoned the shop and the call was missed (CA0123456789abcdef0123456789abcdef, 2026-01-16T02:30:00Z); this text answers that call.',
      'Opt-out: checked when the text was decided; the caller had not texted STOP.',
      'Where: area code 305 is in Florida (America/New_York). It was 9:30 PM there.',
      'Calling window: 8 am–8 pm (Fla. Stat. § 501.616(6)(a)). Held until 2026-01-16T13:00:00Z.',
      'Shop quiet hours: off.',
      'Cooldown: no other text-back to this caller was waiting or sent in the previous 20 minutes.',
      'Daily limit: 1 automatic text to this number in the previous 24 hours; the limit is 3.',
    ]);
  });

  it('explains a staff reply: never held, no daily limit', () => {
    const reply = {
      ...floridaTextBack,
      kind: 'STAFF_REPLY',
      automated: false,
      cooldown: { applies: false },
      frequency: { applies: false },
      consent: { basis: 'inbound_text', providerId: 'SM1', at: '2026-01-15T20:00:00.000Z' },
    };
    const lines = evidenceLines(reply);
    expect(lines[0]).toBe('Consent: the caller texted the shop (SM1, 2026-01-15T20:00:00Z), which opened this conversation.');
    expect(lines).toContain('Daily limit: does not apply to a staff reply in the conversation.');
    expect(lines.some((line) => line.includes('Staff replies are not held back.'))).toBe(true);
    expect(lines.some((line) => line.startsWith('Cooldown'))).toBe(false);
  });

  it('says nothing for a text without evidence, and names places', () => {
    expect(evidenceLines(null)).toEqual([]);
    expect(placeName('NS/PE')).toBe('Nova Scotia or Prince Edward Island');
    expect(placeName('ZZ')).toBe('ZZ');
  });
});
