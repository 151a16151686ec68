// Org settings: reading and validated, audited updates. Every rule a field
// must satisfy is checked here and reported per field (BAD_USER_INPUT with
// extensions.fields), so nothing invalid is ever stored.
import type { Tx } from '../db/types';
import type { OrgSettings, Prisma } from '../generated/prisma/client';
import type { Actor } from '../common/actor';
import type { Clock } from '../common/clock';
import { diffFields, recordAudit } from '../audit/audit.service';
import { badInput, notFound } from '../common/errors';
import { isIanaTimeZone } from './defaults';
import { WEEKDAYS, type BusinessHours, type Weekday } from '../common/shop-time';
import { templateProblem } from './templates';

export const SETTINGS_LIMITS = {
  businessName: { min: 1, max: 100 },
  ringTimeoutSeconds: { min: 5, max: 60 },
  callbackSlaMinutes: { min: 1, max: 1440 },
  textBackCooldownMinutes: { min: 0, max: 1440 },
  /** Automated texts to one caller per rolling 24 h: at least the text-back, at most a handful. */
  maxAutomatedTextsPerDay: { min: 1, max: 10 },
  intervalsPerDay: 3,
  /** Waits between callback attempts: a few retries, each from 5 minutes to a week. */
  callbackRetryMinutes: { min: 5, max: 10_080, maxEntries: 6 },
} as const;

export interface SettingsChanges {
  businessName?: string | null;
  timezone?: string | null;
  textBackEnabled?: boolean | null;
  businessHoursTemplate?: string | null;
  afterHoursTemplate?: string | null;
  /** Days to replace; days not listed keep their hours. An empty list closes the day. */
  businessHours?: { day: Weekday; intervals: { start: string; end: string }[] }[] | null;
  quietHoursEnabled?: boolean | null;
  quietHoursStart?: string | null;
  quietHoursEnd?: string | null;
  textBackCooldownMinutes?: number | null;
  maxAutomatedTextsPerDay?: number | null;
  ringTimeoutSeconds?: number | null;
  callbackSlaMinutes?: number | null;
  /** Minutes to wait before each retry after NO_ANSWER / LEFT_VOICEMAIL; [] means no retries. */
  callbackRetryMinutes?: number[] | null;
  callScreeningEnabled?: boolean | null;
  voicemailEnabled?: boolean | null;
}

export async function getSettings(tx: Tx, actor: Actor): Promise<OrgSettings> {
  const settings = await tx.orgSettings.findUnique({ where: { orgId: actor.orgId } });
  if (!settings) throw notFound('Settings');
  return settings;
}

export function readBusinessHours(settings: Pick<OrgSettings, 'businessHours'>): BusinessHours {
  const stored = (settings.businessHours ?? {}) as Partial<BusinessHours>;
  return Object.fromEntries(WEEKDAYS.map((day) => [day, stored[day] ?? []])) as BusinessHours;
}

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

function inRange(value: number, range: { min: number; max: number }): boolean {
  return Number.isInteger(value) && value >= range.min && value <= range.max;
}

/** Validates the changes against the current settings; returns the data to store, or throws with every problem. */
export function validateSettingsChanges(current: OrgSettings, input: SettingsChanges): Prisma.OrgSettingsUpdateInput {
  const fields: Record<string, string> = {};
  const data: Prisma.OrgSettingsUpdateInput = {};
  const set = <K extends keyof Prisma.OrgSettingsUpdateInput>(key: K, value: Prisma.OrgSettingsUpdateInput[K]) => {
    data[key] = value;
  };

  if (input.businessName !== undefined && input.businessName !== null) {
    const name = input.businessName.trim();
    if (name.length < SETTINGS_LIMITS.businessName.min || name.length > SETTINGS_LIMITS.businessName.max) {
      fields.businessName = `must be ${SETTINGS_LIMITS.businessName.min}–${SETTINGS_LIMITS.businessName.max} characters`;
    } else set('businessName', name);
  }
  if (input.timezone !== undefined && input.timezone !== null) {
    if (!isIanaTimeZone(input.timezone)) fields.timezone = `"${input.timezone}" is not an IANA time zone (e.g. America/Chicago)`;
    else set('timezone', input.timezone);
  }
  for (const key of ['businessHoursTemplate', 'afterHoursTemplate'] as const) {
    const template = input[key];
    if (template === undefined || template === null) continue;
    const problem = templateProblem(template);
    if (problem) fields[key] = problem;
    else set(key, template.trim());
  }
  for (const key of ['ringTimeoutSeconds', 'callbackSlaMinutes', 'textBackCooldownMinutes', 'maxAutomatedTextsPerDay'] as const) {
    const value = input[key];
    if (value === undefined || value === null) continue;
    const range = SETTINGS_LIMITS[key];
    if (!inRange(value, range)) fields[key] = `must be a whole number from ${range.min} to ${range.max}`;
    else set(key, value);
  }
  if (input.callbackRetryMinutes !== undefined && input.callbackRetryMinutes !== null) {
    const problem = retryMinutesProblem(input.callbackRetryMinutes);
    if (problem) fields.callbackRetryMinutes = problem;
    else set('callbackRetryMinutes', [...input.callbackRetryMinutes]);
  }
  for (const key of ['textBackEnabled', 'quietHoursEnabled', 'callScreeningEnabled', 'voicemailEnabled'] as const) {
    const value = input[key];
    if (value !== undefined && value !== null) set(key, value);
  }
  for (const key of ['quietHoursStart', 'quietHoursEnd'] as const) {
    const value = input[key];
    if (value === undefined || value === null) continue;
    if (!TIME.test(value)) fields[key] = 'must be a time as HH:MM (24-hour), e.g. 21:00';
    else set(key, value);
  }
  const quietStart = (data.quietHoursStart as string | undefined) ?? current.quietHoursStart;
  const quietEnd = (data.quietHoursEnd as string | undefined) ?? current.quietHoursEnd;
  if (!fields.quietHoursStart && !fields.quietHoursEnd && quietStart === quietEnd) {
    fields.quietHoursEnd = 'quiet hours must not start and end at the same time';
  }

  if (input.businessHours) {
    const hours = readBusinessHours(current);
    const seen = new Set<Weekday>();
    for (const { day, intervals } of input.businessHours) {
      const key = `businessHours.${day}`;
      if (seen.has(day)) {
        fields[key] = 'day listed twice';
        continue;
      }
      seen.add(day);
      const problem = intervalsProblem(intervals);
      if (problem) fields[key] = problem;
      else hours[day] = [...intervals].sort((a, b) => a.start.localeCompare(b.start));
    }
    set('businessHours', hours);
  }

  const problems = Object.entries(fields);
  const [firstProblem] = problems;
  if (firstProblem !== undefined) {
    const [field, message] = firstProblem;
    throw badInput(`${field} ${message}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}`, fields);
  }
  return data;
}

function retryMinutesProblem(minutes: readonly number[]): string | null {
  const { min, max, maxEntries } = SETTINGS_LIMITS.callbackRetryMinutes;
  if (minutes.length > maxEntries) return `must list at most ${maxEntries} retries (got ${minutes.length})`;
  const bad = minutes.findIndex((value) => !inRange(value, { min, max }));
  if (bad >= 0) return `retry ${bad + 1} (${minutes[bad]}) must be a whole number of minutes from ${min} to ${max}`;
  return null;
}

function intervalsProblem(intervals: { start: string; end: string }[]): string | null {
  if (intervals.length > SETTINGS_LIMITS.intervalsPerDay) return `at most ${SETTINGS_LIMITS.intervalsPerDay} opening intervals per day`;
  for (const { start, end } of intervals) {
    if (!TIME.test(start) || !TIME.test(end)) return 'times must be HH:MM (24-hour)';
    if (start >= end) return `opening interval ${start}–${end} must end after it starts`;
  }
  const sorted = [...intervals].sort((a, b) => a.start.localeCompare(b.start));
  for (const [i, current] of sorted.entries()) {
    const previous = sorted[i - 1];
    if (previous !== undefined && current.start < previous.end)
      return `opening intervals ${previous.start}–${previous.end} and ${current.start}–${current.end} overlap`;
  }
  return null;
}

export async function updateSettings(tx: Tx, actor: Actor, input: SettingsChanges, clock: Clock): Promise<OrgSettings> {
  const current = await getSettings(tx, actor);
  const data = validateSettingsChanges(current, input);
  const comparableBefore = current as unknown as Record<string, unknown>;
  const changes = diffFields(comparableBefore, data as Record<string, unknown>);
  if (Object.keys(changes).length === 0) return current;
  const updated = await tx.orgSettings.update({ where: { orgId: actor.orgId }, data });
  await recordAudit(tx, actor, { action: 'settings.updated', target: { type: 'OrgSettings', id: actor.orgId }, changes }, clock);
  return updated;
}
