// What the dashboard asks instead of copying server rules: viewer { capabilities
// assignableRoles } and lead { allowedTransitions quietHoursNow }, through the real
// server. Expected capabilities come from the permission table rows
// (support/access-expectations), independently of the shield's decision function.
import type { Database } from '../../src/db/client';
import type { RunningServer } from '../../src/server';
import type { Role } from '../../src/generated/prisma/enums';
import type { Clock } from '../../src/common/clock';
import { PERMISSIONS } from '../../src/access/permissions';
import { ROLES, type Scope } from '../../src/access/scopes';
import { openTestDatabase, testDatabaseKinds } from '../support/database';
import { graphql, startTestServer } from '../support/server';
import { createTestCredential, createTestOrg } from '../support/fixtures';
import { createTestStaff, openTestSession, ownerOf, TEST_PASSWORD, type TestStaff } from '../support/sessions';
import { createTestLead } from '../support/leads';
import { expectedFor, type Caller } from '../support/access-expectations';

jest.setTimeout(120_000);

const VIEWER = `query { viewer { capabilities assignableRoles user { id email name } } }`;
const LEAD = `query ($id: ID!) { lead(id: $id) { status allowedTransitions quietHoursNow } }`;

function expectedCapabilities(caller: Caller): string[] {
  return PERMISSIONS.filter((row) => row.status !== 'planned' && expectedFor(row, caller).verdict === 'allowed').map((row) => row.name);
}

describe.each(testDatabaseKinds)('what the server tells the dashboard, on %s', (kind) => {
  let db: Database;
  let server: RunningServer;
  let orgId: string;
  let now = new Date('2026-03-10T18:00:00.000Z'); // 13:00 in Chicago (CDT)
  const clock: Clock = { now: () => now };
  const staff = new Map<Role, TestStaff>();
  const cookies = new Map<Role, string>();

  beforeAll(async () => {
    db = await openTestDatabase(kind);
    server = await startTestServer(db, { clock, env: { RATE_LIMIT_SIGNIN_PER_15MIN: '1000' } });
    orgId = (await createTestOrg(db, { name: 'Capabilities HVAC' })).orgId;
    await db.prisma.orgSettings.update({
      where: { orgId },
      data: { timezone: 'America/Chicago', quietHoursEnabled: true, quietHoursStart: '21:00', quietHoursEnd: '08:00' },
    });
    staff.set('OWNER', await ownerOf(db, orgId));
    for (const role of ROLES.filter((r) => r !== 'OWNER')) staff.set(role, await createTestStaff(db, orgId, role));
    for (const [role, member] of staff) cookies.set(role, await openTestSession(db, member.userId, orgId));
  });
  afterAll(async () => {
    await server.close();
    await db.close();
  });

  describe('viewer.capabilities', () => {
    it.each(ROLES)('lists for a %s session exactly the operations the permission table grants the role', async (role) => {
      const { body } = await graphql(server.url, VIEWER, { cookie: cookies.get(role) });
      expect(body.errors).toBeUndefined();
      expect(body.data?.viewer.capabilities).toEqual(expectedCapabilities({ kind: 'session', role }));
    });

    it('gives a DISPATCHER the lead work but not settings changes, members or credentials', async () => {
      const { body } = await graphql(server.url, VIEWER, { cookie: cookies.get('DISPATCHER') });
      const capabilities = body.data?.viewer.capabilities as string[];
      expect(capabilities).toEqual(expect.arrayContaining(['inbox', 'updateLead', 'sendMessage', 'scheduleCallback', 'markLeadRead']));
      expect(capabilities).not.toContain('updateSettings');
      expect(capabilities).not.toContain('members');
      expect(capabilities).not.toContain('apiCredentials');
    });

    it('lists for a credential the operations its scopes open, and never a dashboard-only one', async () => {
      const scopes: Scope[] = ['leads:read', 'messages:send'];
      const { secret } = await createTestCredential(db, orgId, scopes, 'capabilities');
      const { body } = await graphql(server.url, VIEWER, { bearer: secret });
      const capabilities = body.data?.viewer.capabilities as string[];
      expect(capabilities).toEqual(expectedCapabilities({ kind: 'credential', scopes, label: 'leads:read, messages:send' }));
      expect(capabilities).toEqual(expect.arrayContaining(['viewer', 'leads', 'lead', 'sendMessage']));
      expect(capabilities).not.toContain('updateLead');
      const internal = PERMISSIONS.filter((row) => row.status === 'internal').map((row) => row.name);
      expect(capabilities.filter((name) => internal.includes(name))).toEqual([]);
    });

    it('comes with signIn, for the session it opens', async () => {
      const analyst = staff.get('ANALYST')!;
      const { body } = await graphql(
        server.url,
        `
          mutation ($email: String!, $password: String!) {
            signIn(email: $email, password: $password) {
              capabilities
              user {
                email
              }
            }
          }
        `,
        { variables: { email: analyst.email, password: TEST_PASSWORD } },
      );
      expect(body.errors).toBeUndefined();
      expect(body.data?.signIn.capabilities).toEqual(expectedCapabilities({ kind: 'session', role: 'ANALYST' }));
      expect(body.data?.signIn.user.email).toBe(analyst.email);
    });
  });

  describe('viewer.assignableRoles', () => {
    it('lets an OWNER hand out every role, an ADMIN all but OWNER, and nobody else any', async () => {
      const roles = async (role: Role) => (await graphql(server.url, VIEWER, { cookie: cookies.get(role) })).body.data?.viewer.assignableRoles;
      expect(await roles('OWNER')).toEqual(['OWNER', 'ADMIN', 'DISPATCHER', 'ANALYST']);
      expect(await roles('ADMIN')).toEqual(['ADMIN', 'DISPATCHER', 'ANALYST']);
      expect(await roles('DISPATCHER')).toEqual([]);
      expect(await roles('ANALYST')).toEqual([]);
    });

    it('matches what inviteMember accepts: an ADMIN granting OWNER is refused', async () => {
      const { body } = await graphql(server.url, `mutation { inviteMember(email: "new-owner-${kind}@test.example", role: OWNER) { member { id } } }`, {
        cookie: cookies.get('ADMIN'),
      });
      expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    });
  });

  describe('viewer.user and callback assignees are one StaffUser type', () => {
    it('shows the signed-in user as a StaffUser', async () => {
      const owner = staff.get('OWNER')!;
      const { body } = await graphql(
        server.url,
        `
          query {
            viewer {
              user {
                __typename
                id
                email
              }
            }
          }
        `,
        { cookie: cookies.get('OWNER') },
      );
      expect(body.data?.viewer.user).toEqual({ __typename: 'StaffUser', id: owner.userId, email: owner.email });
    });
  });

  describe('lead.allowedTransitions', () => {
    it.each([
      ['NEW', ['CONTACTED', 'BOOKED', 'LOST']],
      ['CONTACTED', ['BOOKED', 'LOST']],
      ['BOOKED', ['CONTACTED', 'LOST']],
      ['LOST', ['CONTACTED']],
    ] as const)('from %s offers %j', async (status, allowed) => {
      const lead = await createTestLead(db, orgId, { status });
      const { body } = await graphql(server.url, LEAD, { cookie: cookies.get('DISPATCHER'), variables: { id: lead.id } });
      expect(body.errors).toBeUndefined();
      expect(body.data?.lead.allowedTransitions).toEqual(allowed);
    });

    it('is what updateLead enforces: a move it does not list is refused, one it lists goes through', async () => {
      const lead = await createTestLead(db, orgId, { status: 'LOST' });
      const update = (status: string) =>
        graphql(
          server.url,
          `
            mutation ($id: ID!, $status: LeadStatus!) {
              updateLead(id: $id, input: { status: $status }) {
                status
              }
            }
          `,
          {
            cookie: cookies.get('DISPATCHER'),
            variables: { id: lead.id, status },
          },
        );
      const refused = await update('BOOKED');
      expect(refused.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      const moved = await update('CONTACTED');
      expect(moved.body.data?.updateLead.status).toBe('CONTACTED');
      const { body } = await graphql(server.url, LEAD, { cookie: cookies.get('DISPATCHER'), variables: { id: lead.id } });
      expect(body.data?.lead.allowedTransitions).toEqual(['BOOKED', 'LOST']);
    });
  });

  describe('lead.quietHoursNow', () => {
    let leadId: string;
    beforeAll(async () => {
      leadId = (await createTestLead(db, orgId, { status: 'CONTACTED' })).id;
    });
    const quietNow = async () =>
      (await graphql(server.url, LEAD, { cookie: cookies.get('DISPATCHER'), variables: { id: leadId } })).body.data?.lead.quietHoursNow;

    it("reads the shop's clock, not the server's: 22:30 in Chicago is quiet, 13:00 is not", async () => {
      now = new Date('2026-03-10T18:00:00.000Z'); // 13:00 CDT
      expect(await quietNow()).toBe(false);
      now = new Date('2026-03-11T03:30:00.000Z'); // 22:30 CDT
      expect(await quietNow()).toBe(true);
      now = new Date('2026-03-11T13:00:00.000Z'); // 08:00 CDT: quiet hours just ended
      expect(await quietNow()).toBe(false);
    });

    it('is false when quiet hours are off', async () => {
      now = new Date('2026-03-11T03:30:00.000Z');
      await db.prisma.orgSettings.update({ where: { orgId }, data: { quietHoursEnabled: false } });
      try {
        expect(await quietNow()).toBe(false);
      } finally {
        await db.prisma.orgSettings.update({ where: { orgId }, data: { quietHoursEnabled: true } });
      }
    });

    it('is settings data: a credential without settings:read is refused it, with settings:read it is answered', async () => {
      const without = await createTestCredential(db, orgId, ['leads:read'], 'leads only');
      const refused = await graphql(server.url, LEAD, { bearer: without.secret, variables: { id: leadId } });
      expect(refused.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(refused.body.errors?.[0]?.extensions?.requiredScope).toBe('settings:read');
      const withSettings = await createTestCredential(db, orgId, ['leads:read', 'settings:read'], 'leads and settings');
      const allowed = await graphql(server.url, LEAD, { bearer: withSettings.secret, variables: { id: leadId } });
      expect(allowed.body.errors).toBeUndefined();
      expect(typeof allowed.body.data?.lead.quietHoursNow).toBe('boolean');
    });
  });
});
