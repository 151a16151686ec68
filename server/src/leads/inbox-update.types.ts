// GraphQL types of the inbox's live subscription.
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Lead } from './lead.types';
import { INBOX_UPDATE_KINDS, type InboxUpdateKind as InboxUpdateKindName } from '../live/inbox-updates';

/** The GraphQL enum of INBOX_UPDATE_KINDS (one list, defined in inbox-updates.ts). */
export const InboxUpdateKind = Object.fromEntries(INBOX_UPDATE_KINDS.map((kind) => [kind, kind])) as { [K in InboxUpdateKindName]: K };

registerEnumType(InboxUpdateKind, {
  name: 'InboxUpdateKind',
  description: 'Why a lead appears in the live inbox feed.',
  valuesConfig: {
    MISSED_CALL: { description: 'A call was missed: a new lead, or a known caller called again.' },
    REPLY_RECEIVED: { description: 'The caller texted.' },
    CALLBACK_DUE: { description: 'A callback of the lead is due now.' },
    CALLBACK_OVERDUE: { description: 'A callback of the lead passed its due time without an outcome.' },
    LEAD_CHANGED: { description: 'Anything else changed on the lead (status, name, an opt-out or opt-in).' },
  },
});

@ObjectType({ description: 'One change in the inbox, as it happened: what happened, when, and the lead as it is now.' })
export class InboxUpdate {
  @Field(() => InboxUpdateKind, { description: 'What happened.' })
  kind!: InboxUpdateKindName;

  @Field({ description: 'When it happened.' })
  at!: Date;

  @Field(() => ID, { description: "The lead's id: enough to know which lead to reload, without reading it." })
  leadId!: string;

  @Field(() => Lead, {
    description: 'The lead, read when the update is delivered (the same fields and permissions as the lead query); read only when selected.',
  })
  lead?: Lead;
}
