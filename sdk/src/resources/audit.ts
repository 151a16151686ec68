// client.audit: the organization's hash-chained audit trail (scope audit:read).
import { AuditEntriesDocument, type AuditEntryFieldsFragment, type AuditEntryFilter } from '../generated/graphql.js';
import { iterateAll, loadPage, pageArguments, type IterateOptions, type Page, type PageOptions } from '../pagination.js';
import type { Transport } from '../transport.js';

export type AuditEntry = AuditEntryFieldsFragment;
export type { AuditEntryFilter };

export class AuditResource {
  constructor(private readonly transport: Transport) {}

  /** One page of audit entries, newest first. Needs `audit:read`. */
  list(filter?: AuditEntryFilter, options?: PageOptions): Promise<Page<AuditEntry>> {
    const { page, request } = pageArguments(options);
    return loadPage(async (variables) => (await this.transport.request(AuditEntriesDocument, variables, request)).auditEntries, { filter, ...page });
  }

  /** Every matching audit entry, newest first, fetched page by page. Needs `audit:read`. */
  iterate(filter?: AuditEntryFilter, options: IterateOptions = {}): AsyncGenerator<AuditEntry, void, undefined> {
    const { pageSize = 100, ...request } = options;
    return iterateAll(() => this.list(filter, { ...request, first: pageSize }));
  }
}
