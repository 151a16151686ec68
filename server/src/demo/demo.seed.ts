// The demo organization: a Chicago-area HVAC shop with a week of missed calls,
// text-backs, replies, callbacks, staff alerts and staff activity, written in
// one transaction. The week is told in week.ts (one lead at a time, in
// lead-story.ts), the staff are in staff.ts, the words in conversations.ts.
//
// Everything about the history (times, callers, replies, outcomes) comes from a
// seeded PRNG so two runs tell the same story; passwords, ids and provider
// SIDs come from crypto, so seeding twice never collides.
import type { Database } from '../db/client';
import { inTransaction, type Tx } from '../db/types';
import type { Role } from '../generated/prisma/enums';
import { createOrganization } from '../organizations/organizations.service';
import { recordAudit } from '../audit/audit.service';
import { hashPassword } from '../access/passwords';
import { ManualClock, systemClock, type Clock } from '../common/clock';
import type { AuditDraft } from './lead-story';
import { Dice, itemAt, mulberry32, type Random } from './random';
import { demoShop } from './shop';
import { addDemoStaff, DEMO_STAFF, freeStaffEmails, generatePassword, invitationAudits, staffAlertSetupAudits } from './staff';
import { alertsSetUpAt, staffAlertRows } from './staff-alerts';
import { DemoWeek } from './week';

export { mulberry32 } from './random';

export const DEMO_BUSINESS_NAME = 'Summit Heating & Air';
export const DEMO_TIMEZONE = 'America/Chicago';
export const DEMO_TRACKING_NUMBER = '+15005550006';
export const DEMO_FORWARD_TO = '+15005550001';
/** Where staff alerts link to when the seeder is not told the dashboard's address. */
export const DEFAULT_DEMO_DASHBOARD_URL = 'http://127.0.0.1:4000';
const DEFAULT_SEED = 0x5eed_ca11;

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const HISTORY_DAYS = 7;

export interface DemoSignIn {
  role: Role;
  name: string;
  email: string;
  /** Generated for this seed; shown once, stored only as an argon2id hash. */
  password: string;
}

export interface SeedDemoOptions {
  /** "Now": the history covers the 7 days before it. Default: the system clock. */
  clock?: Clock;
  /** Uniform [0, 1) source for the story. Default: a PRNG with a fixed seed. */
  random?: Random;
  /** The dashboard's public address, for the links in staff alerts (PUBLIC_BASE_URL). */
  dashboardBaseUrl?: string;
}

export interface SeededDemo {
  orgId: string;
  ownerEmail: string;
  ownerPassword: string;
  trackingNumber: string;
  forwardTo: string;
  /** Number of leads created. */
  leads: number;
  /** Every sign-in, owner first. */
  signIns: DemoSignIn[];
}

export async function seedDemoOrganization(db: Database, options: SeedDemoOptions = {}): Promise<SeededDemo> {
  const clock = options.clock ?? systemClock;
  const dice = new Dice(options.random ?? mulberry32(DEFAULT_SEED));
  const now = clock.now().getTime();

  // Hash outside the transaction: argon2 is deliberately slow.
  const passwords = DEMO_STAFF.map(() => generatePassword());
  const memberHashes = await Promise.all(passwords.slice(1).map((password) => hashPassword(password)));

  return inTransaction(db.prisma, async (tx) => {
    const emails = await freeStaffEmails(tx);
    const trackingNumber = await freeTrackingNumber(tx);
    const weekStart = now - HISTORY_DAYS * DAY;
    // The shop signed up shortly before the week of history begins.
    const setupAt = weekStart - 2 * DAY;
    const created = await createOrganization(
      tx,
      { label: 'callsnare demo' },
      {
        name: DEMO_BUSINESS_NAME,
        ownerEmail: itemAt(emails, 0),
        ownerPassword: itemAt(passwords, 0),
        ownerName: itemAt(DEMO_STAFF, 0).name,
        timezone: DEMO_TIMEZONE,
        trackingLine: { number: trackingNumber, forwardTo: DEMO_FORWARD_TO },
      },
      new ManualClock(new Date(setupAt)),
    );
    const orgId = created.orgId;
    const settings = await tx.orgSettings.update({ where: { orgId }, data: { createdAt: new Date(setupAt) } });
    const staff = await addDemoStaff(tx, orgId, { userId: created.userId, email: itemAt(emails, 0) }, emails, memberHashes, setupAt);

    const shop = demoShop({
      orgId,
      trackingNumber,
      forwardTo: DEMO_FORWARD_TO,
      settings,
      staff,
      dashboardBaseUrl: options.dashboardBaseUrl ?? DEFAULT_DEMO_DASHBOARD_URL,
      now,
      weekStart,
    });
    const leads = new DemoWeek(shop, dice).tell();
    const causes = leads.flatMap((lead) => lead.alertCauses);
    const alertsSince = alertsSetUpAt(causes, dice);

    await tx.lead.createMany({ data: leads.map((lead) => lead.row()) });
    await tx.callback.createMany({ data: leads.flatMap((lead) => lead.callbackRows()) });
    await tx.message.createMany({ data: leads.flatMap((lead) => lead.messages) });
    await tx.leadEvent.createMany({ data: leads.flatMap((lead) => lead.events) });
    await tx.leadRead.createMany({ data: leads.flatMap((lead) => lead.readRows()) });
    await tx.staffAlert.createMany({ data: staffAlertRows(shop, causes, alertsSince, dice) });

    const audits: AuditDraft[] = [
      ...invitationAudits(orgId, staff, setupAt),
      ...(alertsSince === null ? [] : staffAlertSetupAudits(orgId, staff, alertsSince)),
      ...leads.flatMap((lead) => lead.audits),
    ];
    await writeAuditsInOrder(tx, audits, setupAt);

    const owner = itemAt(staff, 0);
    return {
      orgId,
      ownerEmail: owner.email,
      ownerPassword: itemAt(passwords, 0),
      trackingNumber,
      forwardTo: DEMO_FORWARD_TO,
      leads: leads.length,
      signIns: staff.map((member, i) => ({ role: member.role, name: member.name, email: member.email, password: itemAt(passwords, i) })),
    };
  });
}

/** The audit chain is append-only: it is written in the order things happened. */
async function writeAuditsInOrder(tx: Tx, audits: AuditDraft[], setupAt: number): Promise<void> {
  audits.sort((a, b) => a.at - b.at);
  const auditClock = new ManualClock(new Date(setupAt));
  for (const audit of audits) {
    auditClock.set(new Date(audit.at));
    await recordAudit(tx, audit.actor, audit.input, auditClock);
  }
}

/** +15005550006, or the next free +1500555xxxx when a demo already holds it. */
async function freeTrackingNumber(tx: Tx): Promise<string> {
  const rows = await tx.trackingLine.findMany({ where: { number: { startsWith: '+1500555' } }, select: { number: true } });
  const taken = new Set(rows.map((row) => row.number));
  const first = Number(DEMO_TRACKING_NUMBER.slice(-4));
  for (let offset = 0; offset < 10_000; offset++) {
    const number = `+1500555${String((first + offset) % 10_000).padStart(4, '0')}`;
    if (number !== DEMO_FORWARD_TO && !taken.has(number)) return number;
  }
  throw new Error('no free +1500555xxxx tracking number left');
}
