// Which SMS transport a process uses: live mode talks to Twilio (config
// validation guarantees its credentials), sandbox mode never leaves the machine.
import type { Config } from '../config';
import type { Logger } from '../logger';
import { SandboxSmsTransport } from './sandbox-sms.transport';
import type { SmsTransport } from './sms-transport';
import { TwilioSmsTransport } from './twilio-sms.transport';

export function createSmsTransport(config: Config, logger: Logger): SmsTransport {
  if (config.integrationMode === 'live' && config.twilio.accountSid && config.twilio.authToken) {
    return new TwilioSmsTransport({ accountSid: config.twilio.accountSid, authToken: config.twilio.authToken, publicBaseUrl: config.publicBaseUrl });
  }
  return new SandboxSmsTransport(logger);
}
