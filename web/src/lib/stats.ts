// Report helpers: range presets and filling days without calls so charts show gaps as zero.
export function rangeFor(days: number, now: Date = new Date()): { since: string; until: string } {
  const until = new Date(now);
  const since = new Date(now.getTime() - days * 86400000);
  return { since: since.toISOString(), until: until.toISOString() };
}

/** Every yyyy-mm-dd from the first to the last given day (inclusive), with missing days at 0. */
export function fillDays(points: readonly { date: string; count: number }[], sinceDay: string, untilDay: string): { date: string; count: number }[] {
  const counts = new Map(points.map((p) => [p.date, p.count]));
  const out: { date: string; count: number }[] = [];
  const cursor = new Date(`${sinceDay}T12:00:00Z`);
  const end = new Date(`${untilDay}T12:00:00Z`);
  for (let guard = 0; cursor <= end && guard < 400; guard += 1) {
    const day = cursor.toISOString().slice(0, 10);
    out.push({ date: day, count: counts.get(day) ?? 0 });
    cursor.setUTCDate(cursor.getUTCDate() + 1);
  }
  return out;
}

export function percent(rate: number | null | undefined): string {
  return rate == null ? '—' : `${Math.round(rate * 100)}%`;
}

/** yyyy-mm-dd of an instant in a time zone. */
export function dayInZone(iso: string, timeZone: string | undefined): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(iso));
}

/** A chart's day label, as lines: ["Tue", "10"] for a week or two, ["Mar 10"] for longer ranges. */
export function dayTickLines(day: string, rangeDays: number): string[] {
  const date = new Date(`${day}T12:00:00Z`);
  if (Number.isNaN(date.getTime())) return [day];
  if (rangeDays > 14) return [new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' }).format(date)];
  return [new Intl.DateTimeFormat('en-US', { weekday: 'short', timeZone: 'UTC' }).format(date), String(date.getUTCDate())];
}

/** The same on one line: "Tue 10", "Mar 10". */
export function dayLabel(day: string, rangeDays: number): string {
  return dayTickLines(day, rangeDays).join(' ');
}

/** A day in full for tooltips: "Tuesday, March 10". */
export function dayInFull(day: string): string {
  const date = new Date(`${day}T12:00:00Z`);
  if (Number.isNaN(date.getTime())) return day;
  return new Intl.DateTimeFormat('en-US', { weekday: 'long', month: 'long', day: 'numeric', timeZone: 'UTC' }).format(date);
}

/** Minutes as people say them: "45 min", "2 h 5 min", "3 days". */
export function minutesLabel(minutes: number): string {
  const rounded = Math.round(minutes);
  if (rounded < 60) return `${rounded} min`;
  if (rounded < 48 * 60) return rounded % 60 === 0 ? `${rounded / 60} h` : `${Math.floor(rounded / 60)} h ${rounded % 60} min`;
  return `${Math.round(rounded / 1440)} days`;
}
