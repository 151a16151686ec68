// One caller's lead in the demo: its rows (lead, events, messages, callbacks),
// audit entries, staff-alert causes and read marks, built action by action in
// the order things happened, with the effects the live services have (a reply
// marks the lead CONTACTED and needing an answer, a completed callback answers
// it, NO_ANSWER opens the next attempt, ...). Time only moves forward, and the
// background work of the live system happens on its own as it passes: a
// deferred text-back leaves at the end of quiet hours, the SLA worker announces
// a callback's time and escalates it once it is past due.
import type { Prisma } from '../generated/prisma/client';
import type { CallbackOutcome, CallbackStatus, LeadEventType, LeadStatus, StaffAlertKind } from '../generated/prisma/enums';
import type { AuditInput } from '../audit/audit.service';
import type { Actor } from '../common/actor';
import { fakeTwilioSid, uuidv7At } from '../common/ids';
import { decideTextBack } from '../recovery/text-back.policy';
import { messageKeys, providerRefs } from '../recovery/exactly-once';
import { smsKeyword } from '../recovery/inbound-sms.service';
import { LEAD_STATUS_AFTER, RETRIED_OUTCOMES } from '../callbacks/callback-queue.service';
import { OPEN_CALLBACK_STATUSES, OPEN_LEAD_STATUSES } from '../leads/leads.service';
import { itemAt, type Dice } from './random';
import { missedCallCallback, nextAttempt, type DemoShop, type StaffMember } from './shop';

const MINUTE = 60_000;
/** The SLA worker's tick: announcements and escalations land within it. */
const SLA_TICK_SECONDS = 10;

export interface AuditDraft {
  at: number;
  actor: Actor;
  input: AuditInput;
}

/** Something staff may be alerted about (staff-alerts/staff-alerts.queue.ts), keyed like the live cause. */
export interface AlertCause {
  kind: StaffAlertKind;
  cause: string;
  at: number;
  leadId: string;
  callerPhone: string;
}

export interface CallbackDraft {
  id: string;
  status: CallbackStatus;
  attempt: number;
  dueAt: number;
  scheduledFor: number | null;
  assigneeId: string | null;
  outcome: CallbackOutcome | null;
  notes: string | null;
  completedAt: number | null;
  completedById: string | null;
  canceledAt: number | null;
  overdueAt: number | null;
  dueAnnouncedAt: number | null;
  createdAt: number;
  updatedAt: number;
}

type By = 'PROVIDER' | 'SYSTEM' | StaffMember;

/** A message row the story writes: it always names its id, so events can refer to it. */
type DemoMessage = Prisma.MessageCreateManyInput & { id: string };

/** When a retry attempt is scheduled for (attempts opened after an outcome always are). */
function scheduledAt(callback: CallbackDraft): number {
  if (callback.scheduledFor === null) throw new Error(`demo story bug: callback ${callback.id} has no scheduled time`);
  return callback.scheduledFor;
}

export class LeadStory {
  /** UUIDv7 of the first call, set when the story starts. */
  id = '';
  status: LeadStatus = 'NEW';
  name: string | null = null;
  optedOut = false;
  needsReply = false;
  callbackOverdue = false;
  needsDecision = false;
  lastAt = 0;
  readonly events: Prisma.LeadEventCreateManyInput[] = [];
  readonly messages: DemoMessage[] = [];
  readonly callbacks: CallbackDraft[] = [];
  readonly audits: AuditDraft[] = [];
  readonly alertCauses: AlertCause[] = [];
  /** userId -> when they last saw the lead; staff's own actions count as seeing it. */
  readonly reads = new Map<string, number>();
  private optedOutAt: number | null = null;
  private lastInboundAt: number | null = null;
  private lastInboundText: string | null = null;
  private firstAt: number | null = null;
  /** Text-backs waiting in the outbox (quiet hours), earliest first. */
  private readonly outbox: { at: number; message: DemoMessage }[] = [];

  constructor(
    private readonly shop: DemoShop,
    private readonly dice: Dice,
    readonly phone: string,
    /** The name staff will learn on the phone. */
    private readonly callerName: string,
  ) {}

  get isOpen(): boolean {
    return OPEN_LEAD_STATUSES.includes(this.status);
  }

  openCallback(): CallbackDraft | null {
    return this.callbacks.find((callback) => isOpenCallback(callback.status)) ?? null;
  }

  /** When the next text-back in the outbox leaves, if one waits. */
  textBackLeavesAt(): number | null {
    return this.outbox[0]?.at ?? null;
  }

  // -- the caller -------------------------------------------------------

  /** dial-status no-answer/busy: CALL_MISSED, the text-back (or why not), the callback when none is open. */
  missedCall(at: number): number {
    const t = this.advance(at);
    if (!this.id) this.id = uuidv7At(t);
    const { settings, trackingNumber, forwardTo } = this.shop;
    const callSid = fakeTwilioSid('CA');
    const dialStatus = this.dice.chance(0.8) ? 'no-answer' : 'busy';
    const ringSeconds = dialStatus === 'busy' ? Math.floor(this.dice.random() * 4) : settings.ringTimeoutSeconds;
    const ref = providerRefs.callMissed(callSid);
    this.event(t, 'CALL_MISSED', 'PROVIDER', { callSid, from: this.phone, to: trackingNumber, forwardedTo: forwardTo, dialStatus, ringSeconds }, ref);
    this.alertCauses.push({ kind: 'MISSED_CALL', cause: ref, at: t, leadId: this.id, callerPhone: this.phone });

    const policy = decideTextBack({
      settings,
      callerPhone: this.phone,
      callerName: this.name,
      callerOptedOut: this.optedOut,
      ownNumbers: new Set([trackingNumber, forwardTo]),
      now: new Date(t),
    });
    // The cooldown is the last rule (checked by the missed-call statement as it inserts, recovery/missed-call-writes.ts).
    const decision = policy.send && this.textBackWithinCooldown(t) ? ({ send: false, reason: 'cooldown' } as const) : policy;
    if (decision.send) {
      const messageId = uuidv7At(t + 1);
      const queuedAt = this.event(t + 1, 'TEXT_BACK_QUEUED', 'SYSTEM', {
        messageId,
        callSid,
        template: decision.template,
        deferredUntil: decision.deferredUntil?.toISOString() ?? null,
      });
      const leavesAt = Math.max(decision.deferredUntil?.getTime() ?? queuedAt, queuedAt);
      const message: DemoMessage = {
        id: messageId,
        orgId: this.shop.orgId,
        leadId: this.id,
        direction: 'OUTBOUND',
        kind: 'TEXT_BACK',
        body: decision.body,
        status: 'QUEUED',
        fromPhone: trackingNumber,
        toPhone: this.phone,
        idempotencyKey: messageKeys.textBack(callSid),
        attempts: 0,
        nextAttemptAt: new Date(leavesAt),
        createdAt: new Date(queuedAt),
        updatedAt: new Date(queuedAt),
      };
      this.messages.push(message);
      this.outbox.push({ at: leavesAt + this.dice.seconds(1.5, 5.5), message });
      this.outbox.sort((a, b) => a.at - b.at);
    } else {
      const reason = decision.reason;
      this.event(t + 1, 'TEXT_BACK_SKIPPED', 'SYSTEM', {
        callSid,
        reason,
        ...(reason === 'cooldown' ? { cooldownMinutes: settings.textBackCooldownMinutes } : {}),
      });
    }

    if (!this.openCallback()) {
      const { dueAt, opensAt } = missedCallCallback(this.shop, t);
      const openedAt = this.lastAt + 1;
      const callback = this.newCallback(openedAt, { status: 'OPEN', attempt: 1, dueAt, scheduledFor: null, assigneeId: null });
      // A new callback gives staff something to do again.
      this.needsDecision = false;
      this.event(openedAt, 'CALLBACK_OPENED', 'SYSTEM', {
        callbackId: callback.id,
        dueAt: new Date(dueAt).toISOString(),
        callSid,
        attempt: 1,
        ...(opensAt !== null ? { opensAt: new Date(opensAt).toISOString() } : {}),
      });
    }
    return this.lastAt;
  }

  /** The caller rang again and somebody picked up: the lead counts as contacted. */
  answeredCall(at: number, durationSeconds: number): number {
    const t = this.advance(at);
    const callSid = fakeTwilioSid('CA');
    this.event(
      t,
      'CALL_ANSWERED',
      'PROVIDER',
      { callSid, from: this.phone, to: this.shop.trackingNumber, durationSeconds, via: 'dial' },
      providerRefs.callAnswered(callSid),
    );
    this.markContacted(t + 1, 'call answered');
    return this.lastAt;
  }

  /** A text from the caller: the list preview, and (unless it is STOP) an answer owed and the lead contacted. */
  reply(at: number, body: string): number {
    const t = this.advance(at);
    const messageId = uuidv7At(t);
    const messageSid = fakeTwilioSid('SM');
    this.messages.push({
      id: messageId,
      orgId: this.shop.orgId,
      leadId: this.id,
      direction: 'INBOUND',
      kind: 'INBOUND',
      body,
      status: 'RECEIVED',
      fromPhone: this.phone,
      toPhone: this.shop.trackingNumber,
      providerSid: messageSid,
      createdAt: new Date(t),
      updatedAt: new Date(t),
    });
    const ref = providerRefs.inboundSms(messageSid);
    this.event(t, 'MESSAGE_RECEIVED', 'PROVIDER', { messageId, messageSid, body, mediaCount: 0 }, ref);
    this.lastInboundAt = t;
    this.lastInboundText = body;
    const keyword = smsKeyword(body);
    if (keyword?.intent === 'opt_out') {
      this.needsReply = false;
    } else if (keyword === null || keyword.intent === 'opt_in') {
      this.needsReply = true;
      this.alertCauses.push({ kind: 'REPLY_RECEIVED', cause: ref, at: t, leadId: this.id, callerPhone: this.phone });
      this.markContacted(t + 1, 'caller replied');
    }
    return this.lastAt;
  }

  /** STOP: the number opts out, and text-backs still waiting are withdrawn. */
  optOut(at: number): number {
    const t = this.reply(at, 'STOP');
    const messageId = itemAt(this.messages, this.messages.length - 1).id;
    if (this.optedOut) return t;
    this.optedOut = true;
    const changedAt = this.event(t + 1, 'OPTED_OUT', 'PROVIDER', { cause: 'STOP', messageId });
    this.optedOutAt = changedAt;
    for (const { message } of this.outbox.splice(0)) {
      Object.assign(message, { status: 'CANCELED', lastError: 'recipient opted out', nextAttemptAt: null, updatedAt: new Date(changedAt) });
      this.event(changedAt + 1, 'TEXT_BACK_SKIPPED', 'SYSTEM', { messageId: message.id, reason: 'opted_out' });
    }
    this.audit(changedAt, providerActor(this.shop.orgId), {
      action: 'lead.opted_out',
      target: { type: 'Lead', id: this.id },
      changes: { optedOut: { before: false, after: true }, cause: { before: null, after: 'STOP' } },
    });
    return this.lastAt;
  }

  // -- staff ------------------------------------------------------------

  staffMessage(at: number, by: StaffMember, body: string): number {
    const t = this.advance(at);
    const messageId = uuidv7At(t);
    const sentAt = t + this.dice.seconds(0.8, 2.8);
    const deliveredAt = sentAt + this.dice.seconds(1.5, 6.5);
    this.messages.push({
      id: messageId,
      orgId: this.shop.orgId,
      leadId: this.id,
      direction: 'OUTBOUND',
      kind: 'STAFF_REPLY',
      body,
      status: 'DELIVERED',
      fromPhone: this.shop.trackingNumber,
      toPhone: this.phone,
      providerSid: fakeTwilioSid('SM'),
      sentById: by.userId,
      attempts: 1,
      sentAt: new Date(sentAt),
      deliveredAt: new Date(deliveredAt),
      createdAt: new Date(t),
      updatedAt: new Date(deliveredAt),
    });
    this.needsReply = false;
    this.event(t, 'MESSAGE_SENT', by, { messageId, body });
    this.audit(t, staffActor(this.shop.orgId, by), {
      action: 'message.sent',
      target: { type: 'Message', id: messageId },
      changes: { leadId: { before: null, after: this.id }, toPhone: { before: null, after: this.phone }, body: { before: null, after: body } },
    });
    return this.seenBy(by);
  }

  note(at: number, by: StaffMember, body: string): number {
    const t = this.advance(at);
    this.event(t, 'NOTE_ADDED', by, { body });
    this.audit(t, staffActor(this.shop.orgId, by), {
      action: 'lead.note_added',
      target: { type: 'Lead', id: this.id },
      changes: { note: { before: null, after: body } },
    });
    return this.seenBy(by);
  }

  /** updateLead's status change; closing the lead withdraws its open callback. */
  setStatus(at: number, by: StaffMember, to: LeadStatus): number {
    const t = this.advance(at);
    if (to === this.status) return t;
    const from = this.status;
    this.status = to;
    this.needsDecision = false;
    if (!this.isOpen) this.callbackOverdue = false;
    this.event(t, 'STATUS_CHANGED', by, { from, to });
    if (!this.isOpen) {
      const open = this.openCallback();
      if (open) {
        Object.assign(open, { status: 'CANCELED', canceledAt: t, updatedAt: t } satisfies Partial<CallbackDraft>);
        this.event(t + 1, 'CALLBACK_CANCELED', by, { callbackId: open.id, reason: 'lead closed' });
      }
    }
    this.audit(t, staffActor(this.shop.orgId, by), {
      action: 'lead.updated',
      target: { type: 'Lead', id: this.id },
      changes: { status: { before: from, after: to } },
    });
    return this.seenBy(by);
  }

  /** Staff learned the caller's name on the phone. */
  rename(at: number, by: StaffMember): number {
    const t = this.advance(at);
    const name = { before: this.name, after: this.callerName };
    this.name = this.callerName;
    this.event(t, 'LEAD_UPDATED', by, { name });
    this.audit(t, staffActor(this.shop.orgId, by), { action: 'lead.updated', target: { type: 'Lead', id: this.id }, changes: { name } });
    return this.seenBy(by);
  }

  /**
   * The open callback's outcome. NO_ANSWER / LEFT_VOICEMAIL opens the next
   * attempt on the shop's cadence, or, when it has run out, leaves the lead
   * needing a decision. Whatever the outcome the caller has been answered.
   */
  completeCallback(at: number, by: StaffMember, outcome: CallbackOutcome, notes: string): number {
    const t = this.advance(at);
    const done = this.requireOpenCallback();
    const before = done.status;
    Object.assign(done, { status: 'COMPLETED', outcome, notes, completedAt: t, completedById: by.userId, updatedAt: t } satisfies Partial<CallbackDraft>);

    const retry = RETRIED_OUTCOMES.includes(outcome) && this.isOpen;
    const times = retry ? nextAttempt(this.shop, t, done.attempt) : null;
    const next = times ? this.newCallback(t, { status: 'OPEN', attempt: done.attempt + 1, ...times, assigneeId: done.assigneeId }) : null;
    const needsDecision = retry && next === null;
    const decisionBefore = this.needsDecision;

    this.event(t, 'CALLBACK_COMPLETED', by, {
      callbackId: done.id,
      outcome,
      notes,
      attempt: done.attempt,
      nextAttempt: next ? { callbackId: next.id, attempt: next.attempt, scheduledFor: iso(scheduledAt(next)) } : null,
      ...(needsDecision ? { needsDecision: true } : {}),
    });
    if (next) {
      this.event(t + 1, 'CALLBACK_OPENED', 'SYSTEM', {
        callbackId: next.id,
        attempt: next.attempt,
        retry: true,
        retryOf: done.id,
        outcome,
        scheduledFor: iso(scheduledAt(next)),
        dueAt: iso(next.dueAt),
      });
    }
    const leadStatus = LEAD_STATUS_AFTER[outcome];
    const statusBefore = this.status;
    if (leadStatus && this.status !== leadStatus) {
      this.status = leadStatus;
      this.event(t + 2, 'STATUS_CHANGED', by, { from: statusBefore, to: leadStatus, reason: `callback ${outcome}` });
    }
    this.needsReply = false;
    this.callbackOverdue = false;
    this.needsDecision = needsDecision;
    this.audit(t, staffActor(this.shop.orgId, by), {
      action: 'callback.completed',
      target: { type: 'Callback', id: done.id },
      changes: {
        status: { before, after: 'COMPLETED' },
        outcome: { before: null, after: outcome },
        notes: { before: null, after: notes },
        ...(leadStatus && statusBefore !== leadStatus ? { leadStatus: { before: statusBefore, after: leadStatus } } : {}),
        ...(next ? { nextAttemptAt: { before: null, after: iso(scheduledAt(next)) } } : {}),
        ...(needsDecision ? { needsDecision: { before: decisionBefore, after: true } } : {}),
      },
    });
    return this.seenBy(by);
  }

  /** A time agreed with the caller: reschedules the open callback (keeping its attempt), or opens a SCHEDULED one. */
  scheduleCallback(at: number, by: StaffMember, scheduledFor: number, assignee: StaffMember): number {
    const t = this.advance(at);
    const existing = this.openCallback();
    const before = { status: existing?.status ?? null, scheduledFor: existing?.scheduledFor ?? null, assigneeId: existing?.assigneeId ?? null };
    const callback = existing
      ? Object.assign(existing, {
          status: 'SCHEDULED',
          scheduledFor,
          dueAt: scheduledFor,
          assigneeId: assignee.userId,
          overdueAt: null,
          dueAnnouncedAt: null,
          updatedAt: t,
        } satisfies Partial<CallbackDraft>)
      : this.newCallback(t, { status: 'SCHEDULED', attempt: 1, dueAt: scheduledFor, scheduledFor, assigneeId: assignee.userId });
    this.needsDecision = false;
    this.callbackOverdue = false;
    this.event(t, 'CALLBACK_SCHEDULED', by, { callbackId: callback.id, at: iso(scheduledFor), assigneeId: assignee.userId });
    this.audit(t, staffActor(this.shop.orgId, by), {
      action: 'callback.scheduled',
      target: { type: 'Callback', id: callback.id },
      changes: {
        status: { before: before.status, after: 'SCHEDULED' },
        scheduledFor: { before: before.scheduledFor === null ? null : iso(before.scheduledFor), after: iso(scheduledFor) },
        ...(before.assigneeId !== assignee.userId ? { assigneeId: { before: before.assigneeId, after: assignee.userId } } : {}),
      },
    });
    return this.seenBy(by);
  }

  assignCallback(at: number, by: StaffMember, assignee: StaffMember): number {
    const t = this.advance(at);
    const callback = this.requireOpenCallback();
    const before = callback.assigneeId;
    Object.assign(callback, { assigneeId: assignee.userId, updatedAt: t });
    this.event(t, 'CALLBACK_ASSIGNED', by, { callbackId: callback.id, assigneeId: assignee.userId });
    this.audit(t, staffActor(this.shop.orgId, by), {
      action: 'callback.assigned',
      target: { type: 'Callback', id: callback.id },
      changes: { assigneeId: { before, after: assignee.userId } },
    });
    return this.seenBy(by);
  }

  // -- the end of the story ---------------------------------------------

  /** Lets the background work that has happened by "now" happen (a late callback is escalated by now). */
  settle(): void {
    this.runBackground(this.shop.now, true);
  }

  row(): Prisma.LeadCreateManyInput {
    return {
      id: this.id,
      orgId: this.shop.orgId,
      phone: this.phone,
      openPhone: this.isOpen ? this.phone : null,
      name: this.name,
      status: this.status,
      optedOut: this.optedOut,
      optedOutAt: date(this.optedOutAt),
      createdAt: new Date(this.firstAt ?? this.lastAt),
      updatedAt: new Date(this.lastAt),
      lastActivityAt: new Date(this.lastAt),
      needsReply: this.needsReply,
      callbackOverdue: this.callbackOverdue,
      needsDecision: this.needsDecision,
      lastInboundAt: date(this.lastInboundAt),
      lastInboundText: this.lastInboundText,
    };
  }

  callbackRows(): Prisma.CallbackCreateManyInput[] {
    return this.callbacks.map((callback) => ({
      id: callback.id,
      orgId: this.shop.orgId,
      leadId: this.id,
      openLeadId: isOpenCallback(callback.status) ? this.id : null,
      status: callback.status,
      attempt: callback.attempt,
      dueAt: new Date(callback.dueAt),
      scheduledFor: date(callback.scheduledFor),
      assigneeId: callback.assigneeId,
      outcome: callback.outcome,
      notes: callback.notes,
      completedAt: date(callback.completedAt),
      completedById: callback.completedById,
      canceledAt: date(callback.canceledAt),
      overdueAt: date(callback.overdueAt),
      dueAnnouncedAt: date(callback.dueAnnouncedAt),
      createdAt: new Date(callback.createdAt),
      updatedAt: new Date(callback.updatedAt),
    }));
  }

  readRows(): Prisma.LeadReadCreateManyInput[] {
    return [...this.reads].map(([userId, readAt]) => ({ userId, leadId: this.id, orgId: this.shop.orgId, readAt: new Date(readAt) }));
  }

  // -- how time passes --------------------------------------------------

  /** Background work due before `at` happens first; returns the time of the next event (after the last one). */
  private advance(at: number): number {
    this.runBackground(Math.round(at), false);
    return Math.max(Math.round(at), this.lastAt + 1);
  }

  /**
   * In time order until `limit` (inclusive: up to and at it): text-backs leave
   * the outbox; the SLA worker announces a callback whose scheduled time came
   * and escalates one past its due time (once each, within a tick).
   */
  private runBackground(limit: number, inclusive: boolean): void {
    const reached = (at: number) => (inclusive ? at <= limit : at < limit);
    const latest = inclusive ? limit : limit - 1;
    for (;;) {
      const text = this.outbox[0] && reached(this.outbox[0].at) ? this.outbox[0] : null;
      const callback = this.openCallback();
      if (callback && callback.scheduledFor !== null && callback.dueAnnouncedAt === null && reached(callback.scheduledFor)) {
        callback.dueAnnouncedAt = Math.min(callback.scheduledFor + this.dice.seconds(1, SLA_TICK_SECONDS), latest);
      }
      const overdue = callback && callback.overdueAt === null && callback.dueAt < limit ? callback : null;
      if (text && (!overdue || text.at <= overdue.dueAt)) {
        this.outbox.shift();
        this.sendTextBack(text.at, text.message);
      } else if (overdue) {
        this.escalate(overdue, Math.min(overdue.dueAt + this.dice.seconds(1, SLA_TICK_SECONDS), latest));
      } else {
        return;
      }
    }
  }

  private sendTextBack(at: number, message: DemoMessage): void {
    const sentAt = Math.max(at, this.lastAt + 1);
    const deliveredAt = sentAt + this.dice.seconds(1.5, 7.5);
    const delivered = deliveredAt <= this.shop.now;
    const providerSid = fakeTwilioSid('SM');
    Object.assign(message, {
      status: delivered ? 'DELIVERED' : 'SENT',
      providerSid,
      attempts: 1,
      nextAttemptAt: null,
      sentAt: new Date(sentAt),
      deliveredAt: delivered ? new Date(deliveredAt) : null,
      updatedAt: new Date(delivered ? deliveredAt : sentAt),
    } satisfies Partial<Prisma.MessageCreateManyInput>);
    this.event(sentAt, 'TEXT_BACK_SENT', 'SYSTEM', { messageId: message.id, providerSid });
  }

  private escalate(callback: CallbackDraft, at: number): void {
    const time = Math.max(at, this.lastAt + 1);
    Object.assign(callback, { overdueAt: time, updatedAt: time });
    this.callbackOverdue = true;
    this.event(time, 'CALLBACK_OVERDUE', 'SYSTEM', {
      callbackId: callback.id,
      dueAt: iso(callback.dueAt),
      minutesLate: Math.floor((time - callback.dueAt) / MINUTE),
    });
    this.alertCauses.push({ kind: 'CALLBACK_OVERDUE', cause: `overdue:${callback.id}`, at: time, leadId: this.id, callerPhone: this.phone });
  }

  // -- rows -------------------------------------------------------------

  private markContacted(at: number, reason: string): void {
    if (this.status !== 'NEW') return;
    this.status = 'CONTACTED';
    this.event(at, 'STATUS_CHANGED', 'SYSTEM', { from: 'NEW', to: 'CONTACTED', reason });
  }

  /** As the outbox's cooldown rule: a text-back to this caller still waiting, or queued within the cooldown. */
  private textBackWithinCooldown(at: number): boolean {
    const since = at - this.shop.settings.textBackCooldownMinutes * MINUTE;
    return this.messages.some(
      (message) =>
        message.kind === 'TEXT_BACK' && (message.status === 'QUEUED' || ((message.createdAt as Date).getTime() >= since && message.status !== 'CANCELED')),
    );
  }

  private newCallback(at: number, fields: Pick<CallbackDraft, 'status' | 'attempt' | 'dueAt' | 'scheduledFor' | 'assigneeId'>): CallbackDraft {
    const callback: CallbackDraft = {
      id: uuidv7At(at),
      ...fields,
      outcome: null,
      notes: null,
      completedAt: null,
      completedById: null,
      canceledAt: null,
      overdueAt: null,
      dueAnnouncedAt: null,
      createdAt: at,
      updatedAt: at,
    };
    this.callbacks.push(callback);
    return callback;
  }

  requireOpenCallback(): CallbackDraft {
    const callback = this.openCallback();
    if (!callback) throw new Error('demo story bug: no open callback');
    return callback;
  }

  /** The staff member has seen the lead as it is now (LeadRead, as markSeenBy records it). */
  private seenBy(by: StaffMember): number {
    this.reads.set(by.userId, Math.max(this.reads.get(by.userId) ?? 0, this.lastAt));
    return this.lastAt;
  }

  /** Appends an event, keeping this lead's events strictly ordered in time; returns its time. */
  private event(at: number, type: LeadEventType, by: By, data: Record<string, unknown>, providerRef: string | null = null): number {
    const time = Math.max(Math.round(at), this.lastAt + 1);
    const actor =
      by === 'PROVIDER'
        ? { actorType: 'PROVIDER' as const, actorId: 'twilio', actorLabel: 'Twilio' }
        : by === 'SYSTEM'
          ? { actorType: 'SYSTEM' as const, actorId: null, actorLabel: 'CallSnare' }
          : { actorType: 'USER' as const, actorId: by.userId, actorLabel: by.email };
    this.events.push({
      id: uuidv7At(time),
      orgId: this.shop.orgId,
      leadId: this.id,
      type,
      data: data as Prisma.InputJsonObject,
      ...actor,
      providerRef,
      createdAt: new Date(time),
    });
    this.firstAt ??= time;
    this.lastAt = time;
    return time;
  }

  private audit(at: number, actor: Actor, input: AuditInput): void {
    this.audits.push({ at: Math.round(at), actor, input });
  }
}

function isOpenCallback(status: CallbackStatus): boolean {
  return (OPEN_CALLBACK_STATUSES as readonly CallbackStatus[]).includes(status);
}

export function staffActor(orgId: string, member: StaffMember): Actor {
  return { type: 'USER', id: member.userId, label: member.email, orgId, role: member.role, request: {} };
}

function providerActor(orgId: string): Actor {
  return { type: 'PROVIDER', id: 'twilio', label: 'Twilio', orgId, request: {} };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function date(ms: number | null): Date | null {
  return ms === null ? null : new Date(ms);
}
