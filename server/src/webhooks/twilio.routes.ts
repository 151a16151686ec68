// Twilio's voice and messaging webhooks: parse the delivery, call one
// recovery/messaging service, answer TwiML. (docs/public/webhooks.md)
import type { AppDeps } from '../app-deps';
import { inTransaction } from '../db/types';
import { applyDeliveryReport } from '../messaging/message-status.service';
import { twilioActor } from '../common/actor';
import { findCallContext, type CallContext } from '../recovery/call-context';
import {
  MISSED_DIAL_STATUSES,
  recordAnsweredCall,
  recordMissedCall,
  recordVoicemail,
  wasAcceptedAtScreening,
  type MissedCallInput,
} from '../recovery/calls.service';
import { applyOnce, lookupApplied, providerRefs } from '../recovery/exactly-once';
import { receiveInboundSms } from '../recovery/inbound-sms.service';
import { publishInboxUpdate } from '../live/inbox-updates';
import { isE164 } from '../common/phone';
import type { HandledDelivery, TwilioDelivery, TwilioRoute } from './twilio-delivery';
import { callerNumber, MalformedDelivery, optionalCount, optionalParam, requiredE164, requiredParam } from './twilio-params';
import { twilioPaths, twilioWebhookUrl } from '../common/twilio-paths';
import {
  emptyMessagingTwiml,
  forwardCallTwiml,
  hangupTwiml,
  missedCallTwiml,
  notInServiceTwiml,
  screeningAcceptedTwiml,
  screeningPromptTwiml,
  voicemailSavedTwiml,
} from './twiml';

export function twilioRoutes(deps: AppDeps): Record<keyof typeof routePaths, TwilioRoute> {
  const { db, clock, config } = deps;
  const url = (path: string, query?: Record<string, string>) => twilioWebhookUrl(config.publicBaseUrl, path, query);
  const notInService = (to: string): HandledDelivery => ({
    outcome: 'IGNORED',
    orgId: null,
    twiml: notInServiceTwiml(),
    note: `no active tracking line for ${to}`,
  });
  const missedCallAnswer = (context: CallContext, voicemail: boolean) =>
    missedCallTwiml(context.settings.businessName, voicemail && context.settings.voicemailEnabled ? url(twilioPaths.recording) : null);

  /** The incoming call: ring the shop's phone. Nothing is written but the log. */
  const voice: TwilioRoute = {
    eventId: (params) => optionalParam(params, 'CallSid'),
    async handle({ params }) {
      const callSid = requiredParam(params, 'CallSid');
      const to = requiredE164(params, 'To');
      const caller = callerNumber(params);
      const context = await findCallContext(db.prisma, to);
      if (!context) return notInService(to);
      const screeningUrl = context.settings.callScreeningEnabled ? url(twilioPaths.screen, { callSid, to, ...(caller ? { from: caller } : {}) }) : null;
      return {
        outcome: 'PROCESSED',
        orgId: context.line.orgId,
        twiml: forwardCallTwiml({
          forwardTo: context.line.forwardTo,
          ringTimeoutSeconds: context.settings.ringTimeoutSeconds,
          dialStatusUrl: url(twilioPaths.dialStatus),
          screeningUrl,
        }),
      };
    },
  };

  /** How the forwarded leg ended: the moment a missed call is recovered. */
  const dialStatus: TwilioRoute = {
    eventId: (params) => optionalParam(params, 'CallSid'),
    async handle({ params, request }) {
      const callSid = requiredParam(params, 'CallSid');
      const to = requiredE164(params, 'To');
      const caller = callerNumber(params);
      const status = requiredParam(params, 'DialCallStatus').toLowerCase();
      const duration = optionalCount(params, 'DialCallDuration');
      const refs = { missed: providerRefs.callMissed(callSid), answered: providerRefs.callAnswered(callSid), accepted: providerRefs.callAccepted(callSid) };
      // Is this a replay? The missed-call key's indexed lookup runs alongside the context query (which
      // answers the same question for the answered/accepted keys): a replay stops right after them.
      const mayBeMissed = status === 'completed' || (MISSED_DIAL_STATUSES as readonly string[]).includes(status);
      const [context, missedSeen] = await Promise.all([
        findCallContext(db.prisma, to, { seenRefs: [refs.answered, refs.accepted] }),
        mayBeMissed ? lookupApplied(db.prisma, refs.missed) : undefined,
      ]);
      if (!context) return notInService(to);
      const orgId = context.line.orgId;
      const actor = twilioActor(orgId, request);
      if (!caller) {
        return { outcome: 'IGNORED', orgId, twiml: missedCallAnswer(context, false), note: 'caller ID withheld: no number to text or call back' };
      }

      const missed = async (input: Omit<MissedCallInput, 'dashboardBaseUrl'>): Promise<HandledDelivery> => {
        const once = await applyOnce(
          db.prisma,
          refs.missed,
          (tx) => recordMissedCall(tx, actor, context, { ...input, dashboardBaseUrl: deps.config.publicBaseUrl }, clock),
          missedSeen,
        );
        const twiml = missedCallAnswer(context, true);
        if (once.duplicate) return { outcome: 'DUPLICATE', orgId, twiml };
        const { leadId, textBack } = once.result;
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
            // The text-back and any staff alerts wait in the outbox.
            deps.outbox.nudge();
            publishInboxUpdate(deps.live, { orgId, kind: 'MISSED_CALL', leadId, at: clock.now() });
          },
        };
      };

      if ((MISSED_DIAL_STATUSES as readonly string[]).includes(status)) {
        return missed({ callSid, callerPhone: caller, dialStatus: status, dialCallDurationSeconds: duration });
      }
      if (status !== 'completed') {
        return { outcome: 'IGNORED', orgId, twiml: hangupTwiml(), note: `unexpected DialCallStatus "${status}"` };
      }
      if (context.settings.callScreeningEnabled) {
        // "completed" also means a voicemail box picked up at the ring timeout; only a pressed 1 is an answer.
        if (context.seenRefs?.has(refs.accepted) ?? (await wasAcceptedAtScreening(db.prisma, orgId, callSid)))
          return { outcome: 'PROCESSED', orgId, twiml: hangupTwiml() };
        return missed({ callSid, callerPhone: caller, dialStatus: status, dialCallDurationSeconds: duration, notAcceptedAtScreening: true });
      }
      const once = await applyOnce(
        db.prisma,
        refs.answered,
        (tx) => recordAnsweredCall(tx, actor, context, { callSid, callerPhone: caller, durationSeconds: duration, via: 'dial' }, clock),
        checked(context, refs.answered),
      );
      return { outcome: once.duplicate ? 'DUPLICATE' : 'PROCESSED', orgId, twiml: hangupTwiml() };
    },
  };

  /**
   * Call screening, on the shop phone's leg (the <Number url>): first the
   * prompt, then (same URL, with Digits) the answer. Our query parameters name
   * the caller's call; the signature covers them.
   */
  const screen: TwilioRoute = {
    eventId: (params) => optionalParam(params, 'CallSid'),
    async handle({ params, query, request }) {
      requiredParam(params, 'CallSid');
      const parentCallSid = query.callSid;
      const to = query.to;
      if (!parentCallSid || !to || !isE164(to)) throw new MalformedDelivery('the screening URL must carry callSid and to (as CallSnare generated it)');
      const caller = query.from && isE164(query.from) ? query.from : null;
      const acceptedRef = providerRefs.callAccepted(parentCallSid);
      const context = await findCallContext(db.prisma, to, { seenRefs: [acceptedRef] });
      if (!context) return { ...notInService(to), twiml: hangupTwiml() };
      const orgId = context.line.orgId;
      const digits = optionalParam(params, 'Digits');
      if (digits === null) {
        return { outcome: 'PROCESSED', orgId, twiml: screeningPromptTwiml(context.settings.businessName, url(twilioPaths.screen, query)) };
      }
      if (digits.trim() !== '1') return { outcome: 'IGNORED', orgId, twiml: hangupTwiml(), note: 'call not accepted at the screening prompt' };
      if (!caller) return { outcome: 'PROCESSED', orgId, twiml: screeningAcceptedTwiml() };
      const once = await applyOnce(
        db.prisma,
        acceptedRef,
        (tx) =>
          recordAnsweredCall(
            tx,
            twilioActor(orgId, request),
            context,
            { callSid: parentCallSid, callerPhone: caller, durationSeconds: null, via: 'screening' },
            clock,
          ),
        checked(context, acceptedRef),
      );
      return { outcome: once.duplicate ? 'DUPLICATE' : 'PROCESSED', orgId, twiml: screeningAcceptedTwiml() };
    },
  };

  /** The voicemail box's <Record action>: the recording's URL goes on the lead's timeline. */
  const recording: TwilioRoute = {
    eventId: (params) => optionalParam(params, 'RecordingSid') ?? optionalParam(params, 'CallSid'),
    async handle({ params, request }) {
      const callSid = requiredParam(params, 'CallSid');
      const recordingSid = requiredParam(params, 'RecordingSid');
      const recordingUrl = requiredParam(params, 'RecordingUrl');
      const to = requiredE164(params, 'To');
      const ref = providerRefs.voicemail(recordingSid);
      const context = await findCallContext(db.prisma, to, { seenRefs: [ref] });
      if (!context) return { ...notInService(to), twiml: hangupTwiml() };
      const orgId = context.line.orgId;
      const once = await applyOnce(
        db.prisma,
        ref,
        (tx) =>
          recordVoicemail(
            tx,
            twilioActor(orgId, request),
            { callSid, recordingSid, recordingUrl, durationSeconds: optionalCount(params, 'RecordingDuration') },
            clock,
          ),
        checked(context, ref),
      );
      if (once.duplicate) return { outcome: 'DUPLICATE', orgId, twiml: voicemailSavedTwiml() };
      if (!once.result) return { outcome: 'IGNORED', orgId, twiml: voicemailSavedTwiml(), note: `no missed call ${callSid} to attach the voicemail to` };
      return { outcome: 'PROCESSED', orgId, twiml: voicemailSavedTwiml(), sandboxHeaders: { 'X-CallSnare-Lead-Id': once.result.leadId } };
    },
  };

  /** A text to a tracking number. */
  const sms: TwilioRoute = {
    eventId: (params) => optionalParam(params, 'MessageSid'),
    async handle({ params, request }) {
      const messageSid = requiredParam(params, 'MessageSid');
      const from = requiredE164(params, 'From');
      const to = requiredE164(params, 'To');
      const body = optionalParam(params, 'Body') ?? '';
      const ref = providerRefs.inboundSms(messageSid);
      const context = await findCallContext(db.prisma, to, { seenRefs: [ref] });
      if (!context) return { outcome: 'IGNORED', orgId: null, twiml: emptyMessagingTwiml(), note: `no active tracking line for ${to}` };
      const orgId = context.line.orgId;
      const once = await applyOnce(
        db.prisma,
        ref,
        (tx) =>
          receiveInboundSms(
            tx,
            twilioActor(orgId, request),
            context,
            { messageSid, from, body, mediaCount: optionalCount(params, 'NumMedia') ?? 0, dashboardBaseUrl: deps.config.publicBaseUrl },
            clock,
          ),
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
          publishInboxUpdate(deps.live, { orgId, kind: needsReply ? 'REPLY_RECEIVED' : 'LEAD_CHANGED', leadId, at: clock.now() });
        },
      };
    },
  };

  /** Delivery reports for our outbound texts. */
  const smsStatus: TwilioRoute = {
    eventId: (params) => {
      const sid = optionalParam(params, 'MessageSid');
      const status = optionalParam(params, 'MessageStatus');
      return sid ? `${sid}:${status ?? ''}` : null;
    },
    async handle({ params, query, request }: TwilioDelivery) {
      const providerSid = requiredParam(params, 'MessageSid');
      const providerStatus = requiredParam(params, 'MessageStatus');
      const errorCode = optionalParam(params, 'ErrorCode')?.trim() || null;
      const result = await inTransaction(db.prisma, (tx) =>
        applyDeliveryReport(tx, (orgId) => twilioActor(orgId, request), { messageId: query.messageId ?? null, providerSid, providerStatus, errorCode }, clock),
      );
      if (result.applied) return { outcome: 'PROCESSED', orgId: result.orgId, twiml: emptyMessagingTwiml() };
      return { outcome: result.duplicate ? 'DUPLICATE' : 'IGNORED', orgId: result.orgId, twiml: emptyMessagingTwiml(), note: result.reason };
    },
  };

  return { voice, dialStatus, screen, recording, sms, smsStatus };
}

/** What findCallContext already found out about a provider ref (see applyOnce). */
function checked(context: CallContext, ref: string): { applied: boolean; orgId: string } | undefined {
  return context.seenRefs ? { applied: context.seenRefs.has(ref), orgId: context.line.orgId } : undefined;
}

/** Route name -> path under /webhooks/twilio. */
export const routePaths = {
  voice: twilioPaths.voice,
  dialStatus: twilioPaths.dialStatus,
  screen: twilioPaths.screen,
  recording: twilioPaths.recording,
  sms: twilioPaths.sms,
  smsStatus: twilioPaths.smsStatus,
} as const;
