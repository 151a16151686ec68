import { assignableRoles, can, memberName, navFor } from '../src/lib/roles';

describe('role-aware navigation', () => {
  it('offers an ANALYST the evidence pages but not credentials, members or the settings editor', () => {
    const labels = navFor('ANALYST').map((item) => item.label);
    expect(labels).toEqual(expect.arrayContaining(['Inbox', 'Audit log', 'Webhook log', 'Billing', 'Settings']));
    expect(labels).not.toContain('API credentials');
    expect(labels).not.toContain('Members');
    expect(can('ANALYST', 'settings.write')).toBe(false);
    expect(can('ANALYST', 'messages.send')).toBe(false);
  });

  it('offers a DISPATCHER the queue but no credentials, members or audit', () => {
    const labels = navFor('DISPATCHER').map((item) => item.label);
    expect(labels).toEqual(['Inbox', 'Callbacks', 'Reports', 'Settings']);
    expect(can('DISPATCHER', 'callbacks.write')).toBe(true);
    expect(can('DISPATCHER', 'credentials')).toBe(false);
  });

  it('offers OWNERs and ADMINs every page', () => {
    expect(navFor('OWNER')).toHaveLength(9);
    expect(navFor('ADMIN')).toHaveLength(9);
  });

  it('offers nothing without a role', () => {
    expect(navFor(null)).toEqual([]);
    expect(can(undefined, 'inbox')).toBe(false);
  });

  it('lets only an OWNER hand out the OWNER role', () => {
    expect(assignableRoles('OWNER')).toContain('OWNER');
    expect(assignableRoles('ADMIN')).not.toContain('OWNER');
    expect(assignableRoles('DISPATCHER')).toEqual([]);
  });
});

describe('staff names', () => {
  it('names a member by their name, else their email', () => {
    expect(memberName({ name: 'Dana Ruiz', email: 'dana@shop.test' })).toBe('Dana Ruiz');
    expect(memberName({ name: '  ', email: 'dana@shop.test' })).toBe('dana@shop.test');
    expect(memberName({ name: null, email: 'dana@shop.test' })).toBe('dana@shop.test');
  });
});
