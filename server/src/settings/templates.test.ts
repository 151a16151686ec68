// Templates read naturally with and without the caller's name (one renderer for
// text-backs, the settings preview and the dashboard's live preview).
import { DEFAULT_AFTER_HOURS_TEMPLATE, DEFAULT_BUSINESS_HOURS_TEMPLATE } from './defaults';
import { callerFirstName, previewTemplate, renderTemplate, templateProblem } from './templates';

const values = { businessName: 'Summit Heating & Air', callbackEta: 'within 15 minutes' };
const named = (template: string) => renderTemplate(template, { ...values, callerFirstName: 'Dana' });
const unnamed = (template: string) => renderTemplate(template, { ...values, callerFirstName: '' });

describe('renderTemplate without a caller name', () => {
  test.each([
    // after a greeting: "there"
    ['Hi {callerFirstName}, sorry we missed your call.', 'Hi there, sorry we missed your call.'],
    ['Hey {callerFirstName}! {businessName} here.', 'Hey there! Summit Heating & Air here.'],
    ['hello {callerFirstName} - we will call {callbackEta}.', 'hello there - we will call within 15 minutes.'],
    // at the start of a sentence: gone with its punctuation, next word capitalized
    ['{callerFirstName}, we missed your call at {businessName}.', 'We missed your call at Summit Heating & Air.'],
    ['Thanks for calling. {callerFirstName} - we will call {callbackEta}.', 'Thanks for calling. We will call within 15 minutes.'],
    ['{callerFirstName}! We missed you.', 'We missed you.'],
    ['Sorry!\n{callerFirstName}, we will call back.', 'Sorry!\nWe will call back.'],
    // before the end of a sentence: gone with the comma before it
    ['Thanks {callerFirstName}!', 'Thanks!'],
    ['Thanks for calling, {callerFirstName}. We will call {callbackEta}.', 'Thanks for calling. We will call within 15 minutes.'],
    ['We will call you soon, {callerFirstName}', 'We will call you soon'],
    // anywhere else: gone with the space before it
    ['Sorry {callerFirstName}, we missed your call.', 'Sorry, we missed your call.'],
    ['Thanks, {callerFirstName}, for calling {businessName}.', 'Thanks, for calling Summit Heating & Air.'],
  ])('%j -> %j', (template, expected) => {
    expect(unnamed(template)).toBe(expected);
  });

  test('with a name every template reads the name where it was written', () => {
    expect(named('Hi {callerFirstName}, sorry we missed your call.')).toBe('Hi Dana, sorry we missed your call.');
    expect(named('{callerFirstName}, we missed your call.')).toBe('Dana, we missed your call.');
    expect(named('Thanks, {callerFirstName}!')).toBe('Thanks, Dana!');
  });

  test('the built-in templates never show an empty name, a stray comma or a double space', () => {
    for (const template of [DEFAULT_BUSINESS_HOURS_TEMPLATE, DEFAULT_AFTER_HOURS_TEMPLATE]) {
      const text = unnamed(template);
      expect(text).not.toMatch(/\{|\}|\s,|,,|\s{2}|^[,.!\s]/);
      expect(text).toContain('Summit Heating & Air');
    }
    expect(unnamed(DEFAULT_BUSINESS_HOURS_TEMPLATE)).toMatch(/^Hi there, sorry we missed your call at Summit Heating & Air!/);
  });

  test('each set of empty variables gets its own rewrites, however often and in whatever order they are rendered', () => {
    const template = 'Hi {callerFirstName}, {businessName} will call {callbackEta}.';
    for (let round = 0; round < 3; round++) {
      expect(unnamed(template)).toBe('Hi there, Summit Heating & Air will call within 15 minutes.');
      expect(renderTemplate(template, { businessName: '', callerFirstName: 'Dana', callbackEta: 'soon' })).toBe('Hi Dana, will call soon.');
      expect(renderTemplate(template, { businessName: '', callerFirstName: '', callbackEta: 'soon' })).toBe('Hi there, will call soon.');
      expect(named(template)).toBe('Hi Dana, Summit Heating & Air will call within 15 minutes.');
    }
  });

  test('a whitespace-only or missing name counts as unknown', () => {
    expect(callerFirstName(null)).toBe('');
    expect(callerFirstName('   ')).toBe('');
    expect(callerFirstName(' Dana  Whitfield ')).toBe('Dana');
    expect(renderTemplate('Thanks {callerFirstName}!', { ...values, callerFirstName: '  ' })).toBe('Thanks!');
  });

  test('unknown placeholders are left as written (validation rejects them before they are stored)', () => {
    expect(unnamed('Hi {firstName}, {callerFirstName} thanks')).toBe('Hi {firstName}, thanks');
    expect(templateProblem('Hi {firstName}')).toMatch(/unknown variable \{firstName\}/);
  });

  test('the settings preview shows the text with and without a name', () => {
    expect(previewTemplate('Thanks {callerFirstName}! {businessName} will call {callbackEta}.', values)).toEqual({
      text: 'Thanks Jordan! Summit Heating & Air will call within 15 minutes.',
      textWithoutName: 'Thanks! Summit Heating & Air will call within 15 minutes.',
    });
  });
});
