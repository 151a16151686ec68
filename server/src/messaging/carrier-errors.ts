// What a provider's delivery error code means, in words a shop owner can act on. One table,
// with where each meaning comes from (Twilio's error dictionary, https://www.twilio.com/docs/api/errors/<code>,
// and its support articles on A2P 10DLC and toll-free verification, read 2026-11).
// `filtering` marks the codes that say the sending line itself is blocked or filtered by
// carriers (registration or reputation), not one recipient's phone: those alert the
// organization's managers once per tracking line (messaging/carrier-filtering.ts).

export interface CarrierError {
  /** The sentence shown under the failed text. */
  reason: string;
  /** The line's traffic is filtered or unregistered: managers must act on the line, not on this caller. */
  filtering: boolean;
  /** Where the meaning is documented. */
  source: string;
}

const twilioError = (code: string) => `https://www.twilio.com/docs/api/errors/${code}`;

export const CARRIER_ERRORS: Readonly<Record<string, CarrierError>> = {
  '21610': {
    reason: 'Not delivered: this person has opted out of texts from this number (they replied STOP). They have been marked opted out.',
    filtering: false,
    source: twilioError('21610'),
  },
  '30003': {
    reason: "Not delivered: the caller's phone could not be reached (switched off, out of coverage or not taking texts right now).",
    filtering: false,
    source: twilioError('30003'),
  },
  '30005': {
    reason: 'Not delivered: the carrier says this number is unknown or no longer in service.',
    filtering: false,
    source: twilioError('30005'),
  },
  '30006': {
    reason: 'Not delivered: this number is a landline or its carrier cannot receive texts. Call the person instead.',
    filtering: false,
    source: twilioError('30006'),
  },
  '30007': {
    reason:
      "Blocked by carrier filtering: Twilio or the recipient's carrier filtered this text as spam or against carrier rules. Check the tracking line's messaging registration and the wording of your texts.",
    filtering: true,
    source: twilioError('30007'),
  },
  '30008': {
    reason: 'Not delivered: the carrier reported an unknown error. Trying again later may work.',
    filtering: false,
    source: twilioError('30008'),
  },
  '30022': {
    reason: "Not delivered: carriers refused it for going over the sending rate allowed for this line's A2P 10DLC campaign.",
    filtering: false,
    source: twilioError('30022'),
  },
  '30032': {
    reason:
      'Blocked: this toll-free tracking number has not completed toll-free verification, and carriers in the US and Canada block texts from unverified toll-free numbers.',
    filtering: true,
    source: `${twilioError('30032')}; https://help.twilio.com/articles/20212966914075`,
  },
  '30034': {
    reason:
      'Blocked: this tracking number is not registered for A2P 10DLC business texting, and US carriers block texts from unregistered 10-digit numbers. Register the number with an approved campaign.',
    filtering: true,
    source: `${twilioError('30034')}; https://help.twilio.com/articles/14910496447771`,
  },
};

/** The plain-language reason for a provider error code; unknown codes get a generic sentence naming the code. */
export function explainCarrierError(code: string): CarrierError {
  const known = CARRIER_ERRORS[code];
  if (known) return known;
  return {
    reason: `Not delivered: the carrier or Twilio refused this text with error ${code} (see ${twilioError(encodeURIComponent(code))}).`,
    filtering: false,
    source: twilioError(encodeURIComponent(code)),
  };
}
