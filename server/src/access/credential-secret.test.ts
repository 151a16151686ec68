import { credentialModeOf, displayPrefixOf, hashCredentialSecret, isWellFormedCredentialSecret, issueCredentialSecret } from './credential-secret';

describe('credential secrets', () => {
  it('issues cs_test_/cs_live_ secrets with 40 random characters and a 6-character checksum', () => {
    const test = issueCredentialSecret('TEST');
    const live = issueCredentialSecret('LIVE');
    expect(test.secret).toMatch(/^cs_test_[0-9A-Za-z]{46}$/);
    expect(live.secret).toMatch(/^cs_live_[0-9A-Za-z]{46}$/);
    expect(credentialModeOf(test.secret)).toBe('TEST');
    expect(credentialModeOf(live.secret)).toBe('LIVE');
  });

  it('keeps only a SHA-256 hash and a display prefix that does not reveal the secret', () => {
    const issued = issueCredentialSecret('TEST');
    expect(issued.secretHash).toBe(hashCredentialSecret(issued.secret));
    expect(issued.secretHash).toMatch(/^[0-9a-f]{64}$/);
    expect(issued.displayPrefix).toBe(displayPrefixOf(issued.secret));
    expect(issued.displayPrefix).toHaveLength('cs_test_'.length + 8);
    expect(issued.secret.startsWith(issued.displayPrefix)).toBe(true);
  });

  it('never issues the same secret twice', () => {
    const secrets = new Set(Array.from({ length: 500 }, () => issueCredentialSecret('TEST').secret));
    expect(secrets.size).toBe(500);
  });

  it('accepts its own secrets and rejects a single changed character by checksum', () => {
    const { secret } = issueCredentialSecret('TEST');
    expect(isWellFormedCredentialSecret(secret)).toBe(true);
    const index = 20;
    const swapped = secret[index] === 'a' ? 'b' : 'a';
    const typo = secret.slice(0, index) + swapped + secret.slice(index + 1);
    expect(isWellFormedCredentialSecret(typo)).toBe(false);
  });

  it('rejects truncated, foreign and empty tokens', () => {
    const { secret } = issueCredentialSecret('LIVE');
    expect(isWellFormedCredentialSecret(secret.slice(0, -1))).toBe(false);
    expect(isWellFormedCredentialSecret(`${secret}x`)).toBe(false);
    expect(isWellFormedCredentialSecret('sk_test_abc')).toBe(false);
    expect(isWellFormedCredentialSecret('')).toBe(false);
    expect(isWellFormedCredentialSecret(secret.replace('cs_live_', 'cs_prod_'))).toBe(false);
  });
});
