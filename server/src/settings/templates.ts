// Text-back templates: the variables they may use, validation, rendering and
// SMS segment counting. Used by the recovery flow (real texts) and by settings
// (validation and preview), so both always agree.

export const TEMPLATE_VARIABLES = ['businessName', 'callerFirstName', 'callbackEta'] as const;
export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number];
export type TemplateValues = Record<TemplateVariable, string>;

/** Three concatenated GSM-7 segments: long enough for a friendly text, short enough to stay cheap. */
export const MAX_TEMPLATE_LENGTH = 459;
/** Rendered texts are cut here at the latest (10 GSM segments); the staff reply limit is 640 too. */
export const MAX_RENDERED_LENGTH = 640;

/** What a caller with no known name is called: "Hi {callerFirstName}," -> "Hi there,". */
export const UNKNOWN_CALLER_FIRST_NAME = 'there';

/** Sample values for previews in settings. */
export const PREVIEW_VALUES: Omit<TemplateValues, 'businessName'> = {
  callerFirstName: 'Jordan',
  callbackEta: 'within 15 minutes',
};

const PLACEHOLDER = /\{([^{}]*)\}/g;

/** Why a template can't be used, or null when it can. */
export function templateProblem(template: string): string | null {
  if (template.trim().length === 0) return 'template must not be empty';
  if (template.length > MAX_TEMPLATE_LENGTH) return `template must be at most ${MAX_TEMPLATE_LENGTH} characters (got ${template.length})`;
  const unknown = new Set<string>();
  for (const match of template.matchAll(PLACEHOLDER)) {
    if (!(TEMPLATE_VARIABLES as readonly string[]).includes(match[1]!)) unknown.add(`{${match[1]}}`);
  }
  if (unknown.size > 0) {
    return `unknown variable ${[...unknown].join(', ')}; use ${TEMPLATE_VARIABLES.map((name) => `{${name}}`).join(', ')}`;
  }
  const withoutPlaceholders = template.replace(PLACEHOLDER, '');
  if (/[{}]/.test(withoutPlaceholders)) return 'template has an unmatched { or }';
  return null;
}

export function renderTemplate(template: string, values: TemplateValues): string {
  const rendered = template.replace(PLACEHOLDER, (whole, name: string) =>
    (TEMPLATE_VARIABLES as readonly string[]).includes(name) ? values[name as TemplateVariable] : whole,
  );
  return rendered.replace(/[ \t]{2,}/g, ' ').trim().slice(0, MAX_RENDERED_LENGTH);
}

/** First word of a caller's name, for {callerFirstName}. */
export function callerFirstName(name: string | null | undefined): string {
  const first = name?.trim().split(/\s+/)[0];
  return first ? first : UNKNOWN_CALLER_FIRST_NAME;
}

// GSM 03.38 basic set plus the extension table (which costs two septets).
const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENDED = '^{}\\[~]|€\f';

export interface SegmentCount {
  encoding: 'GSM-7' | 'UCS-2';
  characters: number;
  segments: number;
}

/** How many SMS segments a text takes (what the carrier bills). */
export function countSegments(text: string): SegmentCount {
  let septets = 0;
  let gsm = true;
  for (const char of text) {
    if (GSM_BASIC.includes(char)) septets += 1;
    else if (GSM_EXTENDED.includes(char)) septets += 2;
    else {
      gsm = false;
      break;
    }
  }
  if (gsm) {
    return { encoding: 'GSM-7', characters: text.length, segments: septets <= 160 ? 1 : Math.ceil(septets / 153) };
  }
  // UCS-2 counts UTF-16 code units.
  const units = text.length;
  return { encoding: 'UCS-2', characters: units, segments: units <= 70 ? 1 : Math.ceil(units / 67) };
}
