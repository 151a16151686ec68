// Which SMS transport a process uses: live mode talks to Twilio (config
// validation guarantees its credentials), sandbox mode never leaves the machine.
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config';
import type { Logger } from '../logger';
import type { Clock } from '../common/clock';
import { SandboxSmsTransport } from './sandbox-sms.transport';
import type { SmsTransport } from './sms-transport';
import { TwilioSmsTransport } from './twilio-sms.transport';

/** The sandbox's stand-in for the provider's message log, in DATA_DIR: read back after a crash to find what was already sent. */
export const SANDBOX_SMS_RECORD_FILE = 'sandbox-sms.jsonl';

export interface SmsTransportOptions {
  clock?: Clock;
  /**
   * Sandbox: keep the record file in DATA_DIR. Only for a process whose database
   * outlives it (a server that opened its own PostgreSQL or on-disk PGlite);
   * an in-memory database or a test's borrowed one has no crash to recover from.
   */
  durableSandboxRecord?: boolean;
}

export function createSmsTransport(config: Config, logger: Logger, options: SmsTransportOptions = {}): SmsTransport {
  if (config.integrationMode === 'live' && config.twilio.accountSid && config.twilio.authToken) {
    return new TwilioSmsTransport({ accountSid: config.twilio.accountSid, authToken: config.twilio.authToken, publicBaseUrl: config.publicBaseUrl });
  }
  if (!options.durableSandboxRecord) return new SandboxSmsTransport(logger, { clock: options.clock });
  fs.mkdirSync(config.dataDir, { recursive: true });
  return new SandboxSmsTransport(logger, { recordFile: path.join(config.dataDir, SANDBOX_SMS_RECORD_FILE), clock: options.clock });
}
