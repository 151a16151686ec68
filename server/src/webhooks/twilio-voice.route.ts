// The incoming call: ring the shop's phone (through the screening prompt when
// the org asks for it). Nothing is written but the log.
import { twilioPaths } from '../common/twilio-paths';
import type { TwilioRoute } from './twilio-delivery';
import { callerNumber, optionalParam, requiredE164, requiredParam } from './twilio-params';
import type { TwilioRouteKit } from './twilio-route-kit';
import { forwardCallTwiml } from './twiml';

export function voiceRoute(kit: TwilioRouteKit): TwilioRoute {
  return {
    eventId: (params) => optionalParam(params, 'CallSid'),
    async handle({ params }) {
      const callSid = requiredParam(params, 'CallSid');
      const to = requiredE164(params, 'To');
      const caller = callerNumber(params);
      const context = await kit.callContext(to);
      if (!context) return kit.notInService(to);
      const screeningUrl = context.settings.callScreeningEnabled ? kit.url(twilioPaths.screen, { callSid, to, ...(caller ? { from: caller } : {}) }) : null;
      return {
        outcome: 'PROCESSED',
        orgId: context.line.orgId,
        twiml: forwardCallTwiml({
          forwardTo: context.line.forwardTo,
          ringTimeoutSeconds: context.settings.ringTimeoutSeconds,
          dialStatusUrl: kit.url(twilioPaths.dialStatus),
          screeningUrl,
        }),
      };
    },
  };
}
