import { describeError, formatWait } from '../src/lib/errors';

const graphQLError = (message: string, extensions: Record<string, unknown>) => ({ graphQLErrors: [{ message, extensions }] as any, networkError: undefined });

describe('describeError', () => {
  it('tells a rate-limited user how long to wait', () => {
    const view = describeError(graphQLError('Too many requests', { code: 'RATE_LIMITED', retryAfterSeconds: 125 }));
    expect(view).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: 125 });
    expect(view?.message).toBe('Too many attempts. Try again in 3 minutes.');
  });

  it('keeps the per-field problems of BAD_USER_INPUT', () => {
    const view = describeError(graphQLError('Invalid settings', { code: 'BAD_USER_INPUT', fields: { ringTimeoutSeconds: 'must be 5–60' } }));
    expect(view?.fields).toEqual({ ringTimeoutSeconds: 'must be 5–60' });
    expect(view?.message).toBe('Invalid settings');
  });

  it('reads per-field problems given as a list, and a problem without a readable message as invalid', () => {
    const fields = [{ field: 'email', message: 'is not an email address' }, { field: 'phone' }, { field: 'name', message: { nested: true } }];
    const view = describeError(graphQLError('Invalid member', { code: 'BAD_USER_INPUT', fields }));
    expect(view?.fields).toEqual({ email: 'is not an email address', phone: 'invalid', name: 'invalid' });
  });

  it('says plainly when the role does not permit an action', () => {
    expect(describeError(graphQLError('Not Authorised!', { code: 'FORBIDDEN' }))?.message).toBe('Your role does not permit this.');
  });

  it("shows the server's reason when it refuses for one", () => {
    const view = describeError(
      graphQLError(
        "ana@shop.test also belongs to another organization, so this organization cannot reset their password; they can ask CallSnare's operator (callsnare user reset-password)",
        {
          code: 'FORBIDDEN',
          reason: 'account_shared_with_other_organizations',
        },
      ),
    );
    expect(view?.message).toBe(
      "ana@shop.test also belongs to another organization, so this organization cannot reset their password; they can ask CallSnare's operator (callsnare user reset-password).",
    );
  });

  it('keeps a refusal message as the server wrote it, as a sentence', () => {
    expect(describeError(graphQLError('Only an OWNER can reset an OWNER', { code: 'FORBIDDEN' }))?.message).toBe('Only an OWNER can reset an OWNER.');
  });

  it('explains a network failure', () => {
    const view = describeError({ graphQLErrors: [], networkError: new Error('fetch failed') });
    expect(view?.code).toBe('NETWORK');
  });

  it('returns null without an error', () => {
    expect(describeError(null)).toBeNull();
  });

  it('formats waits in seconds, then minutes', () => {
    expect(formatWait(1)).toBe('1 second');
    expect(formatWait(42)).toBe('42 seconds');
    expect(formatWait(60)).toBe('1 minute');
    expect(formatWait(61)).toBe('2 minutes');
  });
});
