// Sandbox SMS: nothing leaves the machine. The send is recorded (in memory, in
// the log and, when given a file, one JSON line per accepted text: the
// sandbox's stand-in for the provider's own message log, which outlives a
// crashed process the way Twilio's does) and gets a fake SM sid. Twilio's
// magic test numbers fail the way Twilio's test credentials make them fail,
// so failure paths can be tried without a Twilio account.
import fs from 'node:fs';
import type { Logger } from '../logger';
import { systemClock, type Clock } from '../common/clock';
import { fakeTwilioSid } from '../common/ids';
import { RECIPIENT_OPTED_OUT, SmsSendError, type OutboundSms, type SentSmsQuery, type SmsAccepted, type SmsOnRecord, type SmsTransport } from './sms-transport';

/** https://www.twilio.com/docs/iam/test-credentials — "To" numbers and the error each produces. */
const MAGIC_RECIPIENTS: Record<string, { code: string; message: string }> = {
  '+15005550001': { code: '21211', message: "The 'To' number is not a valid phone number" },
  '+15005550002': { code: '21612', message: "The 'To' phone number is not currently reachable via SMS" },
  '+15005550003': { code: '21408', message: 'Permission to send an SMS has not been enabled for the region' },
  '+15005550004': { code: RECIPIENT_OPTED_OUT, message: 'The recipient has opted out (replied STOP)' },
  '+15005550009': { code: '21614', message: "The 'To' number is not a mobile number" },
};

export interface SandboxSentSms extends OutboundSms {
  providerSid: string;
  createdAt: Date;
}

export interface SandboxSmsOptions {
  /**
   * Append every accepted text to this file (JSON lines) before the send returns,
   * and answer findSent from it: what the sandbox "provider" accepted survives a
   * kill -9 of the process that sent it.
   */
  recordFile?: string;
  /** Stamps each accepted text, like the provider's dateCreated. */
  clock?: Clock;
  /** How many of this process's latest sends `sent` keeps (default SANDBOX_SENT_KEPT). */
  keep?: number;
}

/**
 * A sandbox server runs for days: `sent` keeps this process's latest sends, not all of
 * them (at most twice this many, trimmed in one go). Reconciling a claim looks back one
 * lease (seconds), and the record file, when there is one, keeps every send.
 */
export const SANDBOX_SENT_KEPT = 10_000;

export class SandboxSmsTransport implements SmsTransport {
  readonly kind = 'sandbox' as const;
  /** This process's latest accepted sends (see SANDBOX_SENT_KEPT), oldest first: tests read it. */
  readonly sent: SandboxSentSms[] = [];

  constructor(
    private readonly logger?: Logger,
    private readonly options: SandboxSmsOptions = {},
  ) {}

  async send(sms: OutboundSms): Promise<SmsAccepted> {
    const magic = MAGIC_RECIPIENTS[sms.to];
    if (magic) throw new SmsSendError(`sandbox: ${magic.message} (Twilio error ${magic.code})`, true, magic.code);
    const accepted: SandboxSentSms = {
      ...sms,
      providerSid: fakeTwilioSid('SM'),
      createdAt: (this.options.clock ?? systemClock).now(),
    };
    // One short line in append mode is one write: concurrent sends never interleave.
    if (this.options.recordFile) await fs.promises.appendFile(this.options.recordFile, `${JSON.stringify(accepted)}\n`);
    this.sent.push(accepted);
    const keep = this.options.keep ?? SANDBOX_SENT_KEPT;
    if (this.sent.length >= 2 * keep) this.sent.splice(0, this.sent.length - keep);
    this.logger?.info(
      { messageId: sms.messageId, providerSid: accepted.providerSid, to: sms.to },
      'sandbox: SMS recorded, not sent (INTEGRATION_MODE=sandbox)',
    );
    return { providerSid: accepted.providerSid, providerStatus: 'sent' };
  }

  /** Matches like the Twilio lookup: same from, to and body, created since the query's instant. */
  async findSent(query: SentSmsQuery): Promise<SmsOnRecord[]> {
    const known = new Map<string, SandboxSentSms>();
    for (const sms of [...(await this.recorded()), ...this.sent]) known.set(sms.providerSid, sms);
    return [...known.values()]
      .filter((sms) => sms.from === query.from && sms.to === query.to && sms.body === query.body && sms.createdAt >= query.since)
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())
      .map((sms) => ({ providerSid: sms.providerSid, providerStatus: 'sent', createdAt: sms.createdAt }));
  }

  /** Every text in the record file, any process's; a line cut short by a crash is skipped. */
  async recorded(): Promise<SandboxSentSms[]> {
    if (!this.options.recordFile) return [];
    let text: string;
    try {
      text = await fs.promises.readFile(this.options.recordFile, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const records: SandboxSentSms[] = [];
    for (const line of text.split('\n')) {
      if (!line) continue;
      try {
        const parsed = JSON.parse(line) as Omit<SandboxSentSms, 'createdAt'> & { createdAt: string };
        records.push({ ...parsed, createdAt: new Date(parsed.createdAt) });
      } catch {
        // a partial last line: that send never returned, so nothing claims it was accepted
      }
    }
    return records;
  }
}
