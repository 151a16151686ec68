// client.callbacks: the staff callback queue (callbacks:read) and working it (callbacks:write).
import {
  AssignCallbackDocument,
  CallbacksDocument,
  CancelCallbackDocument,
  CompleteCallbackDocument,
  ScheduleCallbackDocument,
  type CallbackFieldsFragment,
  type CallbackFilter,
  type CallbackOutcome,
} from '../generated/graphql.js';
import { iterateAll, loadPage, pageArguments, type IterateOptions, type Page, type PageOptions } from '../pagination.js';
import type { RequestOptions, Transport } from '../transport.js';

/** A callback with its lead and assignee. */
export type Callback = CallbackFieldsFragment;
export type { CallbackFilter, CallbackOutcome };

export interface ScheduleCallbackInput {
  leadId: string;
  /** The time agreed with the caller (a Date or an ISO 8601 string). */
  at: string | Date;
  /** Staff user to call (a member of the organization); omit to keep the current assignee. */
  assigneeId?: string;
}

export interface CompleteCallbackInput {
  /** How the call went. BOOKED books the lead; NOT_INTERESTED and WRONG_NUMBER close it as LOST. */
  outcome: CallbackOutcome;
  notes?: string | null;
}

export class CallbacksResource {
  constructor(private readonly transport: Transport) {}

  /** One page of the callback queue, due soonest first. Needs `callbacks:read`. */
  list(filter?: CallbackFilter, options?: PageOptions): Promise<Page<Callback>> {
    const { page, request } = pageArguments(options);
    return loadPage(async (variables) => (await this.transport.request(CallbacksDocument, variables, request)).callbacks, { filter, ...page });
  }

  /** Every matching callback, due soonest first, fetched page by page. Needs `callbacks:read`. */
  iterate(filter?: CallbackFilter, options: IterateOptions = {}): AsyncGenerator<Callback, void, undefined> {
    const { pageSize = 100, ...request } = options;
    return iterateAll(() => this.list(filter, { ...request, first: pageSize }));
  }

  /** Agrees a time with the caller: reschedules the lead's open callback or opens a SCHEDULED one. Needs `callbacks:write`. */
  async schedule(input: ScheduleCallbackInput, options?: RequestOptions): Promise<Callback> {
    const variables = { leadId: input.leadId, at: input.at, ...(input.assigneeId === undefined ? {} : { assigneeId: input.assigneeId }) };
    return (await this.transport.request(ScheduleCallbackDocument, variables, options)).scheduleCallback;
  }

  /** Assigns an OPEN or SCHEDULED callback to a member, or unassigns it with null. Needs `callbacks:write`. */
  async assign(id: string, assigneeId: string | null, options?: RequestOptions): Promise<Callback> {
    return (await this.transport.request(AssignCallbackDocument, { id, assigneeId }, options)).assignCallback;
  }

  /** Records how the call went. Needs `callbacks:write`. */
  async complete(id: string, input: CompleteCallbackInput, options?: RequestOptions): Promise<Callback> {
    return (await this.transport.request(CompleteCallbackDocument, { id, outcome: input.outcome, notes: input.notes }, options)).completeCallback;
  }

  /** Cancels an open or scheduled callback. Needs `callbacks:write`. */
  async cancel(id: string, options?: RequestOptions): Promise<Callback> {
    return (await this.transport.request(CancelCallbackDocument, { id }, options)).cancelCallback;
  }
}
