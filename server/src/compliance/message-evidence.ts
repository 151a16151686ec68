// Why a text was allowed, written on the Message (Message.evidence) when it is decided:
// the consent basis, the opt-out state checked, where the recipient is and their local
// time, the calling window and its rule, the shop's quiet hours, and the cooldown and
// frequency checks. Pure: the callers pass what they read; the frequency count of a
// text-back is added by the missed-call statement, which reads it (missed-call-writes.ts).
import type { RecipientWindow } from './recipient-window';

/** The call or message that opened the conversation: what the caller did that a text answers. */
export type ConsentBasis = {
  basis: 'missed_call' | 'inbound_call' | 'inbound_text' | 'not_found';
  /** Twilio's id of that call (CallSid) or message (MessageSid). */
  providerId: string | null;
  at: string | null;
};

export type FrequencyCheck = {
  /** Automated texts to this phone, any lead of the org, in the 24 hours before this one (this one not counted). */
  automatedTextsInLast24h: number;
  cap: number;
  windowHours: 24;
};

export type MessageEvidence = {
  version: 1;
  decidedAt: string;
  kind: 'TEXT_BACK' | 'STAFF_REPLY';
  /** Automated texts wait for the recipient's window and count against the frequency cap; staff replies do neither. */
  automated: boolean;
  consent: ConsentBasis;
  optOut: { checked: true; optedOut: false };
  recipient: {
    basis: RecipientWindow['basis'];
    areaCode: string | null;
    country: RecipientWindow['country'];
    state: string | null;
    zones: string[];
    localTime: string;
  };
  window: {
    /** Whether the window (and the shop's quiet hours) allowed sending when this was decided. */
    allowedAtDecision: boolean;
    /** When an automated text may leave; null: at once. Staff replies are never held. */
    deferredUntil: string | null;
    rule: RecipientWindow['rule'];
    rules: { id: string; source: string }[];
  };
  shopQuietHours: { enabled: boolean; start: string; end: string; timeZone: string };
  cooldown: { minutes: number; passed: true } | { applies: false };
  /** Set by the statement that counts (text-backs); staff replies: not applied. */
  frequency?: FrequencyCheck | { applies: false };
};

export interface EvidenceInput {
  kind: MessageEvidence['kind'];
  decidedAt: Date;
  consent: ConsentBasis;
  window: RecipientWindow;
  /** When the text is held back (automated only). */
  deferredUntil: Date | null;
  shop: { timeZone: string; quietHours: { enabled: boolean; start: string; end: string } };
  cooldownMinutes: number | null;
}

export function messageEvidence(input: EvidenceInput): MessageEvidence {
  const { window } = input;
  const automated = input.kind !== 'STAFF_REPLY';
  return {
    version: 1,
    decidedAt: input.decidedAt.toISOString(),
    kind: input.kind,
    automated,
    consent: input.consent,
    optOut: { checked: true, optedOut: false },
    recipient: {
      basis: window.basis,
      areaCode: window.areaCode,
      country: window.country,
      state: window.state,
      zones: window.zones,
      localTime: window.localTime,
    },
    window: {
      allowedAtDecision: window.allowed,
      deferredUntil: input.deferredUntil?.toISOString() ?? null,
      rule: window.rule,
      rules: window.rules.map((rule) => ({ id: rule.id, source: rule.source })),
    },
    shopQuietHours: { ...input.shop.quietHours, timeZone: input.shop.timeZone },
    cooldown: automated && input.cooldownMinutes !== null ? { minutes: input.cooldownMinutes, passed: true } : { applies: false },
    ...(automated ? {} : { frequency: { applies: false } }),
  };
}
