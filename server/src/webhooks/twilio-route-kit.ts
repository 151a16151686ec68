// What every Twilio route shares: the org's call context (cached per tracking
// number), our own webhook URLs, and the answers for numbers we do not route.
import type { AppDeps } from '../app-deps';
import { findCallContext, type CallContext } from '../recovery/call-context';
import { twilioPaths, twilioWebhookUrl } from '../common/twilio-paths';
import type { HandledDelivery } from './twilio-delivery';
import { missedCallTwiml, notInServiceTwiml } from './twiml';

export interface TwilioRouteKit {
  deps: AppDeps;
  /** The call context of the number called or texted; null when no active line has it. */
  callContext(trackingNumber: string, options?: { seenRefs?: readonly string[] }): Promise<CallContext | null>;
  /** Our absolute webhook URL for `path` (what Twilio calls, and what its signature covers). */
  url(path: string, query?: Record<string, string>): string;
  notInService(to: string): HandledDelivery;
  /** After a missed call: the apology, then the voicemail box when asked for and enabled. */
  missedCallAnswer(context: CallContext, offerVoicemail: boolean): string;
}

export function twilioRouteKit(deps: AppDeps): TwilioRouteKit {
  const url = (path: string, query?: Record<string, string>) => twilioWebhookUrl(deps.config.publicBaseUrl, path, query);
  return {
    deps,
    callContext: (trackingNumber, options) =>
      deps.callContexts ? deps.callContexts.get(deps.db.prisma, trackingNumber, options) : findCallContext(deps.db.prisma, trackingNumber, options),
    url,
    notInService: (to) => ({ outcome: 'IGNORED', orgId: null, twiml: notInServiceTwiml(), note: `no active tracking line for ${to}` }),
    missedCallAnswer: (context, offerVoicemail) =>
      missedCallTwiml(context.settings.businessName, offerVoicemail && context.settings.voicemailEnabled ? url(twilioPaths.recording) : null),
  };
}

/** What the route's context already found out about a provider ref (see applyOnce); undefined when it was not asked. */
export function checked(context: CallContext, ref: string): { applied: boolean; orgId: string } | undefined {
  return context.seenRefs ? { applied: context.seenRefs.has(ref), orgId: context.line.orgId } : undefined;
}
