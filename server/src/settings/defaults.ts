// What a new org starts with. Templates may use {businessName},
// {callerFirstName} (read around when unknown) and {callbackEta} (settings/templates.ts).
import type { Prisma } from '../generated/prisma/client';
import type { BusinessHours } from '../common/shop-time';

export const DEFAULT_TIMEZONE = 'America/New_York';

export const DEFAULT_BUSINESS_HOURS: BusinessHours = {
  mon: [{ start: '08:00', end: '17:00' }],
  tue: [{ start: '08:00', end: '17:00' }],
  wed: [{ start: '08:00', end: '17:00' }],
  thu: [{ start: '08:00', end: '17:00' }],
  fri: [{ start: '08:00', end: '17:00' }],
  sat: [{ start: '09:00', end: '13:00' }],
  sun: [],
};

export const DEFAULT_BUSINESS_HOURS_TEMPLATE =
  "Hi {callerFirstName}, sorry we missed your call at {businessName}! We're with a customer and will call you back {callbackEta}. Reply here with what you need. Reply STOP to opt out.";

export const DEFAULT_AFTER_HOURS_TEMPLATE =
  "Thanks for calling {businessName}. We're closed right now and will call you back {callbackEta}. No heat or no cooling? Reply here and tell us. Reply STOP to opt out.";

export function defaultSettings(orgId: string, businessName: string, timezone: string): Prisma.OrgSettingsUncheckedCreateInput {
  return {
    orgId,
    businessName,
    timezone,
    businessHoursTemplate: DEFAULT_BUSINESS_HOURS_TEMPLATE,
    afterHoursTemplate: DEFAULT_AFTER_HOURS_TEMPLATE,
    businessHours: DEFAULT_BUSINESS_HOURS,
  };
}

/** True when `zone` is an IANA time zone this runtime knows. */
export function isIanaTimeZone(zone: string): boolean {
  if (!zone || !/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/.test(zone)) return zone === 'UTC';
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
