// Reading Twilio's form parameters. A delivery missing what its route needs,
// or carrying numbers that are not E.164, is malformed: 400 with a reason the
// sender can act on, logged, and nothing else written.
import { isE164 } from '../common/phone';

export type TwilioParams = Record<string, unknown>;

export class MalformedDelivery extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedDelivery';
  }
}

export function optionalParam(params: TwilioParams, name: string): string | null {
  const value = params[name];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw new MalformedDelivery(`${name} must be given once, as text`);
  // PostgreSQL text cannot hold U+0000; dropping it beats failing (and being retried) forever.
  return value.replaceAll('\u0000', '');
}

export function requiredParam(params: TwilioParams, name: string): string {
  const value = optionalParam(params, name)?.trim();
  if (!value) throw new MalformedDelivery(`${name} is required`);
  return value;
}

export function requiredE164(params: TwilioParams, name: string): string {
  const value = requiredParam(params, name);
  if (!isE164(value)) throw new MalformedDelivery(`${name} must be an E.164 phone number like +15005550006 (got "${value.slice(0, 40)}")`);
  return value;
}

/** Caller-ID values Twilio sends when the caller withheld their number. */
const WITHHELD_CALLER_IDS = new Set([
  'anonymous',
  'restricted',
  'unknown',
  'unavailable',
  'private',
  'blocked',
  '+266696687',
  '+7378742833',
  '+2562533',
  '+8656696',
]);

/** `From` of a call: an E.164 number, or null when the caller withheld it (still a valid delivery). */
export function callerNumber(params: TwilioParams): string | null {
  const value = requiredParam(params, 'From');
  if (WITHHELD_CALLER_IDS.has(value.toLowerCase())) return null;
  if (!isE164(value)) throw new MalformedDelivery(`From must be an E.164 phone number like +15005550123 (got "${value.slice(0, 40)}")`);
  return value;
}

/** A non-negative whole number parameter (durations, counts); null when absent or not a number. */
export function optionalCount(params: TwilioParams, name: string): number | null {
  const value = optionalParam(params, name);
  if (value === null || !/^\d{1,9}$/.test(value.trim())) return null;
  return Number(value.trim());
}
