// Putting texts in the outbox. A text is a Message row (QUEUED) written in the
// same transaction as whatever caused it; the outbox worker sends it after the
// commit. A text due now may instead be written already claimed for this
// process's worker (claimedBy) and handed to it after the commit, which spares
// it a claim pass. Nothing here talks to a provider.
// (docs/decisions/0005-outbox-and-idempotency.md)
import type { Tx } from '../db/types';
import type { MessageKind } from '../generated/prisma/enums';
import type { Prisma } from '../generated/prisma/client';
import type { Actor } from '../common/actor';
import type { Clock } from '../common/clock';
import { recordAudit } from '../audit/audit.service';
import { badInput, notFound } from '../common/errors';
import { isUuid } from '../common/ids';
import { MAX_RENDERED_LENGTH } from '../settings/templates';
import { appendLeadEvents, leadEventRow } from '../leads/lead-events';
import { markSeenBy } from '../leads/lead-reads';
import { messageEvidence, type ConsentBasis, type MessageEvidence } from '../compliance/message-evidence';
import { recipientWindow } from '../compliance/recipient-window';

export interface QueueMessageInput {
  leadId: string;
  kind: Exclude<MessageKind, 'INBOUND'>;
  body: string;
  fromPhone: string;
  toPhone: string;
  /** Provider-derived key ("textback:<CallSid>"): a replay of the cause cannot queue a second text. */
  idempotencyKey?: string | null;
  sentById?: string | null;
  /** Not before this instant (the recipient's window, quiet hours): Message.deferredUntil; default: as soon as the worker sees it. */
  notBefore?: Date | null;
  /** Why this text is allowed, as decided (compliance/message-evidence.ts). */
  evidence?: MessageEvidence | null;
  /**
   * The in-process outbox worker (its workerId) that sends this text as soon as the
   * writing statement commits: the row is written already claimed (SENDING, attempt 1)
   * and handed to that worker (OutboxWorker.handOff), so no claim pass reads it. Not
   * for a deferred text. If that worker dies first, the claim expires like any other.
   */
  claimedBy?: string | null;
}

/** A text claimed for sending: what a worker needs to send it and record the result. */
export interface ClaimedMessage {
  id: string;
  orgId: string;
  leadId: string;
  kind: MessageKind;
  body: string;
  fromPhone: string;
  toPhone: string;
  attempts: number;
  createdAt: Date;
  /** Set by a status callback that overtook a worker which then died: the text certainly went out. */
  providerSid: string | null;
}

export async function queueOutboundMessage(tx: Tx, actor: Pick<Actor, 'orgId'>, input: QueueMessageInput, clock: Clock) {
  return tx.message.create({ data: queuedMessageRow(actor, input, clock.now()) });
}

/** The outbox row queueOutboundMessage writes (also written by the missed-call statement, recovery/missed-call-writes.ts). */
export function queuedMessageRow(actor: Pick<Actor, 'orgId'>, input: QueueMessageInput, now: Date) {
  const deferredUntil = input.notBefore && input.notBefore > now ? input.notBefore : null;
  return {
    orgId: actor.orgId,
    leadId: input.leadId,
    direction: 'OUTBOUND',
    kind: input.kind,
    body: input.body,
    ...(input.claimedBy && !deferredUntil
      ? { status: 'SENDING' as const, claimedBy: input.claimedBy, claimedAt: now, attempts: 1 }
      : { status: 'QUEUED' as const }),
    fromPhone: input.fromPhone,
    toPhone: input.toPhone,
    idempotencyKey: input.idempotencyKey ?? null,
    sentById: input.sentById ?? null,
    nextAttemptAt: deferredUntil ?? now,
    deferredUntil,
    ...(input.evidence ? { evidence: input.evidence } : {}),
    createdAt: now,
  } satisfies Prisma.MessageUncheckedCreateInput;
}

/**
 * A staff member texts a caller from the number the caller knows (the
 * tracking line of their latest conversation). Refused when the caller opted out.
 * It answers the caller: the lead no longer needs a reply (automatic texts,
 * queued by queueOutboundMessage alone, never do that).
 */
export async function queueStaffReply(tx: Tx, actor: Actor, input: { leadId: string; body: string }, clock: Clock) {
  const lead = isUuid(input.leadId) ? await tx.lead.findFirst({ where: { id: input.leadId, orgId: actor.orgId } }) : null;
  if (!lead) throw notFound('Lead');
  if (lead.optedOut) {
    throw badInput('the caller opted out of texts (replied STOP); they can text START to opt back in', { leadId: 'caller opted out' });
  }
  const body = input.body.trim();
  if (body.length === 0 || body.length > MAX_RENDERED_LENGTH) {
    throw badInput(`message must be 1–${MAX_RENDERED_LENGTH} characters`, { body: `1–${MAX_RENDERED_LENGTH} characters` });
  }
  const fromPhone = await senderNumberFor(tx, actor.orgId, lead.id);
  const now = clock.now();
  const evidence = await staffReplyEvidence(tx, actor.orgId, lead, now);
  const message = await queueOutboundMessage(
    tx,
    actor,
    { leadId: lead.id, kind: 'STAFF_REPLY', body, fromPhone, toPhone: lead.phone, sentById: actor.type === 'USER' ? actor.id : null, evidence },
    clock,
  );
  await appendLeadEvents(tx, [leadEventRow(actor, lead.id, 'MESSAGE_SENT', { messageId: message.id, body }, now)]);
  await tx.lead.update({ where: { id: lead.id, orgId: actor.orgId }, data: { needsReply: false } });
  await recordAudit(
    tx,
    actor,
    {
      action: 'message.sent',
      target: { type: 'Message', id: message.id },
      changes: { leadId: { before: null, after: lead.id }, toPhone: { before: null, after: lead.phone }, body: { before: null, after: body } },
    },
    clock,
  );
  await markSeenBy(tx, actor, lead.id);
  return message;
}

/**
 * A staff reply's evidence: it answers the conversation the caller opened (the lead's first
 * call or text), the caller had not opted out (checked above), and where the caller's clock
 * stood. Staff replies are not held for the window (the dashboard shows the quiet-hours
 * notice instead) and do not count against the automated-text cap.
 */
async function staffReplyEvidence(tx: Tx, orgId: string, lead: { id: string; phone: string }, now: Date): Promise<MessageEvidence> {
  const [settings, opener] = await Promise.all([
    tx.orgSettings.findUniqueOrThrow({ where: { orgId }, select: { timezone: true, quietHoursEnabled: true, quietHoursStart: true, quietHoursEnd: true } }),
    tx.leadEvent.findFirst({
      where: { orgId, leadId: lead.id, type: { in: ['CALL_MISSED', 'CALL_ANSWERED', 'MESSAGE_RECEIVED'] } },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      select: { type: true, data: true, createdAt: true },
    }),
  ]);
  const quietHours = { enabled: settings.quietHoursEnabled, start: settings.quietHoursStart, end: settings.quietHoursEnd };
  return messageEvidence({
    kind: 'STAFF_REPLY',
    decidedAt: now,
    consent: consentBasisOf(opener),
    window: recipientWindow(lead.phone, now, { shopTimeZone: settings.timezone, shopQuietHours: quietHours }),
    deferredUntil: null,
    shop: { timeZone: settings.timezone, quietHours },
    cooldownMinutes: null,
  });
}

function consentBasisOf(opener: { type: string; data: Prisma.JsonValue; createdAt: Date } | null): ConsentBasis {
  if (!opener) return { basis: 'not_found', providerId: null, at: null };
  const data = (opener.data ?? {}) as Record<string, unknown>;
  const basis = opener.type === 'MESSAGE_RECEIVED' ? 'inbound_text' : opener.type === 'CALL_MISSED' ? 'missed_call' : 'inbound_call';
  const providerId = opener.type === 'MESSAGE_RECEIVED' ? data.messageSid : data.callSid;
  return { basis, providerId: typeof providerId === 'string' ? providerId : null, at: opener.createdAt.toISOString() };
}

/** The tracking number the lead last talked to, else the org's first active line. */
async function senderNumberFor(tx: Tx, orgId: string, leadId: string): Promise<string> {
  const latest = await tx.message.findFirst({
    where: { orgId, leadId },
    orderBy: { createdAt: 'desc' },
    select: { direction: true, fromPhone: true, toPhone: true },
  });
  if (latest) return latest.direction === 'INBOUND' ? latest.toPhone : latest.fromPhone;
  const line = await tx.trackingLine.findFirst({ where: { orgId, active: true }, orderBy: { createdAt: 'asc' }, select: { number: true } });
  if (!line) throw badInput('the organization has no tracking line to text from', { leadId: 'no tracking line' });
  return line.number;
}
