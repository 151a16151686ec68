// What the demo's callers and staff say: names, texts, notes. Words only; when
// they are said is the week's business (week.ts).

export const CALLER_NAMES = [
  'Dana Whitfield',
  'Luis Ortega',
  'Karen Schultz',
  'Marcus Bell',
  'Angela Nowak',
  'Ray Thompson',
  'Heather Lindqvist',
  'Tyrone Jackson',
  'Beth Kowalczyk',
  'Sam Patel',
  'Gloria Reyes',
  'Mike Brennan',
  'Jenny Olson',
  'Carl Jorgensen',
  'Aisha Ibrahim',
  'Steve Mueller',
  'Linda Park',
  'Omar Haddad',
  'Paula Hernandez',
  'Greg Sorensen',
  'Tanya Williams',
  'Frank DeLuca',
  'Megan Hoffman',
  'Kevin Tran',
  'Rosa Delgado',
  'Bill Swanson',
  'Nicole Jablonski',
  'Derek Washington',
  'Erin McCarthy',
  'Hank Petersen',
  'Maya Chen',
  'Joe Szymanski',
  'Fatima Khan',
  'Walt Lindgren',
  'Brenda Moore',
  'Victor Alvarez',
  'Sue Novak',
  'Andre Robinson',
  'Katie Brandt',
  'Tom Nguyen',
  'Irene Wojcik',
  'Russ Halvorsen',
];

const COOLING_REPLIES = [
  'AC not cooling, can you come today?',
  "Upstairs is 84 degrees. AC is running but it's blowing warm air",
  "Outside unit is buzzing loud and the fan isn't spinning",
  'Water is leaking from the furnace closet when the AC runs',
  'AC keeps shutting off after a few minutes. Can someone come out tomorrow morning?',
  'Need a quote for a new AC, ours is about 20 years old',
];
const HEATING_REPLIES = [
  'Furnace not turning on, house is 58 degrees. Can you come today?',
  "No heat! Thermostat says heating but it's blowing cold air",
  "Furnace keeps clicking but won't light",
  'Smells like burning dust when the heat kicks on, is that normal?',
  'Need a furnace tune-up before it gets any colder',
  'Heat pump is covered in ice and the house is getting cold',
];
const ANY_SEASON_REPLIES = [
  'Looking to get a quote on a new system',
  'Thermostat screen is blank. Changed the batteries, still nothing',
  'Can you call me back after 3? At work until then',
  'Yes please call me back',
  'Do you do duct cleaning?',
  'Is there an extra charge for Saturday service?',
];

/** What callers text about this time of year (month 1-12 in the shop's time zone). */
export function repliesFor(month: number): string[] {
  const seasonal = month >= 5 && month <= 9 ? COOLING_REPLIES : month >= 11 || month <= 3 ? HEATING_REPLIES : [...COOLING_REPLIES, ...HEATING_REPLIES];
  return [...seasonal, ...seasonal, ...ANY_SEASON_REPLIES];
}

/** Texts in the middle of the night, when the heat or the cooling is out. */
export function emergencyRepliesFor(month: number): string[] {
  return month >= 5 && month <= 9
    ? ['AC quit tonight and my mom is 88, it is 86 inside. Please call first thing', 'AC is out and the baby cannot sleep. Can someone come this morning?']
    : ['Furnace died overnight, 55 inside and we have a newborn. Please call first thing', 'No heat since midnight. Pipes in the basement are getting cold'];
}

export const CONFIRMATIONS = ['Yes that works, thank you!', 'Perfect, talk then', 'Sounds good 👍', 'That works. Side door is easier to find'];

/** A caller writing back while the shop owes them an answer. */
export const FOLLOW_UP_QUESTIONS = [
  'Any chance someone can come earlier? It is getting worse',
  'Is there an extra charge for Saturday service?',
  'Also the thermostat in the basement is acting up, can the tech look at that too?',
  'Do you take credit cards or only checks?',
];

/** A caller answering the voicemail staff left. */
export const VOICEMAIL_ANSWERS = [
  "Sorry I missed your call, I'm free after 3",
  'Got your voicemail. Call my cell anytime today',
  'Missed you, was in a meeting. Still need someone for the furnace',
];

export const NOTES = [
  'Carrier unit, about 14 years old, still on R-22. Mention a replacement quote.',
  'Gate code 4471#. Dog in the backyard, customer will put him inside.',
  'Existing customer, on the maintenance plan: waive the diagnostic fee.',
  'Tech: Ruben. Bring a capacitor and contactor, sounds like a start issue.',
  'Rental property. Landlord approves repairs up to $400 without a call.',
  'Wants a heat pump estimate too. Priya to do the in-home quote.',
  'Elderly homeowner. Prioritize.',
  'Asked for the earliest window; put on the cancellation list.',
];

export const BOOKED_NOTES = [
  'Booked a diagnostic, 8–10am window.',
  'Booked a same-day service call, tech ETA 2pm.',
  'Booked a maintenance visit.',
  'Booked an in-home estimate for a new system.',
  'Booked a no-cool call, first stop tomorrow.',
];

export const LOST_REASONS = [
  'Went with another company.',
  'Price shopping; already had two quotes.',
  'Fixed it themselves (tripped breaker).',
  'Outside our service area (Kenosha).',
];

export const staffTexts = {
  callingNow: (staff: string, shop: string) => `Hi, this is ${staff} at ${shop}. Calling you now from our office line.`,
  sorryWeMissedYou: (staff: string, shop: string) => `Sorry we missed you! This is ${staff} at ${shop}. Reply here or call us back whenever works.`,
  offerSlot: (staff: string, shop: string, who: string, slot: string) =>
    `Hi, this is ${staff} with ${shop}. ${who} can call you ${slot} to go over it and get you on the schedule. Does that work?`,
  /** `whoWill`: "I'll", or "Carla will". */
  confirmSlot: (whoWill: string, slot: string) => `You're all set: ${whoWill} call you ${slot}.`,
};
