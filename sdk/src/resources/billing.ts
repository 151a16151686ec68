// client.billing: subscription state and Stripe billing records (billing:read).
import { BillingDocument, BillingRecordsDocument, type BillingQuery, type BillingRecordFieldsFragment } from '../generated/graphql.js';
import { loadPage, pageArguments, type Page, type PageOptions } from '../pagination.js';
import type { RequestOptions, Transport } from '../transport.js';

/** Subscription state, what it means for text-backs, and the first page of billing records. */
export type Billing = BillingQuery['billing'];
export type BillingRecord = BillingRecordFieldsFragment;

export class BillingResource {
  constructor(private readonly transport: Transport) {}

  /** The subscription and its most recent billing records (`recordsFirst`, default 20). Needs `billing:read`. */
  async get(options: RequestOptions & { recordsFirst?: number } = {}): Promise<Billing> {
    const { recordsFirst, ...request } = options;
    return (await this.transport.request(BillingDocument, recordsFirst === undefined ? {} : { recordsFirst }, request)).billing;
  }

  /** A page of billing records, newest first. Needs `billing:read`. */
  records(options?: PageOptions): Promise<Page<BillingRecord>> {
    const { page, request } = pageArguments(options);
    return loadPage(async (variables) => (await this.transport.request(BillingRecordsDocument, variables, request)).billing.records, page);
  }
}
