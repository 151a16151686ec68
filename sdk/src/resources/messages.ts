// client.messages: texting a caller from the tracking number they know (messages:send).
import { SendMessageDocument, type SendMessageMutation } from '../generated/graphql.js';
import type { RequestOptions, Transport } from '../transport.js';

/** The queued text (status QUEUED, then follows delivery) and whether the shop is in quiet hours. */
export type SentMessage = SendMessageMutation['sendMessage'];

export class MessagesResource {
  constructor(private readonly transport: Transport) {}

  /**
   * Texts the lead's caller (1–640 characters). A caller who opted out (texted STOP)
   * is never texted: that rejects with a ValidationError. Needs `messages:send`.
   */
  async send(leadId: string, body: string, options?: RequestOptions): Promise<SentMessage> {
    return (await this.transport.request(SendMessageDocument, { leadId, body }, options)).sendMessage;
  }
}
