// A text from a caller: threaded to their lead, with the SMS keywords carriers
// and Twilio recognise (opt-out, opt-in, help) applied in the same transaction.
// A text that asks for an answer marks the lead as needing a reply (first in the
// inbox) and alerts the staff who opted in to reply alerts.
import type { Tx } from '../db/types';
import type { Actor } from '../common/actor';
import type { Clock } from '../common/clock';
import { optInCaller, optOutCaller } from '../messaging/consent.service';
import { queueOutboundMessage } from '../messaging/outbox.service';
import { appendLeadEvents, leadEventRow } from '../leads/lead-events';
import { queueStaffAlerts } from '../staff-alerts/staff-alerts.queue';
import type { CallContext } from './call-context';
import { leadForInboundText, markContacted } from './caller-lead';
import { messageKeys, providerRefs } from './exactly-once';
import { isWithinBusinessHours } from '../common/shop-time';
import { formatPhone } from '../common/phone';
import { readBusinessHours } from '../settings/settings.service';
import { recordWebhookEvent } from '../outbound-webhooks/webhook-events';

export type KeywordIntent = 'opt_out' | 'opt_in' | 'help';

const KEYWORDS: Record<string, KeywordIntent> = {
  STOP: 'opt_out',
  STOPALL: 'opt_out',
  UNSUBSCRIBE: 'opt_out',
  CANCEL: 'opt_out',
  END: 'opt_out',
  QUIT: 'opt_out',
  REVOKE: 'opt_out',
  OPTOUT: 'opt_out',
  START: 'opt_in',
  UNSTOP: 'opt_in',
  YES: 'opt_in',
  HELP: 'help',
  INFO: 'help',
};

/** The keyword a text consists of (one word, any case, surrounding whitespace ignored), or null. */
export function smsKeyword(body: string): { keyword: string; intent: KeywordIntent } | null {
  const word = body.trim().toUpperCase();
  const intent = KEYWORDS[word];
  return intent ? { keyword: word, intent } : null;
}

export interface InboundSmsInput {
  messageSid: string;
  from: string;
  body: string;
  mediaCount: number;
  /** The dashboard's public base URL, for links in staff alerts. */
  dashboardBaseUrl: string;
}

export interface InboundSmsResult {
  leadId: string;
  messageId: string;
  keyword: { keyword: string; intent: KeywordIntent } | null;
  /** Opt-out or opt-in actually changed the caller's consent. */
  consentChanged: boolean;
  /** The HELP answer waiting in the outbox. */
  replyMessageId: string | null;
  /** The text awaits a staff answer (Lead.needsReply was set). */
  needsReply: boolean;
}

/**
 * Whether a text awaits a staff answer: true for a conversation and for an
 * opt-in (START, UNSTOP or YES: the caller reopens the conversation, and a bare
 * "Yes" is as often the answer to a question staff asked); false for an
 * opt-out (nobody may text them now, so an earlier unanswered text stops
 * demanding an answer too); undefined, unchanged, for HELP (answered
 * automatically; an earlier question still awaits staff).
 */
function needsReplyAfter(keyword: { intent: KeywordIntent } | null): boolean | undefined {
  if (keyword === null || keyword.intent === 'opt_in') return true;
  return keyword.intent === 'opt_out' ? false : undefined;
}

export async function receiveInboundSms(tx: Tx, actor: Actor, context: CallContext, input: InboundSmsInput, clock: Clock): Promise<InboundSmsResult> {
  const now = clock.now();
  const keyword = smsKeyword(input.body);
  const needsReply = needsReplyAfter(keyword);
  const lead = await leadForInboundText(tx, actor.orgId, input.from, now, { text: input.body, needsReply });
  const message = await tx.message.create({
    data: {
      orgId: actor.orgId,
      leadId: lead.id,
      direction: 'INBOUND',
      kind: 'INBOUND',
      body: input.body,
      status: 'RECEIVED',
      fromPhone: input.from,
      toPhone: context.line.number,
      providerSid: input.messageSid,
      createdAt: now,
    },
    select: { id: true },
  });
  await appendLeadEvents(tx, [
    leadEventRow(
      actor,
      lead.id,
      'MESSAGE_RECEIVED',
      { messageId: message.id, messageSid: input.messageSid, body: input.body, mediaCount: input.mediaCount },
      now,
      providerRefs.inboundSms(input.messageSid),
    ),
  ]);
  await recordWebhookEvent(tx, { orgId: actor.orgId, type: 'message.received', objectId: message.id, at: now });

  const consent = { leadId: lead.id, phone: input.from, cause: keyword?.keyword ?? '', messageId: message.id };
  let consentChanged = false;
  let replyMessageId: string | null = null;
  if (keyword?.intent === 'opt_out') consentChanged = await optOutCaller(tx, actor, consent, clock);
  if (keyword?.intent === 'opt_in') consentChanged = await optInCaller(tx, actor, consent, clock);
  if (keyword?.intent === 'help') {
    await appendLeadEvents(tx, [leadEventRow(actor, lead.id, 'HELP_REQUESTED', { messageId: message.id }, now)]);
  }
  // Answered even to an opted-out number (carriers require HELP to work regardless
  // of consent), but never to the org's own phones.
  if (keyword?.intent === 'help' && !context.ownNumbers.has(input.from)) {
    const reply = await queueOutboundMessage(
      tx,
      actor,
      {
        leadId: lead.id,
        kind: 'AUTO_REPLY',
        body: helpReply(context.settings.businessName, context.line.number),
        fromPhone: context.line.number,
        toPhone: input.from,
        idempotencyKey: messageKeys.helpReply(input.messageSid),
      },
      clock,
    );
    replyMessageId = reply.id;
  }
  // A conversation means the caller has been reached; an opt-out or a HELP request does not.
  if (keyword === null || keyword.intent === 'opt_in') await markContacted(tx, actor, lead, 'caller replied', now);
  if (needsReply) {
    const { settings, line } = context;
    await queueStaffAlerts(tx, {
      orgId: actor.orgId,
      leadId: lead.id,
      kind: 'REPLY_RECEIVED',
      cause: providerRefs.inboundSms(input.messageSid),
      callerPhone: input.from,
      fromPhone: line.number,
      withinBusinessHours: isWithinBusinessHours(now, settings.timezone, readBusinessHours(settings)),
      dashboardBaseUrl: input.dashboardBaseUrl,
      at: now,
    });
  }
  return { leadId: lead.id, messageId: message.id, keyword, consentChanged, replyMessageId, needsReply: needsReply === true };
}

export function helpReply(businessName: string, trackingNumber: string): string {
  return `${businessName}: call or text us at ${formatPhone(trackingNumber)}. Reply STOP to opt out.`;
}
