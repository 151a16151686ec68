import { inboxNeed, usesWorkOrder, type InboxLead } from '../src/lib/inbox';

const lead = (over: Partial<InboxLead> = {}): InboxLead => ({
  id: 'l',
  status: 'CONTACTED',
  needsReply: false,
  callbackOverdue: false,
  needsDecision: false,
  unread: false,
  ...over,
});

describe('what an inbox row needs', () => {
  it('a caller waiting for an answer comes before an overdue callback, a decision and a new call', () => {
    expect(inboxNeed(lead({ needsReply: true, callbackOverdue: true, status: 'NEW' }))).toBe('reply');
    expect(inboxNeed(lead({ callbackOverdue: true, needsDecision: true, status: 'NEW' }))).toBe('overdue');
    expect(inboxNeed(lead({ needsDecision: true, status: 'NEW' }))).toBe('decision');
    expect(inboxNeed(lead({ status: 'NEW' }))).toBe('new');
    expect(inboxNeed(lead())).toBeNull();
  });

  it('a closed lead is never overdue or new, but a text from its caller still needs a reply', () => {
    expect(inboxNeed(lead({ status: 'BOOKED', callbackOverdue: true, needsDecision: true }))).toBeNull();
    expect(inboxNeed(lead({ status: 'BOOKED', needsReply: true }))).toBe('reply');
  });

  it("only the unfiltered open view uses the server's work order", () => {
    const view = { status: 'OPEN', search: '', since: '', until: '', needsReply: false };
    expect(usesWorkOrder(view)).toBe(true);
    expect(usesWorkOrder({ ...view, needsReply: true })).toBe(false);
    expect(usesWorkOrder({ ...view, status: 'ALL' })).toBe(false);
    expect(usesWorkOrder({ ...view, search: 'Jordan' })).toBe(false);
  });
});
