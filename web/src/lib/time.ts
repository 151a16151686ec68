// Times as staff read them: relative ("5 min ago") next to absolute, in the org's time zone.

export function formatAbsolute(iso: string | null | undefined, timeZone: string | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  try {
    return new Intl.DateTimeFormat('en-US', {
      timeZone,
      month: 'short',
      day: 'numeric',
      year: 'numeric',
      hour: 'numeric',
      minute: '2-digit',
      timeZoneName: 'short',
    }).format(date);
  } catch {
    return date.toISOString();
  }
}

/** "just now", "5 min ago", "in 3 h", "2 days ago". */
export function formatRelative(iso: string | null | undefined, now: number = Date.now()): string {
  if (!iso) return '';
  const diffSeconds = Math.round((new Date(iso).getTime() - now) / 1000);
  const abs = Math.abs(diffSeconds);
  if (abs < 45) return 'just now';
  const [value, unit] = abs < 3600 ? [Math.round(abs / 60), 'min'] : abs < 86400 ? [Math.round(abs / 3600), 'h'] : [Math.round(abs / 86400), abs < 2 * 86400 ? 'day' : 'days'];
  return diffSeconds < 0 ? `${value} ${unit} ago` : `in ${value} ${unit}`;
}

/** How late an overdue item is: "12 min late", "3 h 5 min late". */
export function formatLateness(dueIso: string, now: number = Date.now()): string | null {
  const lateMinutes = Math.floor((now - new Date(dueIso).getTime()) / 60000);
  if (lateMinutes < 1) return null;
  if (lateMinutes < 60) return `${lateMinutes} min late`;
  const hours = Math.floor(lateMinutes / 60);
  if (hours < 48) return `${hours} h ${lateMinutes % 60} min late`;
  return `${Math.floor(hours / 24)} days late`;
}

/** "HH:MM" in a time zone, for quiet-hours checks. */
export function clockInZone(date: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(date);
  const hour = parts.find((p) => p.type === 'hour')?.value ?? '00';
  const minute = parts.find((p) => p.type === 'minute')?.value ?? '00';
  return `${hour}:${minute}`;
}

/** Whether a HH:MM clock time lies in [start, end), where the range may wrap past midnight. */
export function inQuietHours(clock: string, start: string, end: string): boolean {
  if (start === end) return false;
  return start < end ? clock >= start && clock < end : clock >= start || clock < end;
}

/** A yyyy-mm-dd input value -> ISO at the start of that day (local), or undefined. */
export function dayStartIso(value: string): string | undefined {
  if (!value) return undefined;
  const date = new Date(`${value}T00:00:00`);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** A yyyy-mm-dd input value -> ISO at the start of the next day (exclusive end). */
export function dayEndIso(value: string): string | undefined {
  if (!value) return undefined;
  const date = new Date(`${value}T00:00:00`);
  if (Number.isNaN(date.getTime())) return undefined;
  date.setDate(date.getDate() + 1);
  return date.toISOString();
}

export function formatPhone(e164: string): string {
  const m = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(e164);
  return m ? `(${m[1]}) ${m[2]}-${m[3]}` : e164;
}
