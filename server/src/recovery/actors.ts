// Who the automatic side of recovery acts as.
import { systemActor, type Actor, type RequestMeta } from '../shared/actor';

/** Twilio telling us something happened (a call, a text, a carrier block). */
export function twilioActor(orgId: string, request: RequestMeta = {}): Actor {
  return { type: 'PROVIDER', id: 'twilio', label: 'Twilio', orgId, request };
}

/** CallSnare deciding on its own (text-backs, callbacks, escalations). */
export function callsnareActor(orgId: string, request: RequestMeta = {}): Actor {
  return systemActor(orgId, 'CallSnare', request);
}
