// Navigation follows what the server says the member may call (viewer.capabilities):
// nothing here knows which role may do what.
import { canFrom, memberName, NAV_ITEMS, navFor } from '../src/lib/roles';
import type { Operation } from '../src/generated/graphql';

describe('navigation from the viewer capabilities', () => {
  it('offers exactly the pages whose query the server lets the member call', () => {
    const capabilities: Operation[] = ['viewer', 'inbox', 'lead', 'callbacks', 'stats', 'settings', 'auditEntries', 'updateLead'];
    expect(navFor(canFrom(capabilities)).map((item) => item.label)).toEqual(['Inbox', 'Callbacks', 'Reports', 'Settings', 'Audit log']);
  });

  it('offers every page when the member may call every page query', () => {
    const can = canFrom(NAV_ITEMS.map((item) => item.operation));
    expect(navFor(can)).toHaveLength(NAV_ITEMS.length);
  });

  it('offers nothing when the server grants nothing (no membership left)', () => {
    expect(navFor(canFrom([]))).toEqual([]);
    expect(canFrom(['viewer'])('inbox')).toBe(false);
  });

  it('answers can() from the list', () => {
    const can = canFrom(['sendMessage']);
    expect(can('sendMessage')).toBe(true);
    expect(can('updateSettings')).toBe(false);
  });
});

describe('staff names', () => {
  it('names a member by their name, else their email', () => {
    expect(memberName({ name: 'Dana Ruiz', email: 'dana@shop.test' })).toBe('Dana Ruiz');
    expect(memberName({ name: '  ', email: 'dana@shop.test' })).toBe('dana@shop.test');
    expect(memberName({ name: null, email: 'dana@shop.test' })).toBe('dana@shop.test');
  });
});
