// Thin GraphQL adapter over settings and tracking lines.
import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { OrgSettings } from '../generated/prisma/client';
import type { GraphQLContext } from '../graphql/context';
import { actorOf } from '../graphql/context';
import { inTransaction } from '../db/types';
import { listTrackingLines, MESSAGING_REGISTRATION_MEANING, setTrackingLineRegistration } from './tracking-lines.service';
import { MessagingRegistration } from '../generated/prisma/enums';
import { WEEKDAYS } from '../common/shop-time';
import { getSettings, readBusinessHours, updateSettings } from './settings.service';
import { BusinessHoursDay, Settings, TemplatePreviews, TrackingLine, UpdateSettingsInput } from './settings.types';
import { countSegments, previewTemplate } from './templates';

@Resolver(() => Settings)
export class SettingsResolver {
  @Query(() => Settings, { description: "Your organization's settings." })
  settings(@Ctx() context: GraphQLContext) {
    return getSettings(context.deps.db.prisma, actorOf(context));
  }

  @Mutation(() => Settings, { description: 'Change settings. Invalid fields are rejected with BAD_USER_INPUT and extensions.fields; nothing is stored then.' })
  async updateSettings(@Ctx() context: GraphQLContext, @Arg('input', () => UpdateSettingsInput, { description: 'The changes.' }) input: UpdateSettingsInput) {
    const { db, clock, callContexts } = context.deps;
    const actor = actorOf(context);
    const updated = await inTransaction(db.prisma, (tx) => updateSettings(tx, actor, input, clock));
    // Webhooks read settings from the cached call context (recovery/call-context.ts).
    callContexts?.invalidate({ orgId: actor.orgId });
    return updated;
  }

  @Query(() => [TrackingLine], { description: "Your organization's tracking numbers, oldest first." })
  trackingLines(@Ctx() context: GraphQLContext) {
    return listTrackingLines(context.deps.db.prisma, actorOf(context));
  }

  @Mutation(() => TrackingLine, {
    description:
      "Records a tracking line's messaging registration (audited tracking_line.registration_changed). Setting A2P_10DLC_REGISTERED, TOLL_FREE_VERIFIED or NOT_REQUIRED clears its carrier-filtering flag, so the next carrier block alerts again.",
  })
  setTrackingLineRegistration(
    @Ctx() context: GraphQLContext,
    @Arg('id', () => ID, { description: 'The tracking line.' }) id: string,
    @Arg('registration', () => MessagingRegistration, { description: 'Its registration state.' }) registration: MessagingRegistration,
  ) {
    const { db, clock } = context.deps;
    const actor = actorOf(context);
    return inTransaction(db.prisma, (tx) => setTrackingLineRegistration(tx, actor, { lineId: id, registration }, clock));
  }

  @FieldResolver(() => [BusinessHoursDay], { description: 'Business hours, Monday first.' })
  businessHours(@Root() settings: OrgSettings): BusinessHoursDay[] {
    const hours = readBusinessHours(settings);
    return WEEKDAYS.map((day) => ({ day, intervals: hours[day] }));
  }

  @FieldResolver(() => TemplatePreviews, {
    description: 'Both templates rendered with sample values (with and without a caller name), with length and SMS segment counts.',
  })
  previews(@Root() settings: OrgSettings): TemplatePreviews {
    const preview = (template: string, callbackEta: string) => {
      const texts = previewTemplate(template, { businessName: settings.businessName, callbackEta });
      return { ...texts, ...countSegments(texts.text) };
    };
    return {
      businessHours: preview(settings.businessHoursTemplate, `within ${settings.callbackSlaMinutes} minutes`),
      afterHours: preview(settings.afterHoursTemplate, 'first thing when we open'),
    };
  }
}

@Resolver(() => TrackingLine)
export class TrackingLineResolver {
  @FieldResolver(() => String, { description: 'What messagingRegistration means for the texts this line sends, in one or two sentences.' })
  messagingRegistrationMeaning(@Root() line: { messagingRegistration: MessagingRegistration }): string {
    return MESSAGING_REGISTRATION_MEANING[line.messagingRegistration];
  }
}
