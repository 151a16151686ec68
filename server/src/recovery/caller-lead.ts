// The caller's lead: the open one (one per caller per org, enforced by the
// unique key on (orgId, openPhone)), or a new one. Written so that concurrent
// deliveries for the same caller converge on one row without errors inside
// the transaction: updates take the row lock, inserts are ON CONFLICT DO NOTHING.
import type { Tx } from '../db/types';
import type { LeadStatus } from '../generated/prisma/enums';
import type { Prisma } from '../generated/prisma/client';
import { callsnareActor, type Actor } from '../common/actor';
import { appendLeadEvents, leadEventRow } from '../leads/lead-events';
import { recordWebhookEvent } from '../outbound-webhooks/webhook-events';

export interface CallerLead {
  id: string;
  phone: string;
  name: string | null;
  status: LeadStatus;
  optedOut: boolean;
  created: boolean;
}

const LEAD_FIELDS = { id: true, phone: true, name: true, status: true, optedOut: true } as const;

/** What an inbound text records on its lead, in the same write that finds the lead. */
export interface InboundText {
  text: string;
  /** true: the text awaits a staff answer; false: it withdraws any (an opt-out); undefined: unchanged. */
  needsReply?: boolean;
}

/** The columns finding a caller's lead writes. */
interface LeadTouch {
  lastActivityAt: Date;
  lastInboundAt?: Date;
  lastInboundText?: string;
  needsReply?: boolean;
}

function touchFor(now: Date, inbound?: InboundText): LeadTouch {
  if (!inbound) return { lastActivityAt: now };
  return {
    lastActivityAt: now,
    lastInboundAt: now,
    lastInboundText: inbound.text,
    ...(inbound.needsReply === undefined ? {} : { needsReply: inbound.needsReply }),
  };
}

/**
 * Returns the caller's open lead (moving its lastActivityAt), opening one when
 * there is none. A new lead inherits the caller's name and SMS consent from
 * their latest closed lead: a STOP outlives the lead it was sent on.
 */
export async function openLeadForCaller(
  tx: Tx,
  orgId: string,
  phone: string,
  now: Date,
  initialStatus: LeadStatus = 'NEW',
  inbound?: InboundText,
): Promise<CallerLead> {
  const touch = touchFor(now, inbound);
  const open = await touchOpenLead(tx, orgId, phone, touch);
  if (open) return open;
  const previous = await tx.lead.findFirst({
    where: { orgId, phone },
    orderBy: { createdAt: 'desc' },
    select: { name: true, optedOut: true, optedOutAt: true },
  });
  const [created] = await tx.lead.createManyAndReturn({
    data: [newLeadRow(orgId, phone, now, initialStatus, previous, inbound)],
    skipDuplicates: true,
    select: LEAD_FIELDS,
  });
  if (created) return { ...created, created: true };
  // Another delivery opened it meanwhile; DO NOTHING waited for that commit, so it is visible now.
  const raced = await touchOpenLead(tx, orgId, phone, touch);
  if (!raced) throw new Error(`open lead for ${phone} vanished while being opened`);
  return raced;
}

/**
 * The lead an inbound text belongs to: the open one, else the latest one (even
 * closed), else a new one; the text is recorded on it (preview, needsReply).
 */
export async function leadForInboundText(tx: Tx, orgId: string, phone: string, now: Date, inbound: InboundText): Promise<CallerLead> {
  const touch = touchFor(now, inbound);
  const open = await touchOpenLead(tx, orgId, phone, touch);
  if (open) return open;
  const latest = await tx.lead.findFirst({ where: { orgId, phone }, orderBy: { createdAt: 'desc' }, select: { id: true } });
  if (latest) {
    const updated = await tx.lead.update({ where: { id: latest.id, orgId }, data: touch, select: LEAD_FIELDS });
    return { ...updated, created: false };
  }
  return openLeadForCaller(tx, orgId, phone, now, 'NEW', inbound);
}

/** A caller's new lead, inheriting name and consent from their latest lead (also written by the missed-call statement). */
export function newLeadRow(
  orgId: string,
  phone: string,
  now: Date,
  status: LeadStatus,
  previous: { name: string | null; optedOut: boolean; optedOutAt: Date | null } | null,
  inbound?: InboundText,
) {
  return {
    orgId,
    phone,
    openPhone: phone,
    status,
    name: previous?.name ?? null,
    optedOut: previous?.optedOut ?? false,
    optedOutAt: previous?.optedOutAt ?? null,
    createdAt: now,
    ...touchFor(now, inbound),
  } satisfies Prisma.LeadCreateManyInput;
}

async function touchOpenLead(tx: Tx, orgId: string, phone: string, touch: LeadTouch): Promise<CallerLead | null> {
  const [lead] = await tx.lead.updateManyAndReturn({ where: { orgId, openPhone: phone }, data: touch, select: LEAD_FIELDS });
  return lead ? { ...lead, created: false } : null;
}

/** Somebody has now talked or texted with the caller: a NEW lead becomes CONTACTED (CallSnare's decision, on the timeline). */
export async function markContacted(tx: Tx, actor: Actor, lead: CallerLead, reason: string, now: Date): Promise<void> {
  if (lead.status !== 'NEW') return;
  await tx.lead.update({ where: { id: lead.id, orgId: actor.orgId }, data: { status: 'CONTACTED' } });
  await appendLeadEvents(tx, [
    leadEventRow(callsnareActor(actor.orgId, actor.request), lead.id, 'STATUS_CHANGED', { from: 'NEW', to: 'CONTACTED', reason }, now),
  ]);
  await recordWebhookEvent(tx, { orgId: actor.orgId, type: 'lead.updated', objectId: lead.id, at: now });
}
