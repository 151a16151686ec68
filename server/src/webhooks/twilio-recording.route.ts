// The voicemail box's <Record action>: the recording's URL goes on the lead's timeline.
import { twilioActor } from '../common/actor';
import { recordVoicemail } from '../recovery/calls.service';
import { applyOnce, providerRefs } from '../recovery/exactly-once';
import type { TwilioRoute } from './twilio-delivery';
import { optionalCount, optionalParam, requiredE164, requiredParam } from './twilio-params';
import { checked, type TwilioRouteKit } from './twilio-route-kit';
import { hangupTwiml, voicemailSavedTwiml } from './twiml';

export function recordingRoute(kit: TwilioRouteKit): TwilioRoute {
  const { deps } = kit;
  return {
    eventId: (params) => optionalParam(params, 'RecordingSid') ?? optionalParam(params, 'CallSid'),
    async handle({ params, request }) {
      const callSid = requiredParam(params, 'CallSid');
      const recordingSid = requiredParam(params, 'RecordingSid');
      const recordingUrl = requiredParam(params, 'RecordingUrl');
      const to = requiredE164(params, 'To');
      const ref = providerRefs.voicemail(recordingSid);
      const context = await kit.callContext(to, { seenRefs: [ref] });
      if (!context) return { ...kit.notInService(to), twiml: hangupTwiml() };
      const orgId = context.line.orgId;
      const voicemail = { callSid, recordingSid, recordingUrl, durationSeconds: optionalCount(params, 'RecordingDuration') };
      const once = await applyOnce(deps.db.prisma, ref, (tx) => recordVoicemail(tx, twilioActor(orgId, request), voicemail, deps.clock), checked(context, ref));
      if (once.duplicate) return { outcome: 'DUPLICATE', orgId, twiml: voicemailSavedTwiml() };
      if (!once.result) return { outcome: 'IGNORED', orgId, twiml: voicemailSavedTwiml(), note: `no missed call ${callSid} to attach the voicemail to` };
      return { outcome: 'PROCESSED', orgId, twiml: voicemailSavedTwiml(), sandboxHeaders: { 'X-CallSnare-Lead-Id': once.result.leadId } };
    },
  };
}
