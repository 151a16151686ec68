// The staff password policy (NIST SP 800-63B): length, not blank, not common; no composition rules.
import { MIN_PASSWORD_LENGTH, passwordProblem } from './passwords';

describe('password policy', () => {
  it.each([
    ['ten spaces and two more', ' '.repeat(12), 'only spaces'],
    ['a tab-and-space mix', ' \t \t \t \t \t \t', 'only spaces'],
    ['one character repeated', 'aaaaaaaaaaaaaa', 'repeated'],
    ['a common password', 'password1234', 'commonly used'],
    ['a common password in capitals', 'QWERTYUIOPASDF', 'commonly used'],
    ['eleven characters', 'elevenchars', `at least ${MIN_PASSWORD_LENGTH}`],
    ['ten characters (the old minimum)', 'ten chars!', `at least ${MIN_PASSWORD_LENGTH}`],
    ['257 characters', 'x'.repeat(128) + 'y'.repeat(129), 'at most 256'],
  ])('refuses %s', (_label, password, reason) => {
    expect(passwordProblem(password)).toContain(reason);
  });

  it.each([
    ['a passphrase', 'correct horse battery'],
    ['lower-case letters only (no composition rules)', 'mycompanyvanroof'],
    ['spaces inside', 'tech on the roof again'],
    ['twelve emoji-free characters exactly', 'abcdefghij12'],
    ['non-ASCII characters, counted as people count them', 'żółć gęślą jaźń'],
  ])('accepts %s', (_label, password) => {
    expect(passwordProblem(password)).toBeNull();
  });

  it('counts an emoji as one character', () => {
    expect(passwordProblem('🔥'.repeat(11) + 'a')).toBeNull();
    expect(passwordProblem('🔥'.repeat(10) + 'a')).toContain('at least');
  });
});
