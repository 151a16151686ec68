// Call screening, on the shop phone's leg (the <Number url>): first the
// prompt, then (same URL, with Digits) the answer. Our query parameters name
// the caller's call; the signature covers them.
import { twilioActor } from '../common/actor';
import { isE164 } from '../common/phone';
import { recordAnsweredCall } from '../recovery/calls.service';
import { applyOnce, providerRefs } from '../recovery/exactly-once';
import type { TwilioRoute } from './twilio-delivery';
import { MalformedDelivery, optionalParam, requiredParam } from './twilio-params';
import { checked, type TwilioRouteKit } from './twilio-route-kit';
import { hangupTwiml, screeningAcceptedTwiml, screeningPromptTwiml } from './twiml';
import { twilioPaths } from '../common/twilio-paths';

export function screenRoute(kit: TwilioRouteKit): TwilioRoute {
  const { deps } = kit;
  return {
    eventId: (params) => optionalParam(params, 'CallSid'),
    async handle({ params, query, request }) {
      requiredParam(params, 'CallSid');
      const parentCallSid = query.callSid;
      const to = query.to;
      if (!parentCallSid || !to || !isE164(to)) throw new MalformedDelivery('the screening URL must carry callSid and to (as CallSnare generated it)');
      const caller = query.from && isE164(query.from) ? query.from : null;
      const acceptedRef = providerRefs.callAccepted(parentCallSid);
      const context = await kit.callContext(to, { seenRefs: [acceptedRef] });
      if (!context) return { ...kit.notInService(to), twiml: hangupTwiml() };
      const orgId = context.line.orgId;
      const digits = optionalParam(params, 'Digits');
      if (digits === null) {
        return { outcome: 'PROCESSED', orgId, twiml: screeningPromptTwiml(context.settings.businessName, kit.url(twilioPaths.screen, query)) };
      }
      if (digits.trim() !== '1') return { outcome: 'IGNORED', orgId, twiml: hangupTwiml(), note: 'call not accepted at the screening prompt' };
      if (!caller) return { outcome: 'PROCESSED', orgId, twiml: screeningAcceptedTwiml() };
      const answered = { callSid: parentCallSid, callerPhone: caller, durationSeconds: null, via: 'screening' } as const;
      const once = await applyOnce(
        deps.db.prisma,
        acceptedRef,
        (tx) => recordAnsweredCall(tx, twilioActor(orgId, request), context, answered, deps.clock),
        checked(context, acceptedRef),
      );
      return { outcome: once.duplicate ? 'DUPLICATE' : 'PROCESSED', orgId, twiml: screeningAcceptedTwiml() };
    },
  };
}
