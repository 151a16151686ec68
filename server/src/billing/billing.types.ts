import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Connection } from '../graphql/connection';

@ObjectType({ description: 'One billing event from Stripe (an invoice paid, a payment failed, a subscription change).' })
export class BillingRecord {
  @Field(() => ID, { description: 'Record id.' })
  id!: string;

  @Field({ description: 'Stripe event type, e.g. invoice.paid.' })
  type!: string;

  @Field(() => Int, { nullable: true, description: "Amount in the currency's smallest unit (cents)." })
  amount!: number | null;

  @Field(() => String, { nullable: true, description: 'ISO currency code, lower case (usd).' })
  currency!: string | null;

  @Field(() => String, { nullable: true, description: 'Status reported by Stripe for the object (paid, open, active, past_due, …).' })
  status!: string | null;

  @Field(() => Date, { nullable: true, description: 'Start of the billed period.' })
  periodStart!: Date | null;

  @Field(() => Date, { nullable: true, description: 'End of the billed period.' })
  periodEnd!: Date | null;

  @Field({ description: 'When it happened at Stripe.' })
  occurredAt!: Date;
}

@ObjectType({ description: 'A page of billing records, newest first.' })
export class BillingRecordConnection extends Connection(BillingRecord) {}

@ObjectType({ description: 'Your subscription and what it means for the product.' })
export class Billing {
  @Field({ description: 'Stripe subscription status (active, trialing, past_due, canceled, unpaid, …), or "none" when there is no subscription on file.' })
  status!: string;

  @Field(() => String, { nullable: true, description: 'Plan name.' })
  plan!: string | null;

  @Field(() => String, { nullable: true, description: 'Stripe price id.' })
  priceId!: string | null;

  @Field(() => Date, { nullable: true, description: 'End of the current billing period.' })
  currentPeriodEnd!: Date | null;

  @Field(() => Date, { nullable: true, description: 'End of the free trial.' })
  trialEnd!: Date | null;

  @Field({ description: 'True when the subscription ends at the period end.' })
  cancelAtPeriodEnd!: boolean;

  @Field({ description: 'Whether automatic text-backs are running under this state.' })
  textBacksActive!: boolean;

  @Field({ description: 'What the state means, in plain words.' })
  meaning!: string;

  @Field(() => String, { nullable: true, description: 'A warning to show staff, when there is one (payment failed, text-backs paused).' })
  banner!: string | null;
}

@ObjectType({ description: 'A Stripe-hosted page to send the owner to (Checkout or the billing portal). The URL is short-lived and single-use.' })
export class BillingSession {
  @Field({ description: 'Where to redirect the browser.' })
  url!: string;
}
