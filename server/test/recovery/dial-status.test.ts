// What a DialCallStatus means (recovery/dial-status.ts): the rule the
// dial-status webhook applies, as a table.
import { dialOutcome, screeningAnswerMatters, type DialOutcome } from '../../src/recovery/dial-status';

describe('dialOutcome', () => {
  const missed: DialOutcome = { kind: 'missed', notAcceptedAtScreening: false };
  const notAccepted: DialOutcome = { kind: 'missed', notAcceptedAtScreening: true };
  it.each<[string, boolean, boolean, DialOutcome]>([
    // status, screening on, pressed 1 -> outcome
    ['no-answer', false, false, missed],
    ['busy', false, false, missed],
    ['failed', false, false, missed],
    ['canceled', false, false, missed],
    ['NO-ANSWER', false, false, missed],
    ['no-answer', true, false, missed],
    ['busy', true, true, missed],
    ['completed', false, false, { kind: 'answered' }],
    ['Completed', false, true, { kind: 'answered' }],
    ['completed', true, true, { kind: 'accepted_at_screening' }],
    ['completed', true, false, notAccepted],
    ['answered', false, false, { kind: 'unexpected' }],
    ['in-progress', true, false, { kind: 'unexpected' }],
    ['', false, false, { kind: 'unexpected' }],
  ])('"%s" with screening %s and accepted %s is %j', (dialStatus, callScreeningEnabled, acceptedAtScreening, expected) => {
    expect(dialOutcome({ dialStatus, callScreeningEnabled, acceptedAtScreening })).toEqual(expected);
  });

  it.each<[string, boolean, boolean]>([
    ['completed', true, true],
    ['COMPLETED', true, true],
    ['completed', false, false],
    ['no-answer', true, false],
    ['busy', false, false],
  ])('whether staff pressed 1 matters for "%s" with screening %s: %s', (dialStatus, screening, matters) => {
    expect(screeningAnswerMatters(dialStatus, screening)).toBe(matters);
    // When it does not matter, the answer cannot change the outcome.
    if (!matters) {
      expect(dialOutcome({ dialStatus, callScreeningEnabled: screening, acceptedAtScreening: true })).toEqual(
        dialOutcome({ dialStatus, callScreeningEnabled: screening, acceptedAtScreening: false }),
      );
    }
  });
});
