// How the forwarded leg ended (the <Dial action>): the moment a missed call is
// recovered. What the status means is recovery/dial-status.ts's decision.
import { twilioActor } from '../common/actor';
import { publishInboxUpdate } from '../live/inbox-updates';
import { recordDialStatus } from '../recovery/dial-status';
import type { TwilioRoute } from './twilio-delivery';
import { callerNumber, optionalCount, optionalParam, requiredE164, requiredParam } from './twilio-params';
import type { TwilioRouteKit } from './twilio-route-kit';
import { hangupTwiml } from './twiml';

export function dialStatusRoute(kit: TwilioRouteKit): TwilioRoute {
  const { deps } = kit;
  return {
    eventId: (params) => optionalParam(params, 'CallSid'),
    async handle({ params, request }) {
      const callSid = requiredParam(params, 'CallSid');
      const to = requiredE164(params, 'To');
      const caller = callerNumber(params);
      const dialStatus = requiredParam(params, 'DialCallStatus');
      const duration = optionalCount(params, 'DialCallDuration');
      const context = await kit.callContext(to);
      if (!context) return kit.notInService(to);
      const orgId = context.line.orgId;
      if (!caller) {
        return { outcome: 'IGNORED', orgId, twiml: kit.missedCallAnswer(context, false), note: 'caller ID withheld: no number to text or call back' };
      }
      const input = {
        callSid,
        callerPhone: caller,
        dialStatus,
        dialCallDurationSeconds: duration,
        dashboardBaseUrl: deps.config.publicBaseUrl,
        claimant: deps.outbox.claimant(),
      };
      const result = await recordDialStatus(deps.db.prisma, twilioActor(orgId, request), context, input, deps.clock, deps.appliedRefs);
      switch (result.kind) {
        case 'unexpected':
          return { outcome: 'IGNORED', orgId, twiml: hangupTwiml(), note: `unexpected DialCallStatus "${result.dialStatus.toLowerCase()}"` };
        case 'accepted_at_screening':
          return { outcome: 'PROCESSED', orgId, twiml: hangupTwiml() };
        case 'answered':
          return { outcome: result.duplicate ? 'DUPLICATE' : 'PROCESSED', orgId, twiml: hangupTwiml() };
        case 'missed':
          break;
      }
      const twiml = kit.missedCallAnswer(context, true);
      if (result.once.duplicate) return { outcome: 'DUPLICATE', orgId, twiml };
      const { leadId, textBack, staffAlertsQueued } = result.once.result;
      return {
        outcome: 'PROCESSED',
        orgId,
        twiml,
        sandboxHeaders: {
          'X-CallSnare-Lead-Id': leadId,
          'X-CallSnare-Text-Back': textBack.queued
            ? textBack.deferredUntil
              ? `deferred ${textBack.deferredUntil.toISOString()}`
              : 'queued'
            : `skipped ${textBack.reason}`,
          ...(textBack.queued ? { 'X-CallSnare-Message-Id': textBack.messageId } : {}),
        },
        onCommitted: () => {
          // A text-back written claimed for this node's worker goes to it now; what waits in the outbox (a
          // deferred text-back, or one written before a worker ran; staff alerts) wakes the polling worker.
          if (textBack.queued && textBack.handOff) deps.outbox.handOff(textBack.handOff);
          if ((textBack.queued && !textBack.handOff) || staffAlertsQueued > 0) deps.outbox.nudge();
          publishInboxUpdate(deps.live, { orgId, kind: 'MISSED_CALL', leadId, at: deps.clock.now() });
        },
      };
    },
  };
}
