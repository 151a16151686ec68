// Phone numbers are stored and compared in E.164 (+15005550006). Validation and
// display come from @callsnare/rules (libphonenumber-js), which the dashboard shares.
export { formatPhone, isE164 } from '@callsnare/rules';

/** Digits only, for search ("(500) 555-0006" -> "5005550006"). */
export function digitsOf(value: string): string {
  return value.replace(/\D/g, '');
}
