// Where a NANP phone number rings: its area code's country, state/territory/province
// and every time zone it may be in (the table and its source: nanp-area-codes.ts).
import { NANP_AREA_CODE_GROUPS, type CanadianRegion, type UsRegion } from './nanp-area-codes';

export type Region = UsRegion | CanadianRegion;

export interface AreaCodeLocation {
  areaCode: string;
  country: 'US' | 'CA';
  regions: readonly Region[];
  /** Every IANA zone the area code's numbers may be in; more than one means a split area code. */
  zones: readonly string[];
}

function buildIndex(): ReadonlyMap<string, AreaCodeLocation> {
  const index = new Map<string, AreaCodeLocation>();
  for (const group of NANP_AREA_CODE_GROUPS) {
    for (const areaCode of group.codes.split(' ')) {
      if (index.has(areaCode)) throw new Error(`area code ${areaCode} is listed twice in nanp-area-codes.ts`);
      index.set(areaCode, { areaCode, country: group.country, regions: group.regions, zones: group.splitZones?.[areaCode] ?? group.zones });
    }
  }
  return index;
}

const AREA_CODES = buildIndex();

/** The NANP number plan: +1, area code NXX, exchange NXX, four digits (N is 2–9). */
const NANP_E164 = /^\+1([2-9]\d{2})[2-9]\d{6}$/;

/** The area code of a NANP number in E.164, or null when the number is not a NANP number. */
export function nanpAreaCode(e164: string): string | null {
  return NANP_E164.exec(e164)?.[1] ?? null;
}

/** Where an area code rings, or null when it is not a US or Canadian geographic area code we know. */
export function lookupAreaCode(areaCode: string): AreaCodeLocation | null {
  return AREA_CODES.get(areaCode) ?? null;
}

/** Where a phone number (E.164) rings, or null for non-NANP numbers and unknown or non-geographic area codes. */
export function locatePhone(e164: string): AreaCodeLocation | null {
  const areaCode = nanpAreaCode(e164);
  return areaCode ? lookupAreaCode(areaCode) : null;
}

/** Every area code in the table (tests check each one resolves to valid zones). */
export function knownAreaCodes(): string[] {
  return [...AREA_CODES.keys()].sort();
}
