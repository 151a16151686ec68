// How the callback queue reads: which attempt this is, and whether it is late
// right now (red means late, nothing else).

import type { CallbackStatus } from '../generated/graphql';

const OPEN_CALLBACK = new Set<CallbackStatus>(['OPEN', 'SCHEDULED']);

/** "1st", "2nd", "3rd", "4th", … "11th", "12th", "13th", "21st". */
export function ordinal(n: number): string {
  const teen = n % 100 >= 11 && n % 100 <= 13;
  const suffix = teen ? 'th' : (({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th');
  return `${n}${suffix}`;
}

/** Shown only from the second attempt: a first callback is just "the callback". */
export function attemptLabel(attempt: number): string | null {
  return attempt > 1 ? `${ordinal(attempt)} attempt` : null;
}

/** Late at `now`: open and past its due time (a callback turns red while the page is open, not only on refetch). */
export function isOverdue(callback: { status: CallbackStatus; dueAt: string }, now: number): boolean {
  return OPEN_CALLBACK.has(callback.status) && Date.parse(callback.dueAt) <= now;
}
