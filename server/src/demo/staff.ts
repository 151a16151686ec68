// The demo shop's staff: who they are, their sign-ins, and the one dispatcher
// who has her phone set up for staff alerts and is on call.
import crypto from 'node:crypto';
import type { Tx } from '../db/types';
import type { Role } from '../generated/prisma/enums';
import { uuidv7At } from '../common/ids';
import type { AuditDraft } from './lead-story';
import { staffActor } from './lead-story';
import { itemAt } from './random';
import type { StaffMember } from './shop';

const MINUTE = 60_000;
const DEMO_EMAIL_DOMAIN = 'summit-hvac.test';

interface StaffSpec {
  role: Role;
  name: string;
  localPart: string;
  /** Her own phone, every alert on, and on call (after hours the alerts go to her). */
  alerts?: { phone: string };
}

/** The owner first; createOrganization makes the owner, the rest are invited by them. */
export const DEMO_STAFF: readonly StaffSpec[] = [
  { role: 'OWNER', name: 'Dan Kowalski', localPart: 'owner' },
  { role: 'ADMIN', name: 'Priya Natarajan', localPart: 'admin' },
  { role: 'DISPATCHER', name: 'Jess Morales', localPart: 'dispatch', alerts: { phone: '+13125550142' } },
  { role: 'DISPATCHER', name: 'Carla Jensen', localPart: 'dispatch2' },
  { role: 'ANALYST', name: 'Tom Becker', localPart: 'analyst' },
];

/** owner@summit-hvac.test, …; when a demo already holds those, owner+2@…, owner+3@…. */
export async function freeStaffEmails(tx: Tx): Promise<string[]> {
  for (let n = 1; n < 10_000; n++) {
    const candidates = DEMO_STAFF.map((member) => `${member.localPart}${n === 1 ? '' : `+${n}`}@${DEMO_EMAIL_DOMAIN}`);
    const taken = await tx.user.count({ where: { email: { in: candidates } } });
    if (taken === 0) return candidates;
  }
  throw new Error('no free demo email addresses left');
}

export function generatePassword(): string {
  // 18 random bytes -> 24 base64url characters (144 bits).
  return crypto.randomBytes(18).toString('base64url');
}

/**
 * Adds the staff after the owner (whom createOrganization made), as invited and
 * joined at setup. Alert settings are stored as they are now; when they were
 * set is told by staffAlertSetupAudits once the week is known.
 */
export async function addDemoStaff(
  tx: Tx,
  orgId: string,
  owner: { userId: string; email: string },
  emails: readonly string[],
  passwordHashes: readonly string[],
  setupAt: number,
): Promise<StaffMember[]> {
  const ownerMembership = await tx.membership.findFirstOrThrow({ where: { orgId, userId: owner.userId }, select: { id: true } });
  await tx.membership.update({ where: { id: ownerMembership.id, orgId }, data: { createdAt: new Date(setupAt) } });
  const staff: StaffMember[] = DEMO_STAFF.map((spec, i) => ({
    userId: i === 0 ? owner.userId : uuidv7At(setupAt + i * MINUTE),
    membershipId: i === 0 ? ownerMembership.id : uuidv7At(setupAt + i * MINUTE + 1),
    email: itemAt(emails, i),
    name: spec.name,
    role: spec.role,
    phone: spec.alerts?.phone ?? null,
    alertOnMissedCall: spec.alerts !== undefined,
    alertOnReply: spec.alerts !== undefined,
    onCall: spec.alerts !== undefined,
  }));
  const invited = staff.slice(1);
  await tx.user.createMany({
    data: invited.map((member, i) => ({
      id: member.userId,
      email: member.email,
      name: member.name,
      passwordHash: itemAt(passwordHashes, i),
      createdAt: new Date(setupAt + (i + 1) * MINUTE),
    })),
  });
  await tx.membership.createMany({
    data: invited.map((member, i) => ({
      id: member.membershipId,
      orgId,
      userId: member.userId,
      role: member.role,
      invitedById: owner.userId,
      acceptedAt: new Date(setupAt + (i + 1) * MINUTE + 30_000),
      phone: member.phone,
      alertOnMissedCall: member.alertOnMissedCall,
      alertOnReply: member.alertOnReply,
      onCall: member.onCall,
      createdAt: new Date(setupAt + (i + 1) * MINUTE),
    })),
  });
  return staff;
}

/** The owner invited everyone else at setup. */
export function invitationAudits(orgId: string, staff: readonly StaffMember[], setupAt: number): AuditDraft[] {
  const owner = itemAt(staff, 0);
  return staff.slice(1).map((member, i) => ({
    at: setupAt + (i + 1) * MINUTE,
    actor: staffActor(orgId, owner),
    input: {
      action: 'member.invited',
      target: { type: 'User', id: member.userId },
      changes: { email: { before: null, after: member.email }, role: { before: null, after: member.role } },
    },
  }));
}

/**
 * The admin put the alerted member on call, then she set her phone and turned
 * her alerts on (audited without the number, as updateMyProfile does): alerts
 * exist from `since`.
 */
export function staffAlertSetupAudits(orgId: string, staff: readonly StaffMember[], since: number): AuditDraft[] {
  const admin = staff.find((member) => member.role === 'ADMIN') ?? itemAt(staff, 0);
  return staff
    .filter((member) => member.phone !== null)
    .flatMap((member): AuditDraft[] => [
      {
        at: since - 5 * MINUTE,
        actor: staffActor(orgId, admin),
        input: {
          action: 'member.on_call_changed',
          target: { type: 'Membership', id: member.membershipId },
          changes: { onCall: { before: false, after: member.onCall } },
        },
      },
      {
        at: since,
        actor: staffActor(orgId, member),
        input: {
          action: 'member.profile_updated',
          target: { type: 'Membership', id: member.membershipId },
          changes: {
            phone: { before: null, after: 'new number' },
            alertOnMissedCall: { before: false, after: member.alertOnMissedCall },
            alertOnReply: { before: false, after: member.alertOnReply },
          },
        },
      },
    ]);
}

export function firstName(member: Pick<StaffMember, 'name'>): string {
  return member.name.split(' ')[0] ?? member.name;
}
