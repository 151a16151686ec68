// The demo organization: a Chicago-area HVAC shop with a week of missed calls,
// text-backs, replies, callbacks and staff activity, written in one transaction.
//
// Everything about the history (times, callers, replies, outcomes) comes from a
// seeded PRNG so two runs tell the same story; passwords, ids and provider
// SIDs come from crypto, so seeding twice never collides.
import crypto from 'node:crypto';
import type { Database } from '../db/client';
import { inTransaction, type Tx } from '../db/types';
import type { Prisma } from '../generated/prisma/client';
import type { CallbackOutcome, CallbackStatus, LeadEventType, LeadStatus, Role } from '../generated/prisma/enums';
import { createOrganization } from '../organizations/organizations.service';
import { recordAudit, type AuditInput } from '../audit/audit.service';
import { hashPassword } from '../access/passwords';
import type { Actor } from '../shared/actor';
import { ManualClock, systemClock, type Clock } from '../shared/clock';
import { uuidv7At } from '../shared/ids';
import type { BusinessHours, Weekday } from '../settings/defaults';

export const DEMO_BUSINESS_NAME = 'Summit Heating & Air';
export const DEMO_TIMEZONE = 'America/Chicago';
export const DEMO_TRACKING_NUMBER = '+15005550006';
export const DEMO_FORWARD_TO = '+15005550001';
const DEMO_EMAIL_DOMAIN = 'summit-hvac.test';
const DEFAULT_SEED = 0x5eed_ca11;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
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
  random?: () => number;
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

const STAFF: readonly { role: Role; name: string; localPart: string }[] = [
  { role: 'OWNER', name: 'Dan Kowalski', localPart: 'owner' },
  { role: 'ADMIN', name: 'Priya Natarajan', localPart: 'admin' },
  { role: 'DISPATCHER', name: 'Jess Morales', localPart: 'dispatch' },
  { role: 'ANALYST', name: 'Tom Becker', localPart: 'analyst' },
];

export async function seedDemoOrganization(db: Database, options: SeedDemoOptions = {}): Promise<SeededDemo> {
  const clock = options.clock ?? systemClock;
  const random = options.random ?? mulberry32(DEFAULT_SEED);
  const now = clock.now();

  // Hash outside the transaction: argon2 is deliberately slow.
  const passwords = STAFF.map(() => generatePassword());
  const memberHashes = await Promise.all(passwords.slice(1).map((password) => hashPassword(password)));

  return inTransaction(db.prisma, async (tx) => {
    const emails = await freeStaffEmails(tx);
    const trackingNumber = await freeTrackingNumber(tx);
    const weekStart = new Date(now.getTime() - HISTORY_DAYS * DAY);
    // The shop signed up shortly before the week of history begins.
    const setupAt = new Date(weekStart.getTime() - 2 * DAY);
    const created = await createOrganization(
      tx,
      { label: 'callsnare demo' },
      {
        name: DEMO_BUSINESS_NAME,
        ownerEmail: emails[0]!,
        ownerPassword: passwords[0]!,
        ownerName: STAFF[0]!.name,
        timezone: DEMO_TIMEZONE,
        trackingLine: { number: trackingNumber, forwardTo: DEMO_FORWARD_TO },
      },
      new ManualClock(setupAt),
    );
    const orgId = created.orgId;

    const staff: StaffMember[] = [{ id: created.userId, email: emails[0]!, name: STAFF[0]!.name, role: 'OWNER' }];
    for (let i = 1; i < STAFF.length; i++) {
      staff.push({ id: uuidv7At(setupAt.getTime() + i * MINUTE), email: emails[i]!, name: STAFF[i]!.name, role: STAFF[i]!.role });
    }
    await backdateOrganization(tx, orgId, created.userId, setupAt);
    await tx.user.createMany({
      data: staff.slice(1).map((member, i) => ({
        id: member.id,
        email: member.email,
        name: member.name,
        passwordHash: memberHashes[i]!,
        createdAt: new Date(setupAt.getTime() + (i + 1) * MINUTE),
      })),
    });
    await tx.membership.createMany({
      data: staff.slice(1).map((member, i) => ({
        orgId,
        userId: member.id,
        role: member.role,
        invitedById: created.userId,
        createdAt: new Date(setupAt.getTime() + (i + 1) * MINUTE),
      })),
    });

    const settings = await tx.orgSettings.findUniqueOrThrow({ where: { orgId } });
    const story = new DemoStory(
      {
        orgId,
        trackingNumber,
        businessName: settings.businessName,
        timezone: settings.timezone,
        businessHours: settings.businessHours as unknown as BusinessHours,
        businessHoursTemplate: settings.businessHoursTemplate,
        afterHoursTemplate: settings.afterHoursTemplate,
        callbackSlaMinutes: settings.callbackSlaMinutes,
        ringTimeoutSeconds: settings.ringTimeoutSeconds,
        textBackCooldownMinutes: settings.textBackCooldownMinutes,
        staff,
        now,
        weekStart,
      },
      random,
    );
    const leads = story.tell();

    const owner = staff[0]!;
    const audits: AuditDraft[] = staff.slice(1).map((member, i) => ({
      at: new Date(setupAt.getTime() + (i + 1) * MINUTE),
      actor: userActor(orgId, owner),
      input: {
        action: 'member.invited',
        target: { type: 'User', id: member.id },
        changes: { email: { before: null, after: member.email }, role: { before: null, after: member.role } },
      },
    }));
    for (const lead of leads) audits.push(...lead.audits);

    await tx.lead.createMany({ data: leads.map((lead) => lead.row()) });
    await tx.callback.createMany({ data: leads.flatMap((lead) => lead.callbacks) });
    await tx.message.createMany({ data: leads.flatMap((lead) => lead.messages) });
    await tx.leadEvent.createMany({ data: leads.flatMap((lead) => lead.events) });

    // The audit chain is append-only: write it in the order things happened.
    audits.sort((a, b) => a.at.getTime() - b.at.getTime());
    const auditClock = new ManualClock(setupAt);
    for (const audit of audits) {
      auditClock.set(audit.at);
      await recordAudit(tx, audit.actor, audit.input, auditClock);
    }

    return {
      orgId,
      ownerEmail: owner.email,
      ownerPassword: passwords[0]!,
      trackingNumber,
      forwardTo: DEMO_FORWARD_TO,
      leads: leads.length,
      signIns: staff.map((member, i) => ({ role: member.role, name: member.name, email: member.email, password: passwords[i]! })),
    };
  });
}

// ---------------------------------------------------------------------------
// Setup helpers

/** owner@summit-hvac.test, …; when a demo already holds those, owner+2@…, owner+3@…. */
async function freeStaffEmails(tx: Tx): Promise<string[]> {
  for (let n = 1; n < 10_000; n++) {
    const candidates = STAFF.map((member) => `${member.localPart}${n === 1 ? '' : `+${n}`}@${DEMO_EMAIL_DOMAIN}`);
    const taken = await tx.user.count({ where: { email: { in: candidates } } });
    if (taken === 0) return candidates;
  }
  throw new Error('no free demo email addresses left');
}

/** +15005550006, or the next free +1500555xxxx when a demo already holds it. */
async function freeTrackingNumber(tx: Tx): Promise<string> {
  const rows = await tx.trackingLine.findMany({ where: { number: { startsWith: '+1500555' } }, select: { number: true } });
  const taken = new Set(rows.map((row) => row.number));
  const first = Number(DEMO_TRACKING_NUMBER.slice(-4));
  for (let suffix = first; suffix <= 9999; suffix++) {
    const number = `+1500555${String(suffix).padStart(4, '0')}`;
    if (number !== DEMO_FORWARD_TO && !taken.has(number)) return number;
  }
  for (let suffix = 0; suffix < first; suffix++) {
    const number = `+1500555${String(suffix).padStart(4, '0')}`;
    if (number !== DEMO_FORWARD_TO && !taken.has(number)) return number;
  }
  throw new Error('no free +1500555xxxx tracking number left');
}

/** The owner and settings existed before the week of history (org, line and audit take the clock). */
async function backdateOrganization(tx: Tx, orgId: string, ownerId: string, setupAt: Date): Promise<void> {
  await tx.orgSettings.update({ where: { orgId }, data: { createdAt: setupAt } });
  await tx.membership.updateMany({ where: { orgId, userId: ownerId }, data: { createdAt: setupAt } });
}

function generatePassword(): string {
  // 18 random bytes -> 24 base64url characters (144 bits).
  return crypto.randomBytes(18).toString('base64url');
}


function twilioSid(prefix: 'CA' | 'SM'): string {
  return prefix + crypto.randomBytes(16).toString('hex');
}

/** Small, fast, seedable PRNG (Mulberry32). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function userActor(orgId: string, member: StaffMember): Actor {
  return { type: 'USER', id: member.id, label: member.email, orgId, role: member.role, request: {} };
}

// ---------------------------------------------------------------------------
// The story

interface StaffMember {
  id: string;
  email: string;
  name: string;
  role: Role;
}

interface AuditDraft {
  at: Date;
  actor: Actor;
  input: AuditInput;
}

interface StoryContext {
  orgId: string;
  trackingNumber: string;
  businessName: string;
  timezone: string;
  businessHours: BusinessHours;
  businessHoursTemplate: string;
  afterHoursTemplate: string;
  callbackSlaMinutes: number;
  ringTimeoutSeconds: number;
  textBackCooldownMinutes: number;
  staff: StaffMember[];
  now: Date;
  weekStart: Date;
}

type Scenario =
  | 'booked'
  | 'bookedOnRingBack'
  | 'lost'
  | 'scheduled'
  | 'scheduledThenReassigned'
  | 'voicemailFollowUp'
  | 'overdue'
  | 'dueSoon'
  | 'optedOutLost'
  | 'optedOutBooked';

/** Every demo has these, so the dashboard shows each state at least once. */
const REQUIRED_SCENARIOS: readonly Scenario[] = [
  'dueSoon',
  'dueSoon',
  'overdue',
  'overdue',
  'overdue',
  'optedOutLost',
  'optedOutBooked',
  'bookedOnRingBack',
  'booked',
  'booked',
  'booked',
  'scheduled',
  'scheduledThenReassigned',
  'voicemailFollowUp',
  'lost',
];

const SCENARIO_WEIGHTS: readonly [Scenario, number][] = [
  ['booked', 30],
  ['lost', 18],
  ['scheduled', 14],
  ['voicemailFollowUp', 10],
  ['overdue', 8],
  ['bookedOnRingBack', 5],
];

const CALLER_NAMES = [
  'Dana Whitfield', 'Luis Ortega', 'Karen Schultz', 'Marcus Bell', 'Angela Nowak', 'Ray Thompson',
  'Heather Lindqvist', 'Tyrone Jackson', 'Beth Kowalczyk', 'Sam Patel', 'Gloria Reyes', 'Mike Brennan',
  'Jenny Olson', 'Carl Jorgensen', 'Aisha Ibrahim', 'Steve Mueller', 'Linda Park', 'Omar Haddad',
  'Paula Hernandez', 'Greg Sorensen', 'Tanya Williams', 'Frank DeLuca', 'Megan Hoffman', 'Kevin Tran',
  'Rosa Delgado', 'Bill Swanson', 'Nicole Jablonski', 'Derek Washington', 'Erin McCarthy', 'Hank Petersen',
  'Maya Chen', 'Joe Szymanski', 'Fatima Khan', 'Walt Lindgren', 'Brenda Moore', 'Victor Alvarez',
  'Sue Novak', 'Andre Robinson', 'Katie Brandt', 'Tom Nguyen', 'Irene Wojcik', 'Russ Halvorsen',
];

const COOLING_REPLIES = [
  'AC not cooling, can you come today?',
  "Upstairs is 84 degrees. AC is running but it's blowing warm air",
  "Outside unit is buzzing loud and the fan isn't spinning",
  'Water is leaking from the furnace closet when the AC runs',
  'AC keeps shutting off after a few minutes. Can someone come out tomorrow morning?',
  'Need a quote for a new AC, ours is about 20 years old',
];
const HEATING_REPLIES = [
  'Furnace not turning on, house is 58 degrees. Can you come today?',
  "No heat! Thermostat says heating but it's blowing cold air",
  "Furnace keeps clicking but won't light",
  'Smells like burning dust when the heat kicks on, is that normal?',
  'Need a furnace tune-up before it gets any colder',
  'Heat pump is covered in ice and the house is getting cold',
];
const ANY_SEASON_REPLIES = [
  'Looking to get a quote on a new system',
  'Thermostat screen is blank. Changed the batteries, still nothing',
  'Can you call me back after 3? At work until then',
  'Yes please call me back',
  'Do you do duct cleaning?',
  'Is there an extra charge for Saturday service?',
];
const CONFIRMATIONS = ['Yes that works, thank you!', 'Perfect, talk then', 'Sounds good 👍', 'That works. Side door is easier to find'];
const NOTES = [
  'Carrier unit, about 14 years old, still on R-22. Mention a replacement quote.',
  'Gate code 4471#. Dog in the backyard, customer will put him inside.',
  'Existing customer, on the maintenance plan: waive the diagnostic fee.',
  'Tech: Marcus. Bring a capacitor and contactor, sounds like a start issue.',
  'Rental property. Landlord approves repairs up to $400 without a call.',
  'Wants a heat pump estimate too. Priya to do the in-home quote.',
  'Elderly homeowner. Prioritize.',
  'Asked for the earliest window; put on the cancellation list.',
];
const BOOKED_NOTES = [
  'Booked a diagnostic, 8–10am window.',
  'Booked a same-day service call, tech ETA 2pm.',
  'Booked a maintenance visit.',
  'Booked an in-home estimate for a new system.',
  'Booked a no-cool call, first stop tomorrow.',
];

class DemoStory {
  private readonly usedPhones = new Set<string>();
  private readonly unusedNames: string[];
  private readonly replies: string[];

  constructor(
    private readonly ctx: StoryContext,
    private readonly random: () => number,
  ) {
    this.unusedNames = [...CALLER_NAMES];
    const month = Number(new Intl.DateTimeFormat('en-US', { timeZone: ctx.timezone, month: 'numeric' }).format(ctx.now));
    const seasonal = month >= 5 && month <= 9 ? COOLING_REPLIES : month >= 11 || month <= 3 ? HEATING_REPLIES : [...COOLING_REPLIES, ...HEATING_REPLIES];
    this.replies = [...seasonal, ...seasonal, ...ANY_SEASON_REPLIES];
  }

  tell(): LeadStory[] {
    const count = 25 + Math.floor(this.random() * 16);
    const scenarios = [...REQUIRED_SCENARIOS];
    while (scenarios.length < count) scenarios.push(this.weighted(SCENARIO_WEIGHTS));
    return scenarios.map((scenario) => this.lead(scenario));
  }

  /** One lead; re-drawn until its whole story fits before "now". */
  private lead(scenario: Scenario): LeadStory {
    const phone = this.newPhone();
    const name = this.newName();
    let story: LeadStory | null = null;
    for (let attempt = 0; attempt < 60; attempt++) {
      story = new LeadStory(this.ctx, this.random, phone, name);
      // Late attempts widen the recent-only windows so any "now" can be satisfied.
      this.play(story, scenario, attempt >= 30);
      if (story.lastAt.getTime() <= this.ctx.now.getTime()) return story;
    }
    // Only reachable with a hostile random source; an unfinished story is still coherent.
    return story!;
  }

  private play(s: LeadStory, scenario: Scenario, widen: boolean): void {
    const { now, weekStart } = this.ctx;
    const early = { from: weekStart.getTime(), to: now.getTime() - 3 * HOUR };
    // Callbacks still waiting on a future slot were arranged in the last couple of days.
    const recent = widen ? early : { from: Math.max(weekStart.getTime(), now.getTime() - 56 * HOUR), to: now.getTime() - 3 * HOUR };
    switch (scenario) {
      case 'booked': {
        let t = s.missedCall(this.callTime(early, false));
        if (this.chance(0.15)) t = s.repeatCall(t + this.minutes(2, 6));
        if (this.chance(0.8)) t = s.reply(t + this.minutes(1, 8), this.pick(this.replies));
        const by = this.staffer();
        t = this.staffTime(t + this.minutes(3, 40));
        if (this.chance(0.3)) t = s.staffMessage(t, by, `Hi, this is ${firstName(by)} at ${this.ctx.businessName}. Calling you now from our office line.`) + this.minutes(1, 3);
        t = s.completeCallback(t, by, 'BOOKED', this.pick(BOOKED_NOTES)) + this.seconds(20, 90);
        t = s.setStatus(t, by, 'BOOKED');
        if (this.chance(0.7)) t = s.rename(t + this.seconds(30, 120), by);
        if (this.chance(0.45)) s.note(t + this.minutes(1, 5), by, this.pick(NOTES));
        return;
      }
      case 'bookedOnRingBack': {
        let t = s.missedCall(this.callTime(early, true));
        if (this.chance(0.5)) t = s.reply(t + this.minutes(1, 5), this.pick(this.replies));
        const duration = Math.round(120 + this.random() * 300);
        t = s.answeredCall(this.staffTime(t + this.minutes(6, 30)), duration) + duration * 1000;
        const by = this.staffer();
        t = s.completeCallback(t + this.seconds(30, 240), by, 'BOOKED', 'Caller rang back and got through. Booked on the phone.');
        t = s.setStatus(t + this.seconds(10, 60), by, 'BOOKED');
        s.rename(t + this.seconds(20, 90), by);
        return;
      }
      case 'lost': {
        let t = s.missedCall(this.callTime(early, false));
        if (this.chance(0.6)) t = s.reply(t + this.minutes(1, 10), this.pick(this.replies));
        const by = this.staffer();
        t = this.staffTime(t + this.minutes(5, 60));
        const roll = this.random();
        if (roll < 0.3) {
          t = s.completeCallback(t, by, 'NO_ANSWER', 'No answer, voicemail box full.') + this.minutes(1, 3);
          t = s.staffMessage(t, by, `Sorry we missed you! This is ${firstName(by)} at ${this.ctx.businessName}. Reply here or call us back whenever works.`);
          const later = this.staffTime(t + this.minutes(24 * 60, 40 * 60));
          t = s.note(later, by, 'No response after a call and a text. Closing.');
          s.setStatus(t + this.seconds(10, 40), by, 'LOST');
        } else if (roll < 0.8) {
          const notes = this.pick(['Went with another company.', 'Price shopping; already had two quotes.', 'Fixed it themselves (tripped breaker).', 'Outside our service area (Kenosha).']);
          t = s.completeCallback(t, by, 'NOT_INTERESTED', notes) + this.seconds(15, 60);
          t = s.setStatus(t, by, 'LOST');
          if (this.chance(0.5)) s.rename(t + this.seconds(20, 60), by);
        } else {
          t = s.completeCallback(t, by, 'WRONG_NUMBER', 'Was trying to reach a plumber.') + this.seconds(15, 60);
          s.setStatus(t, by, 'LOST');
        }
        return;
      }
      case 'scheduled':
      case 'scheduledThenReassigned': {
        let t = s.missedCall(this.callTime(recent, false));
        t = s.reply(t + this.minutes(1, 8), this.pick(this.replies));
        const by = this.staffer();
        const assignee = this.chance(0.35) ? by : this.staffer();
        const scheduledFor = this.futureSlot();
        const who = assignee.id === by.id ? 'I' : firstName(assignee);
        t = this.staffTime(t + this.minutes(3, 30));
        t = s.staffMessage(
          t,
          by,
          `Hi, this is ${firstName(by)} with ${this.ctx.businessName}. ${who} can call you ${this.describeSlot(scheduledFor)} to go over it and get you on the schedule. Does that work?`,
        );
        t = s.reply(t + this.minutes(2, 25), this.pick(CONFIRMATIONS));
        t = this.staffTime(t + this.minutes(1, 15));
        t = s.setStatus(t, by, 'CONTACTED') + this.seconds(10, 40);
        if (this.chance(0.7)) t = s.rename(t, by) + this.seconds(10, 40);
        t = s.scheduleCallback(t, by, scheduledFor, assignee);
        if (scenario === 'scheduledThenReassigned' || this.chance(0.2)) {
          const other = this.ctx.staff.find((m) => m.role !== 'ANALYST' && m.id !== s.assigneeId()) ?? by;
          s.assignCallback(this.staffTime(t + this.minutes(20, 180)), by, other);
        }
        return;
      }
      case 'voicemailFollowUp': {
        let t = s.missedCall(this.callTime(recent, false));
        const by = this.staffer();
        t = this.staffTime(t + this.minutes(4, 45));
        t = s.completeCallback(t, by, 'LEFT_VOICEMAIL', 'Left a voicemail, will try again.') + this.seconds(15, 60);
        t = s.setStatus(t, by, 'CONTACTED') + this.seconds(10, 40);
        s.scheduleCallback(t, by, this.futureSlot(), this.staffer());
        return;
      }
      case 'overdue': {
        const window = { from: Math.max(weekStart.getTime(), now.getTime() - 40 * HOUR), to: now.getTime() - 25 * MINUTE };
        const start = this.callTime(window, false);
        let t = s.missedCall(start);
        if (this.chance(0.3)) t = s.repeatCall(t + this.minutes(2, 5));
        if (this.chance(0.6)) t = s.reply(t + this.minutes(1, 5), this.pick(this.replies));
        s.markOverdue(start + this.ctx.callbackSlaMinutes * MINUTE + this.seconds(30, 90));
        return;
      }
      case 'dueSoon': {
        const start = now.getTime() - this.minutes(1, Math.min(12, this.ctx.callbackSlaMinutes - 1));
        const t = s.missedCall(start);
        const room = now.getTime() - t;
        if (room > 60_000 && this.chance(0.6)) s.reply(t + 20_000 + Math.floor(this.random() * (room - 30_000)), this.pick(this.replies));
        return;
      }
      case 'optedOutLost': {
        let t = s.missedCall(this.callTime(early, false));
        t = s.optOut(t + this.minutes(1, 6));
        const by = this.staffer();
        t = this.staffTime(t + this.minutes(5, 60));
        t = s.completeCallback(t, by, 'NOT_INTERESTED', 'Texted STOP. Reached by phone: already has a contractor.') + this.seconds(15, 60);
        s.setStatus(t, by, 'LOST');
        return;
      }
      case 'optedOutBooked': {
        let t = s.missedCall(this.callTime(early, true));
        t = s.reply(t + this.minutes(1, 4), "Please just call me, I don't do texting");
        t = s.optOut(t + this.seconds(20, 90));
        const by = this.staffer();
        t = this.staffTime(t + this.minutes(4, 30));
        t = s.completeCallback(t, by, 'BOOKED', 'Prefers phone calls. Booked a furnace and AC checkup.') + this.seconds(15, 60);
        t = s.setStatus(t, by, 'BOOKED');
        t = s.rename(t + this.seconds(10, 40), by);
        s.note(t + this.seconds(20, 90), by, 'Opted out of texts. Phone calls only.');
        return;
      }
    }
  }

  // -- time --------------------------------------------------------------

  /** A call between 8am and 9pm shop time, mostly during business hours. */
  private callTime(window: { from: number; to: number }, businessHoursOnly: boolean): number {
    let candidate = window.from;
    for (let i = 0; i < 500; i++) {
      candidate = window.from + Math.floor(this.random() * Math.max(1, window.to - window.from));
      const local = localTime(candidate, this.ctx.timezone);
      if (local.minutes < 8 * 60 || local.minutes >= 21 * 60) continue;
      const open = isOpen(candidate, this.ctx);
      const weight = open ? 1 : businessHoursOnly ? 0 : 0.3;
      if (this.random() < weight) return candidate;
    }
    return candidate;
  }

  /** Staff act during business hours: anything later waits for the next opening. */
  private staffTime(at: number): number {
    if (isOpen(at, this.ctx)) return at;
    return nextOpening(at, this.ctx) + this.minutes(2, 25);
  }

  /** A callback slot on the hour, during business hours, 2–40 hours from now. */
  private futureSlot(): Date {
    let slot = Math.ceil((this.ctx.now.getTime() + this.minutes(2 * 60, 40 * 60)) / HOUR) * HOUR;
    while (!isOpen(slot, this.ctx)) slot = Math.ceil(nextOpening(slot, this.ctx) / HOUR) * HOUR;
    return new Date(slot);
  }

  private describeSlot(at: Date): string {
    return new Intl.DateTimeFormat('en-US', { timeZone: this.ctx.timezone, weekday: 'long', hour: 'numeric', minute: '2-digit' })
      .format(at)
      .replace(' ', ' at ')
      .replace(':00', '');
  }

  // -- randomness --------------------------------------------------------

  private minutes(min: number, max: number): number {
    return Math.round((min + this.random() * (max - min)) * MINUTE);
  }

  private seconds(min: number, max: number): number {
    return Math.round((min + this.random() * (max - min)) * 1000);
  }

  private chance(p: number): boolean {
    return this.random() < p;
  }

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)]!;
  }

  private weighted<T>(items: readonly [T, number][]): T {
    const total = items.reduce((sum, [, w]) => sum + w, 0);
    let roll = this.random() * total;
    for (const [item, w] of items) {
      roll -= w;
      if (roll < 0) return item;
    }
    return items[items.length - 1]![0];
  }

  /** Staff who act on leads: mostly the dispatcher; never the analyst (read-only role). */
  private staffer(): StaffMember {
    const role = this.weighted<Role>([
      ['DISPATCHER', 65],
      ['ADMIN', 20],
      ['OWNER', 15],
    ]);
    return this.ctx.staff.find((member) => member.role === role)!;
  }

  private newPhone(): string {
    for (;;) {
      const exchange = 200 + Math.floor(this.random() * 800);
      const line = Math.floor(this.random() * 10_000);
      const phone = `+1555${exchange}${String(line).padStart(4, '0')}`;
      if (!this.usedPhones.has(phone)) {
        this.usedPhones.add(phone);
        return phone;
      }
    }
  }

  private newName(): string {
    if (this.unusedNames.length === 0) return this.pick(CALLER_NAMES);
    return this.unusedNames.splice(Math.floor(this.random() * this.unusedNames.length), 1)[0]!;
  }
}

/** One caller's lead: its rows, built in the order things happened. */
class LeadStory {
  /** UUIDv7 of the first call, set when the story starts. */
  id = '';
  status: LeadStatus = 'NEW';
  name: string | null = null;
  optedOut = false;
  private optedOutAt: Date | null = null;
  readonly events: Prisma.LeadEventCreateManyInput[] = [];
  readonly messages: Prisma.MessageCreateManyInput[] = [];
  readonly callbacks: Prisma.CallbackCreateManyInput[] = [];
  readonly audits: AuditDraft[] = [];
  private firstAt: Date | null = null;
  lastAt: Date = new Date(0);

  constructor(
    private readonly ctx: StoryContext,
    private readonly random: () => number,
    readonly phone: string,
    /** The name staff will learn on the phone. */
    private readonly callerName: string,
  ) {}

  row(): Prisma.LeadCreateManyInput {
    const open = this.status === 'NEW' || this.status === 'CONTACTED';
    return {
      id: this.id,
      orgId: this.ctx.orgId,
      phone: this.phone,
      openPhone: open ? this.phone : null,
      name: this.name,
      status: this.status,
      optedOut: this.optedOut,
      optedOutAt: this.optedOutAt,
      createdAt: this.firstAt ?? this.lastAt,
      updatedAt: this.lastAt,
      lastActivityAt: this.lastAt,
    };
  }

  /** dial-status no-answer/busy: CALL_MISSED, a text-back and a callback due within the SLA. */
  missedCall(at: number): number {
    if (!this.id) this.id = uuidv7At(at);
    const callSid = twilioSid('CA');
    const dialStatus = this.random() < 0.8 ? 'no-answer' : 'busy';
    const ringSeconds = dialStatus === 'busy' ? Math.floor(this.random() * 4) : this.ctx.ringTimeoutSeconds;
    this.event(at, 'CALL_MISSED', 'PROVIDER', { callSid, from: this.phone, to: this.ctx.trackingNumber, ringSeconds, dialStatus }, `call_missed:${callSid}`);
    const messageId = uuidv7At(at + 300);
    const afterHours = !isOpen(at, this.ctx);
    const body = renderTemplate(afterHours ? this.ctx.afterHoursTemplate : this.ctx.businessHoursTemplate, {
      businessName: this.ctx.businessName,
      callerFirstName: '',
      callbackEta: afterHours ? 'first thing when we open' : `within ${this.ctx.callbackSlaMinutes} minutes`,
    });
    this.event(at + 300, 'TEXT_BACK_QUEUED', 'SYSTEM', { messageId, callSid, template: afterHours ? 'after_hours' : 'business_hours' });
    const callbackId = uuidv7At(at + 350);
    const dueAt = new Date(at + this.ctx.callbackSlaMinutes * MINUTE);
    this.callbacks.push({
      id: callbackId,
      orgId: this.ctx.orgId,
      leadId: this.id,
      openLeadId: this.id,
      status: 'OPEN',
      dueAt,
      createdAt: new Date(at + 350),
      updatedAt: new Date(at + 350),
    });
    this.event(at + 350, 'CALLBACK_OPENED', 'SYSTEM', { callbackId, dueAt: dueAt.toISOString() });
    const sentAt = at + 1500 + Math.floor(this.random() * 4000);
    const deliveredAt = sentAt + 1500 + Math.floor(this.random() * 6000);
    const providerSid = twilioSid('SM');
    this.messages.push({
      id: messageId,
      orgId: this.ctx.orgId,
      leadId: this.id,
      direction: 'OUTBOUND',
      kind: 'TEXT_BACK',
      body,
      status: 'DELIVERED',
      fromPhone: this.ctx.trackingNumber,
      toPhone: this.phone,
      providerSid,
      idempotencyKey: `textback:${callSid}`,
      attempts: 1,
      sentAt: new Date(sentAt),
      deliveredAt: new Date(deliveredAt),
      createdAt: new Date(at + 300),
      updatedAt: new Date(deliveredAt),
    });
    return this.event(sentAt, 'TEXT_BACK_SENT', 'SYSTEM', { messageId, providerSid });
  }

  /** The same caller again within the cooldown: a second CALL_MISSED, no second text. */
  repeatCall(at: number): number {
    const callSid = twilioSid('CA');
    this.event(at, 'CALL_MISSED', 'PROVIDER', { callSid, from: this.phone, to: this.ctx.trackingNumber, ringSeconds: this.ctx.ringTimeoutSeconds, dialStatus: 'no-answer' }, `call_missed:${callSid}`);
    return this.event(at + 300, 'TEXT_BACK_SKIPPED', 'SYSTEM', { callSid, reason: 'cooldown', cooldownMinutes: this.ctx.textBackCooldownMinutes });
  }

  answeredCall(at: number, durationSeconds: number): number {
    const callSid = twilioSid('CA');
    return this.event(at, 'CALL_ANSWERED', 'PROVIDER', { callSid, from: this.phone, to: this.ctx.trackingNumber, durationSeconds }, `call_answered:${callSid}`);
  }

  reply(at: number, body: string): number {
    const messageId = uuidv7At(at);
    const messageSid = twilioSid('SM');
    this.messages.push({
      id: messageId,
      orgId: this.ctx.orgId,
      leadId: this.id,
      direction: 'INBOUND',
      kind: 'INBOUND',
      body,
      status: 'RECEIVED',
      fromPhone: this.phone,
      toPhone: this.ctx.trackingNumber,
      providerSid: messageSid,
      createdAt: new Date(at),
      updatedAt: new Date(at),
    });
    return this.event(at, 'MESSAGE_RECEIVED', 'PROVIDER', { messageId, messageSid, body }, `sms:${messageSid}`);
  }

  optOut(at: number): number {
    const t = this.reply(at, 'STOP');
    const messageId = this.messages[this.messages.length - 1]!.id!;
    this.optedOut = true;
    this.optedOutAt = new Date(t + 50);
    this.audit(t + 50, { type: 'PROVIDER', id: 'twilio', label: 'Twilio', orgId: this.ctx.orgId, request: {} }, {
      action: 'lead.opted_out',
      target: { type: 'Lead', id: this.id },
      changes: { optedOut: { before: false, after: true }, keyword: { before: null, after: 'STOP' } },
    });
    return this.event(t + 50, 'OPTED_OUT', 'PROVIDER', { messageId, keyword: 'STOP' });
  }

  staffMessage(at: number, by: StaffMember, body: string): number {
    const messageId = uuidv7At(at);
    const sentAt = at + 800 + Math.floor(this.random() * 2000);
    const deliveredAt = sentAt + 1500 + Math.floor(this.random() * 5000);
    this.messages.push({
      id: messageId,
      orgId: this.ctx.orgId,
      leadId: this.id,
      direction: 'OUTBOUND',
      kind: 'STAFF_REPLY',
      body,
      status: 'DELIVERED',
      fromPhone: this.ctx.trackingNumber,
      toPhone: this.phone,
      providerSid: twilioSid('SM'),
      sentById: by.id,
      attempts: 1,
      sentAt: new Date(sentAt),
      deliveredAt: new Date(deliveredAt),
      createdAt: new Date(at),
      updatedAt: new Date(deliveredAt),
    });
    this.audit(at, userActor(this.ctx.orgId, by), {
      action: 'message.sent',
      target: { type: 'Message', id: messageId },
      changes: { leadId: { before: null, after: this.id }, toPhone: { before: null, after: this.phone }, body: { before: null, after: body } },
    });
    return this.event(at, 'MESSAGE_SENT', by, { messageId, body });
  }

  note(at: number, by: StaffMember, body: string): number {
    this.audit(at, userActor(this.ctx.orgId, by), {
      action: 'lead.note_added',
      target: { type: 'Lead', id: this.id },
      changes: { note: { before: null, after: body } },
    });
    return this.event(at, 'NOTE_ADDED', by, { body });
  }

  setStatus(at: number, by: StaffMember, to: LeadStatus): number {
    const from = this.status;
    this.status = to;
    this.audit(at, userActor(this.ctx.orgId, by), {
      action: 'lead.updated',
      target: { type: 'Lead', id: this.id },
      changes: { status: { before: from, after: to } },
    });
    return this.event(at, 'STATUS_CHANGED', by, { from, to });
  }

  /** Staff learned the caller's name on the phone. */
  rename(at: number, by: StaffMember): number {
    const before = this.name;
    this.name = this.callerName;
    const changes = { name: { before, after: this.name } };
    this.audit(at, userActor(this.ctx.orgId, by), { action: 'lead.updated', target: { type: 'Lead', id: this.id }, changes });
    return this.event(at, 'LEAD_UPDATED', by, { changes });
  }

  completeCallback(at: number, by: StaffMember, outcome: CallbackOutcome, notes: string): number {
    const callback = this.openCallback();
    const before = callback.status as CallbackStatus;
    Object.assign(callback, {
      status: 'COMPLETED',
      openLeadId: null,
      outcome,
      notes,
      completedAt: new Date(at),
      completedById: by.id,
      updatedAt: new Date(at),
    } satisfies Partial<Prisma.CallbackCreateManyInput>);
    this.audit(at, userActor(this.ctx.orgId, by), {
      action: 'callback.completed',
      target: { type: 'Callback', id: callback.id! },
      changes: { status: { before, after: 'COMPLETED' }, outcome: { before: null, after: outcome }, notes: { before: null, after: notes } },
    });
    return this.event(at, 'CALLBACK_COMPLETED', by, { callbackId: callback.id, outcome, notes });
  }

  /** Converts the open callback to SCHEDULED, or opens a new one when none is open. */
  scheduleCallback(at: number, by: StaffMember, scheduledFor: Date, assignee: StaffMember): number {
    let callback = this.callbacks.find((c) => c.status === 'OPEN' || c.status === 'SCHEDULED');
    const before = callback ? { status: callback.status ?? null, assigneeId: callback.assigneeId ?? null } : { status: null, assigneeId: null };
    if (callback) {
      Object.assign(callback, { status: 'SCHEDULED', scheduledFor, assigneeId: assignee.id, updatedAt: new Date(at) });
    } else {
      callback = {
        id: uuidv7At(at),
        orgId: this.ctx.orgId,
        leadId: this.id,
        openLeadId: this.id,
        status: 'SCHEDULED',
        dueAt: scheduledFor,
        scheduledFor,
        assigneeId: assignee.id,
        createdAt: new Date(at),
        updatedAt: new Date(at),
      };
      this.callbacks.push(callback);
    }
    this.audit(at, userActor(this.ctx.orgId, by), {
      action: 'callback.scheduled',
      target: { type: 'Callback', id: callback.id! },
      changes: {
        status: { before: before.status, after: 'SCHEDULED' },
        scheduledFor: { before: null, after: scheduledFor.toISOString() },
        assigneeId: { before: before.assigneeId, after: assignee.id },
      },
    });
    return this.event(at, 'CALLBACK_SCHEDULED', by, { callbackId: callback.id, scheduledFor: scheduledFor.toISOString(), assigneeId: assignee.id, assigneeLabel: assignee.email });
  }

  assignCallback(at: number, by: StaffMember, assignee: StaffMember): number {
    const callback = this.openCallback();
    const before = callback.assigneeId ?? null;
    Object.assign(callback, { assigneeId: assignee.id, updatedAt: new Date(at) });
    this.audit(at, userActor(this.ctx.orgId, by), {
      action: 'callback.assigned',
      target: { type: 'Callback', id: callback.id! },
      changes: { assigneeId: { before, after: assignee.id } },
    });
    return this.event(at, 'CALLBACK_ASSIGNED', by, { callbackId: callback.id, assigneeId: assignee.id, assigneeLabel: assignee.email });
  }

  /** The escalation ran: raised once, only if it has happened by now. */
  markOverdue(at: number): void {
    if (at > this.ctx.now.getTime()) return;
    const callback = this.openCallback();
    Object.assign(callback, { overdueAt: new Date(at), updatedAt: new Date(at) });
    this.event(at, 'CALLBACK_OVERDUE', 'SYSTEM', { callbackId: callback.id, dueAt: (callback.dueAt as Date).toISOString() });
  }

  assigneeId(): string | null {
    return this.callbacks.find((c) => c.status === 'OPEN' || c.status === 'SCHEDULED')?.assigneeId ?? null;
  }

  private openCallback(): Prisma.CallbackCreateManyInput {
    const callback = this.callbacks.find((c) => c.status === 'OPEN' || c.status === 'SCHEDULED');
    if (!callback) throw new Error('demo story bug: no open callback');
    return callback;
  }

  /** Appends an event, keeping this lead's events strictly ordered in time; returns its time. */
  private event(at: number, type: LeadEventType, by: 'PROVIDER' | 'SYSTEM' | StaffMember, data: Record<string, unknown>, providerRef: string | null = null): number {
    const time = Math.max(Math.round(at), this.lastAt.getTime() + 1);
    const actor =
      by === 'PROVIDER'
        ? { actorType: 'PROVIDER' as const, actorId: null, actorLabel: 'Twilio' }
        : by === 'SYSTEM'
          ? { actorType: 'SYSTEM' as const, actorId: null, actorLabel: 'CallSnare' }
          : { actorType: 'USER' as const, actorId: by.id, actorLabel: by.email };
    this.events.push({
      id: uuidv7At(time),
      orgId: this.ctx.orgId,
      leadId: this.id,
      type,
      data: data as Prisma.InputJsonObject,
      ...actor,
      providerRef,
      createdAt: new Date(time),
    });
    this.firstAt ??= new Date(time);
    this.lastAt = new Date(time);
    return time;
  }

  private audit(at: number, actor: Actor, input: AuditInput): void {
    this.audits.push({ at: new Date(Math.round(at)), actor, input });
  }
}

// ---------------------------------------------------------------------------
// Shop time

const weekdayFormatters = new Map<string, Intl.DateTimeFormat>();

function localTime(at: number, timeZone: string): { weekday: Weekday; minutes: number } {
  let formatter = weekdayFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    weekdayFormatters.set(timeZone, formatter);
  }
  const parts = formatter.formatToParts(at);
  const get = (type: string) => parts.find((part) => part.type === type)?.value ?? '0';
  return { weekday: get('weekday').slice(0, 3).toLowerCase() as Weekday, minutes: Number(get('hour')) * 60 + Number(get('minute')) };
}

function isOpen(at: number, ctx: Pick<StoryContext, 'timezone' | 'businessHours'>): boolean {
  const { weekday, minutes } = localTime(at, ctx.timezone);
  return (ctx.businessHours[weekday] ?? []).some((range) => minutes >= clockMinutes(range.start) && minutes < clockMinutes(range.end));
}

/** The first 5-minute mark at which the shop is open, within a week. */
function nextOpening(at: number, ctx: Pick<StoryContext, 'timezone' | 'businessHours'>): number {
  const step = 5 * MINUTE;
  let t = Math.ceil(at / step) * step;
  for (let i = 0; i < (7 * DAY) / step; i++, t += step) if (isOpen(t, ctx)) return t;
  return at;
}

function clockMinutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

function renderTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (match, key: string) => values[key] ?? match);
}

function firstName(member: StaffMember): string {
  return member.name.split(' ')[0]!;
}
