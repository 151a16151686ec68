// GraphQL types of org settings and tracking lines.
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { EMPTY_VARIABLE_RULE } from './templates';
import { MessagingRegistration } from '../generated/prisma/enums';
import { MESSAGING_REGISTRATION_MEANING } from './tracking-lines.service';

registerEnumType(MessagingRegistration, {
  name: 'MessagingRegistration',
  description:
    "Where a tracking number stands with US carriers for business texting: A2P 10DLC registration (10-digit numbers) or toll-free verification. Set by the shop's operators; CallSnare does not query the registry.",
  valuesConfig: Object.fromEntries(Object.entries(MESSAGING_REGISTRATION_MEANING).map(([value, description]) => [value, { description }])),
});

export const Weekday = { MON: 'mon', TUE: 'tue', WED: 'wed', THU: 'thu', FRI: 'fri', SAT: 'sat', SUN: 'sun' } as const;
export type Weekday = (typeof Weekday)[keyof typeof Weekday];
registerEnumType(Weekday, { name: 'Weekday', description: "Day of the week, in the organization's time zone." });

@ObjectType({ description: "One opening interval, HH:MM (24-hour) in the organization's time zone." })
export class OpeningInterval {
  @Field({ description: 'Opens at, e.g. "08:00".' })
  start!: string;

  @Field({ description: 'Closes at, e.g. "17:00".' })
  end!: string;
}

@InputType({ description: 'One opening interval, HH:MM (24-hour).' })
export class OpeningIntervalInput {
  @Field({ description: 'Opens at, e.g. "08:00".' })
  start!: string;

  @Field({ description: 'Closes at, e.g. "17:00"; must be after start.' })
  end!: string;
}

@ObjectType({ description: 'Business hours of one weekday (no intervals: closed).' })
export class BusinessHoursDay {
  @Field(() => Weekday, { description: 'The day.' })
  day!: Weekday;

  @Field(() => [OpeningInterval], { description: 'Opening intervals, earliest first; empty when closed.' })
  intervals!: OpeningInterval[];
}

@InputType({ description: 'New business hours for one weekday.' })
export class BusinessHoursDayInput {
  @Field(() => Weekday, { description: 'The day.' })
  day!: Weekday;

  @Field(() => [OpeningIntervalInput], { description: 'Up to 3 non-overlapping intervals; an empty list closes the day.' })
  intervals!: OpeningIntervalInput[];
}

@ObjectType({ description: 'A template rendered with sample values, and what it costs to send.' })
export class TemplatePreview {
  @Field({ description: 'The text as a caller would receive it (sample caller "Jordan").' })
  text!: string;

  @Field({
    description:
      'The text as a caller whose name is unknown would receive it: {callerFirstName} reads "there" after a greeting and otherwise disappears with the punctuation around it.',
  })
  textWithoutName!: string;

  @Field(() => Int, { description: 'Characters in the rendered text.' })
  characters!: number;

  @Field(() => Int, { description: 'SMS segments the text takes (what carriers bill).' })
  segments!: number;

  @Field({ description: 'GSM-7, or UCS-2 when the text has characters outside the GSM alphabet (emoji, curly quotes): segments are then shorter.' })
  encoding!: string;
}

@ObjectType({ description: 'Both text-back templates rendered with sample values.' })
export class TemplatePreviews {
  @Field(() => TemplatePreview, { description: 'The text sent for calls missed during business hours.' })
  businessHours!: TemplatePreview;

  @Field(() => TemplatePreview, { description: 'The text sent for calls missed outside business hours.' })
  afterHours!: TemplatePreview;
}

@ObjectType({ description: 'How CallSnare answers, texts back and queues callbacks for your organization.' })
export class Settings {
  @Field({ description: 'Name used in texts as {businessName}.' })
  businessName!: string;

  @Field({ description: 'IANA time zone; business and quiet hours are read in it.' })
  timezone!: string;

  @Field({ description: 'When false, missed calls are still recorded and queued but no text-back is sent.' })
  textBackEnabled!: boolean;

  @Field({ description: `Text-back template during business hours. Variables: {businessName}, {callerFirstName}, {callbackEta}. ${EMPTY_VARIABLE_RULE}` })
  businessHoursTemplate!: string;

  @Field({ description: 'Text-back template outside business hours. Same variables, and the same reading of an unknown name.' })
  afterHoursTemplate!: string;

  @Field({ description: 'When true, text-backs that would go out during quiet hours wait until quiet hours end.' })
  quietHoursEnabled!: boolean;

  @Field({ description: 'Quiet hours start, HH:MM (default 21:00).' })
  quietHoursStart!: string;

  @Field({ description: 'Quiet hours end, HH:MM (default 08:00).' })
  quietHoursEnd!: string;

  @Field(() => Int, { description: 'A caller who rings again within this many minutes gets no second text (default 20).' })
  textBackCooldownMinutes!: number;

  @Field(() => Int, {
    description:
      'At most this many automated texts (text-backs) to one caller phone in any 24 hours, across all their leads (1–10, default 3); a text past the limit is skipped (TEXT_BACK_SKIPPED, reason frequency_cap).',
  })
  maxAutomatedTextsPerDay!: number;

  @Field(() => Int, { description: 'Seconds the shop phone rings before the call counts as missed (5–60).' })
  ringTimeoutSeconds!: number;

  @Field(() => Int, { description: "Minutes from a missed call to the callback's due time (1–1440); outside business hours, from the next opening." })
  callbackSlaMinutes!: number;

  @Field(() => [Int], {
    description:
      'Minutes to wait before each retry when a callback ends NO_ANSWER or LEFT_VOICEMAIL (default [60, 240]: attempt 2 an hour after attempt 1, attempt 3 four hours after attempt 2). A retry that would fall outside business hours waits for the next opening. When the list runs out the lead needs a decision (Lead.needsDecision).',
  })
  callbackRetryMinutes!: number[];

  @Field({ description: 'When true, staff hear "press 1 to accept" so a carrier voicemail pickup still counts as missed.' })
  callScreeningEnabled!: boolean;

  @Field({ description: 'When true, callers can leave a voicemail after a missed call.' })
  voicemailEnabled!: boolean;

  @Field({ description: 'When the settings last changed.' })
  updatedAt!: Date;
}

@InputType({ description: 'Settings to change; omitted fields keep their value. Every change is validated and audited (settings.updated).' })
export class UpdateSettingsInput {
  @Field(() => String, { nullable: true, description: '1–100 characters.' })
  businessName?: string | null;

  @Field(() => String, { nullable: true, description: 'IANA time zone, e.g. America/Chicago.' })
  timezone?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Turn automatic text-backs on or off.' })
  textBackEnabled?: boolean | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Up to 459 characters; only {businessName}, {callerFirstName}, {callbackEta}. See previews.textWithoutName for how it reads without a caller name.',
  })
  businessHoursTemplate?: string | null;

  @Field(() => String, { nullable: true, description: 'Up to 459 characters; same variables.' })
  afterHoursTemplate?: string | null;

  @Field(() => [BusinessHoursDayInput], { nullable: true, description: 'Days to change; days not listed keep their hours.' })
  businessHours?: BusinessHoursDayInput[] | null;

  @Field(() => Boolean, { nullable: true, description: 'Hold text-backs during quiet hours.' })
  quietHoursEnabled?: boolean | null;

  @Field(() => String, { nullable: true, description: 'HH:MM.' })
  quietHoursStart?: string | null;

  @Field(() => String, { nullable: true, description: 'HH:MM; must differ from the start.' })
  quietHoursEnd?: string | null;

  @Field(() => Int, { nullable: true, description: '0–1440 minutes.' })
  textBackCooldownMinutes?: number | null;

  @Field(() => Int, { nullable: true, description: '1–10 automated texts per caller per 24 hours.' })
  maxAutomatedTextsPerDay?: number | null;

  @Field(() => Int, { nullable: true, description: '5–60 seconds.' })
  ringTimeoutSeconds?: number | null;

  @Field(() => Int, { nullable: true, description: '1–1440 minutes.' })
  callbackSlaMinutes?: number | null;

  @Field(() => [Int], {
    nullable: true,
    description:
      'At most 6 waits, each 5–10080 minutes (a week); replaces the whole list. An empty list: no retries, the lead needs a decision after the first unanswered callback.',
  })
  callbackRetryMinutes?: number[] | null;

  @Field(() => Boolean, { nullable: true, description: 'Call screening on or off.' })
  callScreeningEnabled?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: 'Voicemail on or off.' })
  voicemailEnabled?: boolean | null;
}

@ObjectType({ description: "A number callers dial; calls ring the shop's real phone." })
export class TrackingLine {
  @Field(() => ID, { description: 'Tracking line id.' })
  id!: string;

  @Field({ description: 'The tracking number, E.164.' })
  number!: string;

  @Field({ description: 'The shop phone calls are forwarded to, E.164.' })
  forwardTo!: string;

  @Field(() => String, { nullable: true, description: 'A label, e.g. "Google Ads".' })
  label!: string | null;

  @Field({ description: 'Whether calls to this number are handled.' })
  active!: boolean;

  @Field(() => MessagingRegistration, { description: 'Its messaging registration (A2P 10DLC or toll-free verification), as operators set it.' })
  messagingRegistration!: MessagingRegistration;

  @Field(() => String, {
    nullable: true,
    description:
      'The latest carrier-filtering error (Twilio code, e.g. "30034") since the registration was last set to registered or verified; null when none.',
  })
  carrierFilteringCode!: string | null;

  @Field(() => Date, { nullable: true, description: 'When that carrier-filtering error was reported; null when none.' })
  carrierFilteringAt!: Date | null;

  @Field({ description: 'When the line was added.' })
  createdAt!: Date;
}
