// A text's evidence (Message.evidence, written by the server when the text was decided) in
// plain words: when a held-back text goes, and "Why was this sent?". The server owns the
// rules and their wording (rule.summary, rule.description, rule.source); this only phrases.

type Json = Record<string, unknown>;

const PLACES: Record<string, string> = {
  AL: 'Alabama',
  AK: 'Alaska',
  AZ: 'Arizona',
  AR: 'Arkansas',
  CA: 'California',
  CO: 'Colorado',
  CT: 'Connecticut',
  DE: 'Delaware',
  DC: 'the District of Columbia',
  FL: 'Florida',
  GA: 'Georgia',
  HI: 'Hawaii',
  ID: 'Idaho',
  IL: 'Illinois',
  IN: 'Indiana',
  IA: 'Iowa',
  KS: 'Kansas',
  KY: 'Kentucky',
  LA: 'Louisiana',
  ME: 'Maine',
  MD: 'Maryland',
  MA: 'Massachusetts',
  MI: 'Michigan',
  MN: 'Minnesota',
  MS: 'Mississippi',
  MO: 'Missouri',
  MT: 'Montana',
  NE: 'Nebraska',
  NV: 'Nevada',
  NH: 'New Hampshire',
  NJ: 'New Jersey',
  NM: 'New Mexico',
  NY: 'New York',
  NC: 'North Carolina',
  ND: 'North Dakota',
  OH: 'Ohio',
  OK: 'Oklahoma',
  OR: 'Oregon',
  PA: 'Pennsylvania',
  RI: 'Rhode Island',
  SC: 'South Carolina',
  SD: 'South Dakota',
  TN: 'Tennessee',
  TX: 'Texas',
  UT: 'Utah',
  VT: 'Vermont',
  VA: 'Virginia',
  WA: 'Washington',
  WV: 'West Virginia',
  WI: 'Wisconsin',
  WY: 'Wyoming',
  PR: 'Puerto Rico',
  VI: 'the U.S. Virgin Islands',
  GU: 'Guam',
  AS: 'American Samoa',
  MP: 'the Northern Mariana Islands',
  AB: 'Alberta',
  BC: 'British Columbia',
  MB: 'Manitoba',
  NB: 'New Brunswick',
  NL: 'Newfoundland and Labrador',
  NS: 'Nova Scotia',
  PE: 'Prince Edward Island',
  ON: 'Ontario',
  QC: 'Quebec',
  SK: 'Saskatchewan',
  YT: 'Yukon',
  NT: 'the Northwest Territories',
  NU: 'Nunavut',
};

const obj = (value: unknown): Json => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {});
const str = (value: unknown): string | null => (typeof value === 'string' && value.length > 0 ? value : null);
const num = (value: unknown): number | null => (typeof value === 'number' ? value : null);

/** "FL" -> "Florida"; "NS/PE" -> "Nova Scotia or Prince Edward Island". */
export function placeName(state: string | null): string | null {
  if (!state) return null;
  return state
    .split('/')
    .map((code) => PLACES[code] ?? code)
    .join(' or ');
}

function clock(iso: string, timeZone: string | null): string {
  const options: Intl.DateTimeFormatOptions = { hour: 'numeric', minute: '2-digit' };
  try {
    return new Intl.DateTimeFormat('en-US', { ...options, ...(timeZone ? { timeZone } : {}) }).format(new Date(iso));
  } catch {
    return new Intl.DateTimeFormat('en-US', options).format(new Date(iso));
  }
}

function whoAllows(evidence: Json): string {
  const recipient = obj(evidence.recipient);
  const rule = obj(obj(evidence.window).rule);
  const summary = str(rule.summary) ?? str(rule.description) ?? 'its calling hours';
  const place = recipient.basis === 'area-code' ? placeName(str(recipient.state)) : null;
  if (place && rule.id !== 'us-federal-tcpa') return `${place} allows texts ${summary}`;
  if (place) return `federal rules allow texts to ${place} ${summary}`;
  return `the caller's place is not known from their number, so federal rules apply in the shop's time zone: ${summary}`;
}

/** "Scheduled for 8:00 AM caller's time — Florida allows texts 8 am–8 pm." or null when the text was not held back. */
export function deferredWords(message: { deferredUntil?: string | null; status: string; evidence?: unknown }): string | null {
  if (!message.deferredUntil || message.status !== 'QUEUED') return null;
  const evidence = obj(message.evidence);
  const recipient = obj(evidence.recipient);
  const zones = Array.isArray(recipient.zones) ? (recipient.zones as unknown[]).filter((zone): zone is string => typeof zone === 'string') : [];
  const callerClock = recipient.basis === 'area-code' && zones[0] ? zones[0] : null;
  const when = callerClock
    ? `${clock(message.deferredUntil, callerClock)} caller's time`
    : `${clock(message.deferredUntil, str(obj(evidence.shopQuietHours).timeZone))} shop time`;
  const quiet = obj(evidence.shopQuietHours);
  const quietWords = quiet.enabled === true ? `; the shop's quiet hours are ${str(quiet.start)}–${str(quiet.end)}` : '';
  return `Scheduled for ${when} — ${whoAllows(evidence)}${quietWords}.`;
}

/** "Why was this sent?": one sentence per check the server recorded, in its order. */
export function evidenceLines(evidence: unknown): string[] {
  const e = obj(evidence);
  if (Object.keys(e).length === 0) return [];
  const lines: string[] = [];
  const consent = obj(e.consent);
  const at = str(consent.at);
  const id = str(consent.providerId);
  const ref = id ? ` (${id}${at ? `, ${new Date(at).toISOString().replace('.000Z', 'Z')}` : ''})` : '';
  lines.push(
    consent.basis === 'missed_call'
      ? `Consent: the caller phoned the shop and the call was missed${ref}; this text answers that call.`
      : consent.basis === 'inbound_call'
        ? `Consent: the caller phoned the shop${ref}, which opened this conversation.`
        : consent.basis === 'inbound_text'
          ? `Consent: the caller texted the shop${ref}, which opened this conversation.`
          : 'Consent: no call or text from the caller was found on this lead.',
  );
  if (obj(e.optOut).checked === true) lines.push('Opt-out: checked when the text was decided; the caller had not texted STOP.');
  const recipient = obj(e.recipient);
  const zones = Array.isArray(recipient.zones) ? (recipient.zones as string[]).join(', ') : '';
  const local = str(recipient.localTime);
  const localWords = local ? ` It was ${clock(local, Array.isArray(recipient.zones) ? str((recipient.zones as unknown[])[0]) : null)} there.` : '';
  lines.push(
    recipient.basis === 'area-code'
      ? `Where: area code ${str(recipient.areaCode) ?? '?'} is in ${placeName(str(recipient.state)) ?? 'an unknown place'} (${zones}).${localWords}`
      : `Where: the number's area code does not say where the caller is, so the shop's time zone was used (${zones}).${localWords}`,
  );
  const window = obj(e.window);
  const rule = obj(window.rule);
  const deferred = str(window.deferredUntil);
  const timing =
    e.automated === false
      ? 'Staff replies are not held back.'
      : deferred
        ? `Held until ${new Date(deferred).toISOString().replace('.000Z', 'Z')}.`
        : 'Inside the window: sent at once.';
  lines.push(`Calling window: ${str(rule.summary) ?? str(rule.description) ?? 'unknown'} (${str(rule.source) ?? 'no source recorded'}). ${timing}`);
  const quiet = obj(e.shopQuietHours);
  lines.push(quiet.enabled === true ? `Shop quiet hours: ${str(quiet.start)}–${str(quiet.end)} (${str(quiet.timeZone)}).` : 'Shop quiet hours: off.');
  const cooldown = obj(e.cooldown);
  if (num(cooldown.minutes) !== null) {
    lines.push(`Cooldown: no other text-back to this caller was waiting or sent in the previous ${num(cooldown.minutes)} minutes.`);
  }
  const frequency = obj(e.frequency);
  const cap = num(frequency.cap);
  if (cap !== null) {
    const count = num(frequency.automatedTextsInLast24h) ?? 0;
    lines.push(`Daily limit: ${count} automatic ${count === 1 ? 'text' : 'texts'} to this number in the previous 24 hours; the limit is ${cap}.`);
  } else if (frequency.applies === false) {
    lines.push('Daily limit: does not apply to a staff reply in the conversation.');
  }
  return lines;
}
