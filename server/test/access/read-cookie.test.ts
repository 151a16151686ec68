// The session cookie is read from the Cookie header by the `cookie` package.
import { readCookie } from '../../src/access/identity';

describe('readCookie', () => {
  it('finds a cookie among others, whatever the spacing', () => {
    expect(readCookie('theme=dark;callsnare_session=abc123;  other=1', 'callsnare_session')).toBe('abc123');
  });

  it('decodes percent-encoding', () => {
    expect(readCookie('callsnare_session=a%20b', 'callsnare_session')).toBe('a b');
  });

  it('keeps the first of repeated names', () => {
    expect(readCookie('callsnare_session=first; callsnare_session=second', 'callsnare_session')).toBe('first');
  });

  it('is null when the header or the cookie is missing, and never matches a prefix of the name', () => {
    expect(readCookie(undefined, 'callsnare_session')).toBeNull();
    expect(readCookie('', 'callsnare_session')).toBeNull();
    expect(readCookie('xcallsnare_session=1; callsnare_sessionx=2', 'callsnare_session')).toBeNull();
  });
});
