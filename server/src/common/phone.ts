// Phone numbers are stored and compared in E.164 (+15005550006).
const E164 = /^\+[1-9]\d{6,14}$/;

export function isE164(value: string): boolean {
  return E164.test(value);
}

/** Digits only, for search ("(500) 555-0006" -> "5005550006"). */
export function digitsOf(value: string): string {
  return value.replace(/\D/g, '');
}

/** "+15005550006" -> "(500) 555-0006"; other countries stay in E.164. */
export function displayPhone(e164: string): string {
  const nanp = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(e164);
  return nanp ? `(${nanp[1]}) ${nanp[2]}-${nanp[3]}` : e164;
}
