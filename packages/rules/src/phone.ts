// Phone numbers, read and written by libphonenumber-js: stored and compared in
// E.164 (+15005550006), shown the way people of the number's country write it.
import { parsePhoneNumberFromString } from 'libphonenumber-js';

/**
 * True for a phone number written in E.164 (a plus, the country code, the
 * number, nothing else) whose length fits its country. Lengths only, not
 * number ranges: ranges change faster than any library's metadata, and test
 * numbers (+1 500 555 …, +1 555 …) must pass.
 */
export const isE164 = remembered((value: string): boolean => {
  if (NANP.test(value)) return true;
  const parsed = parsePhoneNumberFromString(value);
  return parsed !== undefined && parsed.number === value && parsed.isPossible();
});

/**
 * "+15005550006" -> "(500) 555-0006" (North American numbers as Americans write
 * them); "+442079460958" -> "+44 20 7946 0958" (others in international format,
 * grouped as their country groups them); anything unparseable is shown as given.
 */
export const formatPhone = remembered((e164: string): string => {
  const nanp = NANP.exec(e164);
  if (nanp) return `(${nanp[1]}) ${nanp[2]}-${nanp[3]}`;
  const parsed = parsePhoneNumberFromString(e164);
  if (!parsed) return e164;
  return parsed.countryCallingCode === '1' ? parsed.formatNational() : parsed.formatInternational();
});

/**
 * A North American number in its usual shape (area code and exchange not starting with 0 or 1):
 * libphonenumber-js answers every one of them "possible" and "(NPA) NXX-XXXX" (a test checks
 * every area code against it), but only after trying the number against the patterns of each
 * of the 25 regions sharing +1, which made it the costliest step of reading a Twilio delivery.
 */
const NANP = /^\+1([2-9]\d{2})([2-9]\d{2})(\d{4})$/;

/**
 * The answer for a number remembered (the last 1,000 numbers, then it starts
 * over): parsing is the costly part, and a webhook delivery or a page reads
 * the same numbers again and again (the tracking line on every call, a caller
 * in a list and on their lead).
 */
function remembered<T>(answer: (value: string) => T): (value: string) => T {
  const answers = new Map<string, T>();
  return (value) => {
    let known = answers.get(value);
    if (known === undefined) {
      known = answer(value);
      if (answers.size >= 1_000) answers.clear();
      answers.set(value, known);
    }
    return known;
  };
}
