import { attemptLabel, isOverdue, ordinal } from '../src/lib/callbacks';

describe('the callback queue', () => {
  it('names attempts the way people say them', () => {
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111].map(ordinal)).toEqual([
      '1st',
      '2nd',
      '3rd',
      '4th',
      '11th',
      '12th',
      '13th',
      '21st',
      '22nd',
      '101st',
      '111th',
    ]);
    expect(attemptLabel(1)).toBeNull();
    expect(attemptLabel(2)).toBe('2nd attempt');
  });

  it('is red only when an open callback is past due', () => {
    const now = Date.parse('2026-03-10T15:00:00Z');
    expect(isOverdue({ status: 'OPEN', dueAt: '2026-03-10T14:59:00Z' }, now)).toBe(true);
    expect(isOverdue({ status: 'SCHEDULED', dueAt: '2026-03-10T16:00:00Z' }, now)).toBe(false);
    expect(isOverdue({ status: 'COMPLETED', dueAt: '2026-03-10T14:00:00Z' }, now)).toBe(false);
  });
});
