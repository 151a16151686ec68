// The TwiML documents CallSnare answers with, built with the twilio package's
// helpers (valid XML, escaped text). What the caller and the shop's phone hear.
// Deep imports: the package's root also types its whole REST client (~750 declaration files).
import MessagingResponse from 'twilio/lib/twiml/MessagingResponse';
import VoiceResponse from 'twilio/lib/twiml/VoiceResponse';

export interface ForwardCall {
  forwardTo: string;
  ringTimeoutSeconds: number;
  /** Where Twilio reports how the forwarded leg ended. */
  dialStatusUrl: string;
  /** Call screening: the forwarded leg must press 1 before the caller is connected. */
  screeningUrl: string | null;
}

/**
 * Rings the shop's phone. With screening, a carrier voicemail that picks up
 * at the ring timeout never "answers" the call: only a person pressing 1 does,
 * so the missed call is still recovered.
 */
export function forwardCallTwiml(call: ForwardCall): string {
  const response = new VoiceResponse();
  // answerOnBridge: the caller hears ringing (and is not billed as connected) until someone really answers.
  const dial = response.dial({ timeout: call.ringTimeoutSeconds, action: call.dialStatusUrl, method: 'POST', answerOnBridge: true });
  if (call.screeningUrl) dial.number({ url: call.screeningUrl, method: 'POST' }, call.forwardTo);
  else dial.number(call.forwardTo);
  return response.toString();
}

/** Played to the shop's phone when screening is on. No key within the timeout (a voicemail box): hang up that leg. */
export function screeningPromptTwiml(businessName: string, acceptUrl: string): string {
  const response = new VoiceResponse();
  const gather = response.gather({ numDigits: 1, timeout: 6, action: acceptUrl, method: 'POST' });
  gather.say(`Customer call for ${businessName}. Press 1 to accept.`);
  response.hangup();
  return response.toString();
}

// Documents that never change are built once (webhook hot path), with the same helpers.
const SCREENING_ACCEPTED = new VoiceResponse().toString();
const HANGUP = (() => {
  const response = new VoiceResponse();
  response.hangup();
  return response.toString();
})();

/** The screened leg pressed 1: an empty document connects the two parties. */
export function screeningAcceptedTwiml(): string {
  return SCREENING_ACCEPTED;
}

export function hangupTwiml(): string {
  return HANGUP;
}

/** Missed-call answers by business name and voicemail URL (a few per org; bounded). */
const missedCallAnswers = new Map<string, string>();
const MAX_CACHED_ANSWERS = 1000;

/** After a missed call: a short apology, then the voicemail box when the org enabled it. */
export function missedCallTwiml(businessName: string, voicemailUrl: string | null): string {
  const key = `${voicemailUrl ?? ''}\u0000${businessName}`;
  let twiml = missedCallAnswers.get(key);
  if (twiml === undefined) {
    twiml = buildMissedCallTwiml(businessName, voicemailUrl);
    if (missedCallAnswers.size >= MAX_CACHED_ANSWERS) missedCallAnswers.clear();
    missedCallAnswers.set(key, twiml);
  }
  return twiml;
}

function buildMissedCallTwiml(businessName: string, voicemailUrl: string | null): string {
  const response = new VoiceResponse();
  response.say(`Thanks for calling ${businessName}. Sorry we missed you. We will get back to you shortly.`);
  if (voicemailUrl) {
    response.say('Please leave a message after the tone.');
    response.record({ maxLength: 120, timeout: 5, playBeep: true, action: voicemailUrl, method: 'POST' });
  }
  response.hangup();
  return response.toString();
}

const VOICEMAIL_SAVED = (() => {
  const response = new VoiceResponse();
  response.say('Thank you. Goodbye.');
  response.hangup();
  return response.toString();
})();

export function voicemailSavedTwiml(): string {
  return VOICEMAIL_SAVED;
}

const NOT_IN_SERVICE = (() => {
  const response = new VoiceResponse();
  response.say('Sorry, the number you called is not in service. Goodbye.');
  response.hangup();
  return response.toString();
})();

/** A call to a number CallSnare does not (or no longer) route. */
export function notInServiceTwiml(): string {
  return NOT_IN_SERVICE;
}

const EMPTY_MESSAGING = new MessagingResponse().toString();

/** Messaging webhooks answer an empty document: replies go through the outbox, never inline. */
export function emptyMessagingTwiml(): string {
  return EMPTY_MESSAGING;
}
