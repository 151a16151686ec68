// client.leads: the organization's leads, their timelines and messages (leads:read),
// and changing them (leads:write).
import {
  AddLeadNoteDocument,
  LeadDocument,
  LeadEventsDocument,
  LeadMessagesDocument,
  LeadsDocument,
  UpdateLeadDocument,
  type LeadFieldsFragment,
  type LeadFilter,
  type LeadQuery,
  type MessageFieldsFragment,
  type UpdateLeadInput,
} from '../generated/graphql.js';
import type { LeadEvent, LeadEventOf } from '../lead-event-data.js';
import { iterateAll, loadPage, pageArguments, type IterateOptions, type Page, type PageOptions } from '../pagination.js';
import type { RequestOptions, Transport } from '../transport.js';

/** A lead as lists return it. */
export type Lead = LeadFieldsFragment;
type LeadQueryLead = LeadQuery['lead'];
/** A lead with the first page of its timeline (events typed by `type`) and messages, and all its callbacks. */
export type LeadDetail = Omit<LeadQueryLead, 'events'> & { events: Omit<LeadQueryLead['events'], 'nodes'> & { nodes: LeadEvent[] } };
export type { LeadEvent };
/** A text to or from the caller. */
export type Message = MessageFieldsFragment;
export type { LeadFilter, UpdateLeadInput };

export interface GetLeadOptions extends RequestOptions {
  /** How many timeline events to include, oldest first, 1–100 (default 100); page on with `leads.events()`. */
  eventsFirst?: number;
  /** How many messages to include, oldest first, 1–100 (default 100); page on with `leads.messages()`. */
  messagesFirst?: number;
}

export class LeadsResource {
  constructor(private readonly transport: Transport) {}

  /** One page of leads, most recent activity first. Needs `leads:read`. */
  list(filter?: LeadFilter, options?: PageOptions): Promise<Page<Lead>> {
    const { page, request } = pageArguments(options);
    return loadPage(async (variables) => (await this.transport.request(LeadsDocument, variables, request)).leads, { filter, ...page });
  }

  /** Every matching lead, most recent activity first, fetched page by page. Needs `leads:read`. */
  iterate(filter?: LeadFilter, options: IterateOptions = {}): AsyncGenerator<Lead, void, undefined> {
    const { pageSize = 100, ...request } = options;
    return iterateAll(() => this.list(filter, { ...request, first: pageSize }));
  }

  /** One lead with its timeline, messages and callbacks; NotFoundError for an unknown id. Needs `leads:read`. */
  async get(id: string, options: GetLeadOptions = {}): Promise<LeadDetail> {
    const { eventsFirst = 100, messagesFirst = 100, ...request } = options;
    // The server writes each event type's data in the shape LeadEvent describes.
    return (await this.transport.request(LeadDocument, { id, eventsFirst, messagesFirst }, request)).lead as LeadDetail;
  }

  /** A page of the lead's timeline, oldest first. Needs `leads:read`. */
  events(leadId: string, options?: PageOptions): Promise<Page<LeadEvent>> {
    const { page, request } = pageArguments(options);
    return loadPage(
      async (variables) => {
        const { events } = (await this.transport.request(LeadEventsDocument, variables, request)).lead;
        return { ...events, nodes: events.nodes as LeadEvent[] };
      },
      { id: leadId, ...page },
    );
  }

  /** A page of the texts to and from the caller, oldest first. Needs `leads:read`. */
  messages(leadId: string, options?: PageOptions): Promise<Page<Message>> {
    const { page, request } = pageArguments(options);
    return loadPage(async (variables) => (await this.transport.request(LeadMessagesDocument, variables, request)).lead.messages, { id: leadId, ...page });
  }

  /**
   * Changes a lead's name and/or status (allowed: NEW→CONTACTED|BOOKED|LOST,
   * CONTACTED→BOOKED|LOST, BOOKED→CONTACTED|LOST, LOST→CONTACTED). Needs `leads:write`.
   */
  async update(id: string, input: UpdateLeadInput, options?: RequestOptions): Promise<Lead> {
    return (await this.transport.request(UpdateLeadDocument, { id, input }, options)).updateLead;
  }

  /** Adds a staff note (1–2000 characters) to the lead's timeline; returns the NOTE_ADDED event. Needs `leads:write`. */
  async addNote(leadId: string, body: string, options?: RequestOptions): Promise<LeadEventOf<'NOTE_ADDED'>> {
    return (await this.transport.request(AddLeadNoteDocument, { leadId, body }, options)).addLeadNote as LeadEventOf<'NOTE_ADDED'>;
  }
}
