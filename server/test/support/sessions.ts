// Staff users and sessions for tests. argon2 is deliberately slow, so every test
// user shares one password hash computed once per worker; sessions are opened
// through the same service signIn uses, without paying for a password check.
import crypto from 'node:crypto';
import type { Role } from '../../src/generated/prisma/enums';
import type { Database } from '../../src/db/client';
import { inTransaction } from '../../src/db/types';
import { hashPassword } from '../../src/access/passwords';
import { SESSION_COOKIE } from '../../src/access/sessions';
import { startSession } from '../../src/access/sign-in.service';
import type { Clock } from '../../src/common/clock';

export const TEST_PASSWORD = 'correct horse battery';

let sharedHash: Promise<string> | null = null;

export interface TestStaff {
  userId: string;
  membershipId: string;
  email: string;
  role: Role;
}

/** A user with TEST_PASSWORD and a membership in the org. */
export async function createTestStaff(db: Database, orgId: string, role: Role, options: { email?: string } = {}): Promise<TestStaff> {
  sharedHash ??= hashPassword(TEST_PASSWORD);
  const passwordHash = await sharedHash;
  const email = options.email ?? `${role.toLowerCase()}-${crypto.randomBytes(5).toString('hex')}@staff.test`;
  const user = await db.prisma.user.upsert({ where: { email }, create: { email, passwordHash }, update: {} });
  const membership = await db.prisma.membership.create({ data: { orgId, userId: user.id, role } });
  return { userId: user.id, membershipId: membership.id, email, role };
}

/** A live session for the user in the org; returns the Cookie header value. */
export async function openTestSession(db: Database, userId: string, orgId: string, clock?: Clock): Promise<string> {
  const { token } = await inTransaction(db.prisma, (tx) => startSession(tx, { userId, orgId }, { ip: '127.0.0.1' }, clock));
  return `${SESSION_COOKIE}=${token}`;
}

/** The org owner createTestOrg made, as staff. */
export async function ownerOf(db: Database, orgId: string): Promise<TestStaff> {
  const membership = await db.prisma.membership.findFirstOrThrow({ where: { orgId, role: 'OWNER' }, include: { user: true }, orderBy: { createdAt: 'asc' } });
  return { userId: membership.userId, membershipId: membership.id, email: membership.user.email, role: 'OWNER' };
}

/** Signs in over HTTP like the dashboard; returns the response and the cookie to send back. */
export async function signInOverHttp(url: string, email: string, password: string = TEST_PASSWORD, headers: Record<string, string> = {}) {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({
      query: 'mutation($email: String!, $password: String!) { signIn(email: $email, password: $password) { label role organization { id } } }',
      variables: { email, password },
    }),
  });
  const body = (await response.json()) as {
    data?: { signIn: { label: string; role: Role; organization: { id: string } } } | null;
    errors?: { message: string; extensions?: Record<string, any> }[];
  };
  const setCookie = response.headers.get('set-cookie');
  const cookie = setCookie ? setCookie.split(';')[0]! : null;
  return { response, body, setCookie, cookie };
}
