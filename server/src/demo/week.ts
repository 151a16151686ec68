// The demo week: which callers rang, when, and what the shop did about it.
// Most callbacks happen on time (callbacks for after-hours calls come due at
// the next opening), a few are late and show red, some callers are on their
// second attempt after an unanswered call, and some texts still wait for an
// answer. Each lead plays one scenario; a draw that does not end the way the
// scenario means to by "now" is drawn again.
import type { Role } from '../generated/prisma/enums';
import { itemAt, type Dice } from './random';
import { LeadStory } from './lead-story';
import { duringHours, isOpen, localMinutes, localMonth, nextAttemptDueEstimate, openingAfter, type DemoShop, type StaffMember } from './shop';
import {
  BOOKED_NOTES,
  CALLER_NAMES,
  CONFIRMATIONS,
  emergencyRepliesFor,
  FOLLOW_UP_QUESTIONS,
  LOST_REASONS,
  NOTES,
  repliesFor,
  staffTexts,
  VOICEMAIL_ANSWERS,
} from './conversations';
import { firstName } from './staff';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Share of callbacks made after they were due (they show red until done). */
const LATE_CALLBACK_SHARE = 0.08;
const DRAWS_PER_LEAD = 40;

type Scenario =
  | 'booked'
  | 'bookedOnRingBack'
  | 'nightEmergency'
  | 'lost'
  | 'scheduled'
  | 'scheduledThenReassigned'
  | 'questionWhileScheduled'
  | 'retrying'
  | 'voicemailAnswered'
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
  'retrying',
  'retrying',
  'voicemailAnswered',
  'questionWhileScheduled',
  'nightEmergency',
  'optedOutLost',
  'optedOutBooked',
  'bookedOnRingBack',
  'booked',
  'booked',
  'booked',
  'scheduled',
  'scheduledThenReassigned',
  'lost',
];

const SCENARIO_WEIGHTS: readonly (readonly [Scenario, number])[] = [
  ['booked', 30],
  ['lost', 16],
  ['scheduled', 12],
  ['retrying', 6],
  ['overdue', 5],
  ['bookedOnRingBack', 5],
  ['nightEmergency', 4],
  ['questionWhileScheduled', 4],
  ['voicemailAnswered', 3],
];

interface Window {
  from: number;
  to: number;
}

export class DemoWeek {
  private readonly usedPhones = new Set<string>();
  private readonly unusedNames = [...CALLER_NAMES];
  private readonly replies: string[];
  private readonly emergencies: string[];

  constructor(
    private readonly shop: DemoShop,
    private readonly dice: Dice,
  ) {
    const month = localMonth(shop, shop.now);
    this.replies = repliesFor(month);
    this.emergencies = emergencyRepliesFor(month);
  }

  tell(): LeadStory[] {
    const count = 25 + Math.floor(this.dice.random() * 16);
    const scenarios = [...REQUIRED_SCENARIOS];
    while (scenarios.length < count) scenarios.push(this.dice.weighted(SCENARIO_WEIGHTS));
    return scenarios.map((scenario) => this.lead(scenario));
  }

  /** One lead; drawn again until its story ends as the scenario means to, by "now". */
  private lead(scenario: Scenario): LeadStory {
    const phone = this.newPhone();
    const name = this.newName();
    for (let draw = 0; draw < DRAWS_PER_LEAD; draw++) {
      const story = new LeadStory(this.shop, this.dice, phone, name);
      // Later draws widen the recent-only windows so any "now" can be satisfied.
      const ends = this.play(story, scenario, draw >= DRAWS_PER_LEAD / 2);
      story.settle();
      if (story.lastAt <= this.shop.now && ends(story)) return story;
    }
    // A "now" no draw fits (a shop closed for days, say): a call minutes ago always does.
    const story = new LeadStory(this.shop, this.dice, phone, name);
    this.play(story, 'dueSoon', true);
    story.settle();
    return story;
  }

  /** Plays the scenario; returns how its story must end. */
  private play(s: LeadStory, scenario: Scenario, widen: boolean): (s: LeadStory) => boolean {
    const d = this.dice;
    const { now, weekStart } = this.shop;
    const closed = (story: LeadStory) => !story.isOpen;
    const waiting = (story: LeadStory) => (story.openCallback()?.dueAt ?? 0) > now;
    const week: Window = { from: weekStart, to: now - 3 * HOUR };
    // Callbacks still waiting on a future time were arranged in the last couple of days.
    const recent: Window = widen ? week : { from: Math.max(weekStart, now - 56 * HOUR), to: now - 3 * HOUR };

    switch (scenario) {
      case 'booked': {
        let t = s.missedCall(this.callTime(week, 'any'));
        if (d.chance(0.15)) t = s.missedCall(t + d.minutes(2, 6));
        if (d.chance(0.75)) t = this.maybeReply(s, t + d.minutes(1, 8));
        const by = this.staffer();
        t = this.callbackTime(s, t + d.minutes(1, 4));
        if (d.chance(0.3)) t = s.staffMessage(t, by, staffTexts.callingNow(firstName(by), this.businessName)) + d.minutes(1, 3);
        t = s.completeCallback(t, by, 'BOOKED', d.pick(BOOKED_NOTES));
        if (d.chance(0.7)) t = s.rename(t + d.seconds(30, 120), by);
        if (d.chance(0.45)) s.note(t + d.minutes(1, 5), by, d.pick(NOTES));
        return closed;
      }
      case 'bookedOnRingBack': {
        let t = s.missedCall(this.callTime(week, 'open'));
        if (d.chance(0.5)) t = this.maybeReply(s, t + d.minutes(1, 4));
        // The caller rang again before staff got to the callback, and got through.
        const dueAt = s.requireOpenCallback().dueAt;
        const duration = Math.round(120 + d.random() * 240);
        t = s.answeredCall(d.between(t + 2 * MINUTE, Math.max(t + 2 * MINUTE + 1, dueAt - 11 * MINUTE)), duration) + duration * 1000;
        const by = this.staffer();
        t = s.completeCallback(t + d.seconds(30, 120), by, 'BOOKED', 'Caller rang back and got through. Booked on the phone.');
        s.rename(t + d.seconds(20, 90), by);
        return closed;
      }
      case 'nightEmergency': {
        // The text-back waits for the end of quiet hours; the caller answers it when it arrives.
        let t = s.missedCall(this.callTime(week, 'night'));
        t = s.reply((s.textBackLeavesAt() ?? t) + d.minutes(1, 8), d.pick(this.emergencies));
        const by = this.staffer();
        t = s.completeCallback(this.callbackTime(s, t + d.minutes(1, 3)), by, 'BOOKED', 'Emergency call: first stop of the day.');
        s.rename(t + d.seconds(20, 90), by);
        return closed;
      }
      case 'lost': {
        let t = s.missedCall(this.callTime(week, 'any'));
        if (d.chance(0.6)) t = this.maybeReply(s, t + d.minutes(1, 10));
        const by = this.staffer();
        t = this.callbackTime(s, t + d.minutes(1, 4));
        const roll = d.random();
        if (roll < 0.3) {
          // Nobody picks up, on every attempt of the cadence; then staff must decide.
          t = s.completeCallback(t, by, 'NO_ANSWER', 'No answer, voicemail box full.') + d.minutes(1, 3);
          t = s.staffMessage(t, by, staffTexts.sorryWeMissedYou(firstName(by), this.businessName));
          t = this.tryUntilDecision(s);
          const decider = this.staffer();
          t = s.note(this.staffTime(t + d.minutes(18 * 60, 30 * 60)), decider, 'No answer after every callback attempt and a text. Closing.');
          s.setStatus(t + d.seconds(10, 40), decider, 'LOST');
        } else if (roll < 0.8) {
          t = s.completeCallback(t, by, 'NOT_INTERESTED', d.pick(LOST_REASONS));
          if (d.chance(0.5)) s.rename(t + d.seconds(20, 60), by);
        } else {
          s.completeCallback(t, by, 'WRONG_NUMBER', 'Was trying to reach a plumber.');
        }
        return closed;
      }
      case 'scheduled':
      case 'scheduledThenReassigned':
      case 'questionWhileScheduled': {
        let t = s.missedCall(this.callTime(recent, 'any'));
        t = s.reply(t + d.minutes(1, 8), d.pick(this.replies));
        const by = this.staffer();
        const assignee = d.chance(0.35) ? by : this.staffer();
        const slot = this.futureSlot();
        const who = assignee.userId === by.userId ? 'I' : firstName(assignee);
        // Offered early enough to agree the time before the callback is due.
        const offerAt = this.callbackTime(s, t + d.minutes(1, 3), 8 * MINUTE);
        t = s.staffMessage(offerAt, by, staffTexts.offerSlot(firstName(by), this.businessName, who, this.describeSlot(slot)));
        t = s.reply(t + d.minutes(1, 3), d.pick(CONFIRMATIONS));
        t = s.scheduleCallback(this.staffTime(t + d.seconds(30, 120)), by, slot, assignee);
        t = s.staffMessage(t + d.seconds(20, 60), by, staffTexts.confirmSlot(who === 'I' ? "I'll" : `${who} will`, this.describeSlot(slot)));
        if (d.chance(0.7)) t = s.rename(t + d.seconds(10, 40), by);
        if (scenario === 'scheduledThenReassigned' || (scenario === 'scheduled' && d.chance(0.2))) {
          const other = this.shop.staff.find((member) => member.role !== 'ANALYST' && member.userId !== assignee.userId) ?? by;
          t = s.assignCallback(this.staffTime(t + d.minutes(20, 180)), by, other);
        }
        if (scenario === 'questionWhileScheduled') {
          // The caller writes again (in the day, shop time); nobody has answered yet.
          s.reply(this.callTime({ from: Math.max(t + 10 * MINUTE, now - 20 * HOUR), to: now - MINUTE }, 'any'), d.pick(FOLLOW_UP_QUESTIONS));
          return (story) => story.needsReply && waiting(story);
        }
        return waiting;
      }
      case 'retrying':
      case 'voicemailAnswered': {
        // Attempt 1 went unanswered recently enough that attempt 2, on the cadence, is still ahead.
        const answered = scenario === 'voicemailAnswered';
        const attemptOneAt = this.unansweredAttemptTime(answered ? 20 * MINUTE : 5 * MINUTE);
        if (attemptOneAt === null) return () => false;
        let t = s.missedCall(attemptOneAt - d.minutes(4, 13));
        if (d.chance(0.4)) t = this.maybeReply(s, d.between(t + MINUTE, attemptOneAt - 30_000));
        const by = this.staffer();
        const outcome = answered || d.chance(0.5) ? 'LEFT_VOICEMAIL' : 'NO_ANSWER';
        t = s.completeCallback(attemptOneAt, by, outcome, outcome === 'NO_ANSWER' ? 'No answer.' : 'Left a voicemail, will try again.');
        if (outcome === 'NO_ANSWER' && t + 4 * MINUTE < now && d.chance(0.5)) {
          t = s.staffMessage(t + d.minutes(1, 3), by, staffTexts.sorryWeMissedYou(firstName(by), this.businessName));
        }
        if (answered) {
          s.reply(this.callTime({ from: t + 5 * MINUTE, to: now - MINUTE }, 'any'), d.pick(VOICEMAIL_ANSWERS));
          return (story) => story.needsReply && waiting(story) && story.requireOpenCallback().attempt >= 2;
        }
        return (story) => waiting(story) && story.requireOpenCallback().attempt >= 2;
      }
      case 'overdue': {
        const window = widen ? week : { from: Math.max(weekStart, now - 26 * HOUR), to: now - 25 * MINUTE };
        let t = s.missedCall(this.callTime(window, 'any'));
        if (d.chance(0.3)) t = s.missedCall(t + d.minutes(2, 5));
        if (d.chance(0.6)) this.maybeReply(s, t + d.minutes(1, 5));
        return (story) => story.callbackOverdue;
      }
      case 'dueSoon': {
        const t = s.missedCall(now - d.minutes(1, Math.min(12, this.shop.settings.callbackSlaMinutes - 1)));
        const room = now - t;
        if (room > MINUTE && d.chance(0.6)) this.maybeReply(s, t + 20_000 + Math.floor(d.random() * (room - 30_000)));
        return waiting;
      }
      case 'optedOutLost': {
        let t = s.missedCall(this.callTime(week, 'any'));
        t = s.optOut(t + d.minutes(1, 6));
        const by = this.staffer();
        s.completeCallback(this.callbackTime(s, t + d.minutes(1, 4)), by, 'NOT_INTERESTED', 'Texted STOP. Reached by phone: already has a contractor.');
        return closed;
      }
      case 'optedOutBooked': {
        let t = s.missedCall(this.callTime(week, 'open'));
        t = s.reply(t + d.minutes(1, 4), "Please just call me, I don't do texting");
        t = s.optOut(t + d.seconds(20, 90));
        const by = this.staffer();
        t = s.completeCallback(this.callbackTime(s, t + d.minutes(1, 3)), by, 'BOOKED', 'Prefers phone calls. Booked a furnace and AC checkup.');
        t = s.rename(t + d.seconds(10, 40), by);
        s.note(t + d.seconds(20, 90), by, 'Opted out of texts. Phone calls only.');
        return closed;
      }
    }
  }

  /**
   * A time staff could have made an unanswered first call (in business hours,
   * at least `gap` before now) whose next attempt, on the cadence, is not due
   * yet: picked among the latest such minutes. Null when the week has none.
   */
  private unansweredAttemptTime(gap: number): number | null {
    const candidates: number[] = [];
    const { now, weekStart } = this.shop;
    for (let minute = Math.floor((now - gap) / MINUTE) - 1; minute * MINUTE > weekStart + 2 * HOUR && candidates.length < 90; minute--) {
      const at = minute * MINUTE;
      if (!isOpen(this.shop, at)) continue;
      const dueAt = nextAttemptDueEstimate(this.shop, at, 1);
      if (dueAt !== null && dueAt > now) candidates.push(at);
    }
    return candidates.length === 0 ? null : this.dice.pick(candidates) + this.dice.seconds(0, 59);
  }

  /** The caller texts back about their problem, if the text-back has reached them by then (not during quiet hours). */
  private maybeReply(s: LeadStory, at: number): number {
    const textBackAt = s.textBackLeavesAt();
    return textBackAt !== null && textBackAt >= at ? s.lastAt : s.reply(at, this.dice.pick(this.replies));
  }

  /** Completes each remaining attempt unanswered, at its time, until the cadence runs out. */
  private tryUntilDecision(s: LeadStory): number {
    let t = s.lastAt;
    for (let callback = s.openCallback(); callback && s.isOpen; callback = s.openCallback()) {
      const at = this.staffTime(Math.max(t + MINUTE, (callback.scheduledFor ?? t) + this.dice.minutes(1, 12)));
      const last = this.shop.settings.callbackRetryMinutes.length < callback.attempt;
      t = s.completeCallback(at, this.staffer(), last ? 'LEFT_VOICEMAIL' : 'NO_ANSWER', last ? 'Left a voicemail.' : 'Still no answer.');
      if (s.needsDecision) break;
    }
    return t;
  }

  // -- time ---------------------------------------------------------------

  /**
   * A call in the window: 'open' during business hours; 'any' between 8am
   * and 9pm shop time, mostly during business hours; 'night' between 9:30pm
   * and 6am (emergencies).
   */
  private callTime(window: Window, when: 'open' | 'any' | 'night'): number {
    let candidate = window.from;
    for (let i = 0; i < 500; i++) {
      candidate = this.dice.between(window.from, window.to);
      const minutes = localMinutes(this.shop, candidate);
      const open = isOpen(this.shop, candidate);
      if (when === 'night') {
        if (minutes >= 21 * 60 + 30 || minutes < 6 * 60) return candidate;
        continue;
      }
      if (minutes < 8 * 60 || minutes >= 21 * 60) continue;
      const weight = open ? 1 : when === 'open' ? 0 : 0.3;
      if (this.dice.random() < weight) return candidate;
    }
    return candidate;
  }

  /** Staff act during business hours: anything later waits for the next opening. */
  private staffTime(at: number): number {
    return isOpen(this.shop, at) ? at : openingAfter(this.shop, at) + this.dice.minutes(2, 12);
  }

  /**
   * When staff get to the open callback: mostly at least `room` before it is
   * due, now and then late (it shows red until then).
   */
  private callbackTime(s: LeadStory, earliest: number, room = 30_000): number {
    const dueAt = s.openCallback()?.dueAt ?? earliest;
    const from = this.staffTime(earliest);
    if (from >= dueAt - room - MINUTE || this.dice.chance(LATE_CALLBACK_SHARE)) return this.staffTime(Math.max(from, dueAt + this.dice.minutes(4, 45)));
    return this.dice.between(from, dueAt - room);
  }

  /** A callback time on the hour, during business hours, 2–40 hours from now. */
  private futureSlot(): number {
    let slot = Math.ceil((this.shop.now + this.dice.minutes(2 * 60, 40 * 60)) / HOUR) * HOUR;
    while (!isOpen(this.shop, slot)) slot = Math.ceil(duringHours(this.shop, slot) / HOUR) * HOUR;
    return slot;
  }

  private describeSlot(at: number): string {
    return new Intl.DateTimeFormat('en-US', { timeZone: this.shop.settings.timezone, weekday: 'long', hour: 'numeric', minute: '2-digit' })
      .format(at)
      .replace(' ', ' at ')
      .replace(':00', '');
  }

  // -- people -------------------------------------------------------------

  private get businessName(): string {
    return this.shop.settings.businessName;
  }

  /** Staff who act on leads: mostly the dispatchers; never the analyst (read-only role). */
  private staffer(): StaffMember {
    const role = this.dice.weighted<Role>([
      ['DISPATCHER', 65],
      ['ADMIN', 20],
      ['OWNER', 15],
    ]);
    return this.dice.pick(this.shop.staff.filter((member) => member.role === role));
  }

  private newPhone(): string {
    for (;;) {
      const exchange = 200 + Math.floor(this.dice.random() * 800);
      const line = Math.floor(this.dice.random() * 10_000);
      const phone = `+1555${exchange}${String(line).padStart(4, '0')}`;
      if (!this.usedPhones.has(phone)) {
        this.usedPhones.add(phone);
        return phone;
      }
    }
  }

  private newName(): string {
    if (this.unusedNames.length === 0) return this.dice.pick(CALLER_NAMES);
    return itemAt(this.unusedNames.splice(Math.floor(this.dice.random() * this.unusedNames.length), 1), 0);
  }
}
