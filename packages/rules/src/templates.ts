// Text-back templates: the variables they may use, validation, rendering and
// SMS segment counting. Used by the recovery flow (real texts), by settings
// (validation and preview) and by the dashboard's live preview, so all agree.
import { SegmentedMessage } from 'sms-segments-calculator';

export const TEMPLATE_VARIABLES = ['businessName', 'callerFirstName', 'callbackEta'] as const;
export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number];
export type TemplateValues = Record<TemplateVariable, string>;

/** Three concatenated GSM-7 segments: long enough for a friendly text, short enough to stay cheap. */
export const MAX_TEMPLATE_LENGTH = 459;
/** Rendered texts are cut here at the latest (10 GSM segments); the staff reply limit is 640 too. */
export const MAX_RENDERED_LENGTH = 640;

/** What a greeting says instead of an unknown name: "Hi {callerFirstName}," -> "Hi there,". */
export const GREETING_WITHOUT_NAME = 'there';

/** Words after which an unknown name reads "there" rather than vanishing. */
const GREETINGS = ['hi', 'hello', 'hey', 'hiya', 'howdy'];

/**
 * The rule for a variable with no value (in practice {callerFirstName} when
 * the caller's name is unknown), in words for settings and docs.
 */
export const EMPTY_VARIABLE_RULE =
  'When the caller\'s name is unknown, {callerFirstName} reads "there" after a greeting ("Hi {callerFirstName}," -> "Hi there,"), ' +
  'disappears with the comma after it at the start of a sentence ("{callerFirstName}, we missed you" -> "We missed you"), ' +
  'and disappears with the space before it anywhere else ("Thanks {callerFirstName}!" -> "Thanks!").';

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
  for (const [, name = ''] of template.matchAll(PLACEHOLDER)) {
    if (!isVariable(name)) unknown.add(`{${name}}`);
  }
  if (unknown.size > 0) {
    return `unknown variable ${[...unknown].join(', ')}; use ${TEMPLATE_VARIABLES.map((name) => `{${name}}`).join(', ')}`;
  }
  const withoutPlaceholders = template.replace(PLACEHOLDER, '');
  if (/[{}]/.test(withoutPlaceholders)) return 'template has an unmatched { or }';
  return null;
}

/**
 * The text a caller receives. A variable whose value is empty (an unknown
 * caller name) takes its surrounding words with it, so the text still reads
 * naturally (EMPTY_VARIABLE_RULE); unknown placeholders are left as written.
 */
export function renderTemplate(template: string, values: TemplateValues): string {
  const empty = TEMPLATE_VARIABLES.filter((name) => values[name].trim() === '');
  let text = template;
  for (const [pattern, replacement] of emptyVariableRules(empty)) text = text.replace(pattern, replacement);
  const rendered = text.replace(PLACEHOLDER, (whole, name: string) => (isVariable(name) ? values[name] : whole));
  return rendered
    .replace(/[ \t]{2,}/g, ' ')
    .trim()
    .slice(0, MAX_RENDERED_LENGTH);
}

type Rule = [RegExp, (match: string, ...groups: string[]) => string];

/** The rewrites for a set of empty variables, made once per set (every text to a caller whose name is unknown needs them). */
const rulesByEmpty = new Map<string, Rule[]>();

function emptyVariableRules(empty: readonly TemplateVariable[]): Rule[] {
  if (empty.length === 0) return [];
  const key = empty.join('|');
  let rules = rulesByEmpty.get(key);
  if (!rules) {
    const name = `\\{(?:${key})\\}`;
    rules = [
      // "Hi {name}, sorry" -> "Hi there, sorry"
      [new RegExp(`\\b(${GREETINGS.join('|')})([ \\t]+)${name}`, 'giu'), (_, greeting, space) => `${greeting}${space}${GREETING_WITHOUT_NAME}`],
      // "{name}, we missed you" / "Thanks. {name} - we missed you" -> "We missed you"
      [
        new RegExp(`(^|[.!?][ \\t]+|\\n[ \\t]*)${name}[ \\t]*(?:[,;:.!\\u2013\\u2014-][ \\t]*)?(\\p{Ll}?)`, 'gu'),
        (_, start, letter) => `${start}${letter.toUpperCase()}`,
      ],
      // "Thanks, {name}!" -> "Thanks!", "Call us, {name}" -> "Call us"
      [new RegExp(`,?[ \\t]*${name}(?=[ \\t]*(?:[.!?]|$))`, 'gmu'), () => ''],
      // "Thanks, {name}, for calling" -> "Thanks, for calling"
      [new RegExp(`,[ \\t]*${name}[ \\t]*(?=,)`, 'gu'), () => ''],
      // "Thanks {name}, we" -> "Thanks, we"; "(and {name})" -> "(and)"
      [new RegExp(`[ \\t]*${name}`, 'gu'), () => ''],
    ];
    rulesByEmpty.set(key, rules);
  }
  return rules;
}

function isVariable(name: string): name is TemplateVariable {
  return (TEMPLATE_VARIABLES as readonly string[]).includes(name);
}

/** First word of a caller's name for {callerFirstName}; empty when unknown (renderTemplate then reads around it). */
export function callerFirstName(name: string | null | undefined): string {
  return name?.trim().split(/\s+/)[0] ?? '';
}

export interface TemplatePreviewText {
  /** As a caller whose name is known receives it (sample caller "Jordan"). */
  text: string;
  /** As a caller whose name is unknown receives it. */
  textWithoutName: string;
}

/** A template rendered for the settings preview, with and without a caller name. */
export function previewTemplate(template: string, values: Pick<TemplateValues, 'businessName' | 'callbackEta'>): TemplatePreviewText {
  return {
    text: renderTemplate(template, { ...values, callerFirstName: PREVIEW_VALUES.callerFirstName }),
    textWithoutName: renderTemplate(template, { ...values, callerFirstName: '' }),
  };
}

export interface SegmentCount {
  encoding: 'GSM-7' | 'UCS-2';
  characters: number;
  segments: number;
}

/**
 * How many SMS segments a text takes (what the carrier bills), counted by Twilio's
 * segment calculator (sms-segments-calculator): GSM-7 escapes cost two septets and
 * are never split across segments, nor are surrogate pairs in UCS-2 (decision 0016).
 */
export function countSegments(text: string): SegmentCount {
  const message = new SegmentedMessage(text);
  // `characters` stays UTF-16 code units, what the dashboard's length counters show.
  return { encoding: message.encodingName === 'GSM-7' ? 'GSM-7' : 'UCS-2', characters: text.length, segments: message.segmentsCount };
}
