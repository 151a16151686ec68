// The SMS transport a process gets from its integration mode: live mode builds
// Twilio's REST client (loaded only then), sandbox never leaves the machine.
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { createSmsTransport } from '../../src/messaging/sms-transports';
import { LIVE_ENV } from '../support/twilio';

const logger = createLogger('silent');

describe('createSmsTransport', () => {
  it('gives a live process the Twilio transport over a real Twilio client', () => {
    const transport = createSmsTransport(loadConfig(LIVE_ENV), logger);
    expect(transport.kind).toBe('twilio');
    // The twilio package's client: the Messages API the transport sends and reconciles through.
    const client = (transport as unknown as { client: { messages: { create: unknown; list: unknown } } }).client;
    expect(typeof client.messages.create).toBe('function');
    expect(typeof client.messages.list).toBe('function');
  });

  it('gives a sandbox process the sandbox transport', () => {
    expect(createSmsTransport(loadConfig({ INTEGRATION_MODE: 'sandbox' }), logger).kind).toBe('sandbox');
  });
});
