// Phone validation and display (libphonenumber-js, shared with the dashboard through @callsnare/rules).
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { digitsOf, formatPhone, isE164 } from '../../src/common/phone';

describe('phone numbers', () => {
  it('accepts E.164 numbers of any country, test numbers included', () => {
    for (const number of ['+15005550006', '+15555550100', '+12125551234', '+14165550123', '+442079460958', '+4915123456789', '+61412345678']) {
      expect(isE164(number)).toBe(true);
    }
  });

  it('refuses numbers not written in E.164, or too short or long for their country', () => {
    for (const number of [
      '15005550006',
      '+1 500 555 0006',
      '(500) 555-0006',
      '+15005550006x',
      '+1500555000',
      '+150055500061',
      '+12345',
      '+999123456',
      '',
      '+',
    ]) {
      expect(isE164(number)).toBe(false);
    }
  });

  it('shows North American numbers as (500) 555-0006 and others in grouped international format', () => {
    expect(formatPhone('+15005550006')).toBe('(500) 555-0006');
    expect(formatPhone('+14165550123')).toBe('(416) 555-0123');
    expect(formatPhone('+442079460958')).toBe('+44 20 7946 0958');
    expect(formatPhone('+4915123456789')).toBe('+49 1512 3456789');
    expect(formatPhone('Anonymous')).toBe('Anonymous');
  });

  it('digitsOf keeps digits only, for search', () => {
    expect(digitsOf('(500) 555-0006')).toBe('5005550006');
  });
});

describe('remembered answers', () => {
  it('are the answers: asked again, after 1,500 other numbers, valid or not', () => {
    const asked = ['+15005550006', '+1500555000', 'not a number', '+442079460958'];
    const first = asked.map((value) => [isE164(value), formatPhone(value)]);
    for (let i = 0; i < 1_500; i++) {
      const other = `+1312555${String(i).padStart(4, '0')}`;
      expect([isE164(other), formatPhone(other)]).toEqual([true, `(312) 555-${String(i).padStart(4, '0')}`]);
    }
    expect(asked.map((value) => [isE164(value), formatPhone(value)])).toEqual(first);
    expect(first).toEqual([
      [true, '(500) 555-0006'],
      [false, '500555000'],
      [false, 'not a number'],
      [true, '+44 20 7946 0958'],
    ]);
  });
});

describe('North American numbers', () => {
  it('get the answers libphonenumber-js gives, for every area code', () => {
    const library = (value: string) => {
      const parsed = parsePhoneNumberFromString(value);
      return [parsed !== undefined && parsed.number === value && parsed.isPossible(), parsed ? parsed.formatNational() : value];
    };
    for (let areaCode = 200; areaCode < 1000; areaCode++) {
      for (const exchange of [200, 555, 999, 200 + ((areaCode * 7) % 800)]) {
        const number = `+1${areaCode}${exchange}${String((areaCode * 31) % 10_000).padStart(4, '0')}`;
        expect([isE164(number), formatPhone(number)]).toEqual(library(number));
      }
    }
    // Outside the usual shape the library itself answers.
    for (const number of ['+12001005555', '+10005550000', '+1200555000', '+120055500000'])
      expect([isE164(number), formatPhone(number)]).toEqual(library(number));
  });
});
