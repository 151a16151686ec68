// Twilio's voice and messaging webhooks, one file per route: each parses the
// delivery, calls one recovery/messaging service and answers TwiML.
// (docs/public/webhooks.md)
import type { AppDeps } from '../app-deps';
import { twilioPaths } from '../common/twilio-paths';
import type { TwilioRoute } from './twilio-delivery';
import { twilioRouteKit } from './twilio-route-kit';
import { voiceRoute } from './twilio-voice.route';
import { dialStatusRoute } from './twilio-dial-status.route';
import { screenRoute } from './twilio-screen.route';
import { recordingRoute } from './twilio-recording.route';
import { smsRoute } from './twilio-sms.route';
import { smsStatusRoute } from './twilio-sms-status.route';

/** Route name -> path under /webhooks/twilio. */
export const routePaths = {
  voice: twilioPaths.voice,
  dialStatus: twilioPaths.dialStatus,
  screen: twilioPaths.screen,
  recording: twilioPaths.recording,
  sms: twilioPaths.sms,
  smsStatus: twilioPaths.smsStatus,
} as const;

export function twilioRoutes(deps: AppDeps): Record<keyof typeof routePaths, TwilioRoute> {
  const kit = twilioRouteKit(deps);
  return {
    voice: voiceRoute(kit),
    dialStatus: dialStatusRoute(kit),
    screen: screenRoute(kit),
    recording: recordingRoute(kit),
    sms: smsRoute(kit),
    smsStatus: smsStatusRoute(kit),
  };
}
