// A text to a tracking number: threaded to the caller's lead (recovery/inbound-sms.service.ts).
import { twilioActor } from '../common/actor';
import { publishInboxUpdate } from '../live/inbox-updates';
import { applyOnce, providerRefs } from '../recovery/exactly-once';
import { receiveInboundSms } from '../recovery/inbound-sms.service';
import type { TwilioRoute } from './twilio-delivery';
import { optionalCount, optionalParam, requiredE164, requiredParam } from './twilio-params';
import { checked, type TwilioRouteKit } from './twilio-route-kit';
import { emptyMessagingTwiml } from './twiml';

export function smsRoute(kit: TwilioRouteKit): TwilioRoute {
  const { deps } = kit;
  return {
    eventId: (params) => optionalParam(params, 'MessageSid'),
    async handle({ params, request }) {
      const messageSid = requiredParam(params, 'MessageSid');
      const from = requiredE164(params, 'From');
      const to = requiredE164(params, 'To');
      const body = optionalParam(params, 'Body') ?? '';
      const ref = providerRefs.inboundSms(messageSid);
      const context = await kit.callContext(to, { seenRefs: [ref] });
      if (!context) return { ...kit.notInService(to), twiml: emptyMessagingTwiml() };
      const orgId = context.line.orgId;
      const text = { messageSid, from, body, mediaCount: optionalCount(params, 'NumMedia') ?? 0, dashboardBaseUrl: deps.config.publicBaseUrl };
      const once = await applyOnce(
        deps.db.prisma,
        ref,
        (tx) => receiveInboundSms(tx, twilioActor(orgId, request), context, text, deps.clock),
        checked(context, ref),
      );
      if (once.duplicate) return { outcome: 'DUPLICATE', orgId, twiml: emptyMessagingTwiml() };
      const { leadId, messageId, keyword, replyMessageId, needsReply } = once.result;
      return {
        outcome: 'PROCESSED',
        orgId,
        twiml: emptyMessagingTwiml(),
        sandboxHeaders: {
          'X-CallSnare-Lead-Id': leadId,
          'X-CallSnare-Message-Id': messageId,
          ...(keyword ? { 'X-CallSnare-Keyword': keyword.keyword } : {}),
          ...(replyMessageId ? { 'X-CallSnare-Reply-Message-Id': replyMessageId } : {}),
        },
        onCommitted: () => {
          // A HELP answer or staff alerts may wait in the outbox.
          deps.outbox.nudge();
          publishInboxUpdate(deps.live, { orgId, kind: needsReply ? 'REPLY_RECEIVED' : 'LEAD_CHANGED', leadId, at: deps.clock.now() });
        },
      };
    },
  };
}
