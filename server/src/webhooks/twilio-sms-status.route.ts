// Delivery reports for our outbound texts (messaging/message-status.service.ts applies them).
import { inTransaction } from '../db/types';
import { twilioActor } from '../common/actor';
import { applyDeliveryReport } from '../messaging/message-status.service';
import type { TwilioRoute } from './twilio-delivery';
import { optionalParam, requiredParam } from './twilio-params';
import type { TwilioRouteKit } from './twilio-route-kit';
import { emptyMessagingTwiml } from './twiml';

export function smsStatusRoute(kit: TwilioRouteKit): TwilioRoute {
  const { deps } = kit;
  return {
    eventId: (params) => {
      const sid = optionalParam(params, 'MessageSid');
      const status = optionalParam(params, 'MessageStatus');
      return sid ? `${sid}:${status ?? ''}` : null;
    },
    async handle({ params, query, request }) {
      const report = {
        messageId: query.messageId ?? null,
        providerSid: requiredParam(params, 'MessageSid'),
        providerStatus: requiredParam(params, 'MessageStatus'),
        errorCode: optionalParam(params, 'ErrorCode')?.trim() || null,
      };
      const result = await inTransaction(deps.db.prisma, (tx) =>
        applyDeliveryReport(tx, (orgId) => twilioActor(orgId, request), report, deps.clock, { dashboardBaseUrl: deps.config.publicBaseUrl }),
      );
      if (result.applied) return { outcome: 'PROCESSED', orgId: result.orgId, twiml: emptyMessagingTwiml() };
      return { outcome: result.duplicate ? 'DUPLICATE' : 'IGNORED', orgId: result.orgId, twiml: emptyMessagingTwiml(), note: result.reason };
    },
  };
}
