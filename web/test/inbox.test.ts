import { inboxReason, sortInbox } from '../src/lib/inbox';

const lead = (id: string, status: string, lastActivityAt: string) => ({ id, status, optedOut: false, lastActivityAt });

describe('inbox order', () => {
  const leads = [
    lead('old-contacted', 'CONTACTED', '2026-03-01T10:00:00Z'),
    lead('new-1', 'NEW', '2026-03-02T10:00:00Z'),
    lead('overdue', 'CONTACTED', '2026-02-20T10:00:00Z'),
    lead('booked', 'BOOKED', '2026-03-05T10:00:00Z'),
    lead('new-2', 'NEW', '2026-03-03T10:00:00Z'),
  ];
  const seen = { 'old-contacted': '2026-03-01T10:00:00Z', booked: '2026-03-05T10:00:00Z' };

  it('puts overdue callbacks first, then new missed calls, then updated leads, then the rest', () => {
    const order = sortInbox(leads, new Set(['overdue']), seen).map((l) => l.id);
    expect(order).toEqual(['overdue', 'new-2', 'new-1', 'booked', 'old-contacted']);
  });

  it('marks a lead updated when it changed after it was last opened', () => {
    expect(inboxReason(lead('old-contacted', 'CONTACTED', '2026-03-04T00:00:00Z'), new Set(), seen)).toBe('updated');
    expect(inboxReason(lead('old-contacted', 'CONTACTED', '2026-03-01T10:00:00Z'), new Set(), seen)).toBeNull();
  });

  it('does not call a closed lead overdue', () => {
    expect(inboxReason(lead('booked', 'BOOKED', '2026-03-05T10:00:00Z'), new Set(['booked']), seen)).toBeNull();
  });
});
