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
