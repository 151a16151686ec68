// Sandbox SMS: nothing leaves the machine. The send is recorded (in memory and
// in the log; the Message row itself is the durable record) and gets a fake
// SM sid. Twilio's magic test numbers fail the way Twilio's test credentials
// make them fail, so failure paths can be tried without a Twilio account.
import crypto from 'node:crypto';
import type { Logger } from '../logger';
import { RECIPIENT_OPTED_OUT, SmsSendError, type OutboundSms, type SmsAccepted, type SmsTransport } from './sms-transport';

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
}

export class SandboxSmsTransport implements SmsTransport {
  readonly kind = 'sandbox' as const;
  /** Every accepted send, oldest first (tests and the dev console read it). */
  readonly sent: SandboxSentSms[] = [];

  constructor(private readonly logger?: Logger) {}

  async send(sms: OutboundSms): Promise<SmsAccepted> {
    const magic = MAGIC_RECIPIENTS[sms.to];
    if (magic) throw new SmsSendError(`sandbox: ${magic.message} (Twilio error ${magic.code})`, true, magic.code);
    const providerSid = `SM${crypto.randomBytes(16).toString('hex')}`;
    this.sent.push({ ...sms, providerSid });
    this.logger?.info({ messageId: sms.messageId, providerSid, to: sms.to }, 'sandbox: SMS recorded, not sent (INTEGRATION_MODE=sandbox)');
    return { providerSid, providerStatus: 'sent' };
  }
}
