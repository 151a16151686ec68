// client.webhookLogs: every provider delivery with its signature check and outcome (webhook_logs:read).
import { WebhookLogsDocument, type WebhookLogFieldsFragment, type WebhookLogFilter } from '../generated/graphql.js';
import { iterateAll, loadPage, pageArguments, type IterateOptions, type Page, type PageOptions } from '../pagination.js';
import type { Transport } from '../transport.js';

export type WebhookLog = WebhookLogFieldsFragment;
export type { WebhookLogFilter };

export class WebhookLogsResource {
  constructor(private readonly transport: Transport) {}

  /** One page of webhook deliveries, newest first. Needs `webhook_logs:read`. */
  list(filter?: WebhookLogFilter, options?: PageOptions): Promise<Page<WebhookLog>> {
    const { page, request } = pageArguments(options);
    return loadPage(async (variables) => (await this.transport.request(WebhookLogsDocument, variables, request)).webhookLogs, { filter, ...page });
  }

  /** Every matching delivery, newest first, fetched page by page. Needs `webhook_logs:read`. */
  iterate(filter?: WebhookLogFilter, options: IterateOptions = {}): AsyncGenerator<WebhookLog, void, undefined> {
    const { pageSize = 100, ...request } = options;
    return iterateAll(() => this.list(filter, { ...request, first: pageSize }));
  }
}
