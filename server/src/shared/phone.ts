// Phone numbers are stored and compared in E.164 (+15005550006).
const E164 = /^\+[1-9]\d{6,14}$/;

export function isE164(value: string): boolean {
  return E164.test(value);
}

/** Digits only, for search ("(500) 555-0006" -> "5005550006"). */
export function digitsOf(value: string): string {
  return value.replace(/\D/g, '');
}
