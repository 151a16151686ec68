// The area-code table against libphonenumber-js's metadata: every code libphonenumber-js
// validates as a geographic US or Canadian number is in the table with the same country,
// and every table code is one it validates, or a planned overlay listed in the table's header.
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { knownAreaCodes, lookupAreaCode } from '../../src/compliance/area-codes';

/** Valid in libphonenumber-js as Canadian, but its province is not confirmed: it falls back (header of nanp-area-codes.ts). */
const KNOWN_BUT_NOT_LOCATED = new Set(['273']);
/** Planned overlays not yet in libphonenumber-js's metadata (header of nanp-area-codes.ts). */
const PLANNED = new Set(['436', '471', '624', '679', '729', '837', '861', '924']);
/** Territories are their own regions in libphonenumber-js; the table files them under the US. */
const TERRITORY = new Set(['PR', 'VI', 'GU', 'AS', 'MP']);

/** The country libphonenumber-js gives a geographic number in this area code, or null. */
function libraryCountry(areaCode: string): string | null {
  for (const exchange of ['201', '234', '355', '456', '678', '789', '890', '920', '633', '248']) {
    const parsed = parsePhoneNumberFromString(`+1${areaCode}${exchange}4567`);
    const type = parsed?.getType();
    if (parsed?.isValid() && (type === 'FIXED_LINE_OR_MOBILE' || type === 'FIXED_LINE' || type === 'MOBILE')) return parsed.country ?? null;
  }
  return null;
}

describe('the NANP area-code table', () => {
  const all = Array.from({ length: 800 }, (_, index) => String(index + 200));

  it('has every area code libphonenumber-js knows as a geographic US or Canadian code', () => {
    const missing = all.filter((code) => {
      const country = libraryCountry(code);
      return (country === 'US' || country === 'CA') && !KNOWN_BUT_NOT_LOCATED.has(code) && !lookupAreaCode(code);
    });
    expect(missing).toEqual([]);
  });

  it('files each code under the country libphonenumber-js gives it (territories under the US)', () => {
    const wrong = knownAreaCodes().filter((code) => {
      if (PLANNED.has(code)) return false;
      const country = libraryCountry(code);
      const expected = country && TERRITORY.has(country) ? 'US' : country;
      return expected !== lookupAreaCode(code)?.country && !(code === '684' && country === null);
    });
    expect(wrong).toEqual([]);
  });

  it('lists as planned only codes libphonenumber-js does not know yet (drop them from the list once it does)', () => {
    expect([...PLANNED].filter((code) => libraryCountry(code) !== null)).toEqual([]);
    expect([...PLANNED].every((code) => lookupAreaCode(code) !== null)).toBe(true);
  });

  it('places Monterey (831), the Los Angeles overlay (738) and the Denver overlay (748)', () => {
    expect(lookupAreaCode('831')).toMatchObject({ country: 'US', regions: ['CA'], zones: ['America/Los_Angeles'] });
    expect(lookupAreaCode('738')).toMatchObject({ country: 'US', regions: ['CA'] });
    expect(lookupAreaCode('748')).toMatchObject({ country: 'US', regions: ['CO'], zones: ['America/Denver'] });
  });
});
