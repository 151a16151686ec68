// SMS segment counting (Twilio's sms-segments-calculator behind countSegments):
// the 160/153 and 70/67 limits, GSM-7 escapes that cost two septets and are never
// split across segments, and surrogate pairs (emoji) that are never split either.
import { countSegments } from '@callsnare/rules';

const a = (n: number) => 'a'.repeat(n);
const zh = (n: number) => 'ж'.repeat(n);

describe('countSegments', () => {
  it.each([
    ['160 GSM-7 characters', a(160), 1],
    ['161', a(161), 2],
    ['306 (2 × 153)', a(306), 2],
    ['307', a(307), 3],
  ])('GSM-7: %s', (_, text, segments) => {
    expect(countSegments(text)).toEqual({ encoding: 'GSM-7', characters: text.length, segments });
  });

  it('every escape character (€ [ ] { } ~ ^ | \\) stays GSM-7 and costs two septets', () => {
    expect(countSegments('€'.repeat(80))).toMatchObject({ encoding: 'GSM-7', segments: 1 });
    expect(countSegments('€'.repeat(81))).toMatchObject({ encoding: 'GSM-7', segments: 2 });
    expect(countSegments('[]{}~^|\\'.repeat(10))).toMatchObject({ encoding: 'GSM-7', segments: 1 });
    expect(countSegments(`${'[]{}~^|\\'.repeat(10)}a`)).toMatchObject({ encoding: 'GSM-7', segments: 2 });
  });

  it('an escape at a segment boundary moves whole to the next segment', () => {
    // 152 + 2 + 152 = 306 septets, but the € cannot straddle segments 1 and 2.
    expect(countSegments(`${a(152)}€${a(152)}`)).toMatchObject({ encoding: 'GSM-7', segments: 3 });
  });

  it.each([
    ['70 UCS-2 units', zh(70), 1],
    ['71', zh(71), 2],
    ['134 (2 × 67)', zh(134), 2],
    ['135', zh(135), 3],
    ['35 emoji (70 units)', '🔧'.repeat(35), 1],
    ['36 emoji (72 units)', '🔧'.repeat(36), 2],
  ])('UCS-2: %s', (_, text, segments) => {
    expect(countSegments(text)).toEqual({ encoding: 'UCS-2', characters: text.length, segments });
  });

  it('an emoji at a segment boundary moves whole (both halves of its surrogate pair) to the next segment', () => {
    // 66 + 2 + 66 = 134 units, but the pair cannot straddle segments 1 and 2.
    expect(countSegments(`${zh(66)}🔧${zh(66)}`)).toMatchObject({ encoding: 'UCS-2', segments: 3 });
  });

  it('one character outside GSM-7 makes the whole text UCS-2', () => {
    expect(countSegments(`${a(100)}’`)).toMatchObject({ encoding: 'UCS-2', segments: 2 });
  });
});
