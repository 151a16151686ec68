// The SMS transport a process gets from its integration mode: live mode builds
// Twilio's REST client (loaded only then), sandbox never leaves the machine, and
// a long-running sandbox server does not hold every text it ever sent.
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createSmsTransport } from '../../src/messaging/sms-transports';
import { SandboxSmsTransport } from '../../src/messaging/sandbox-sms.transport';
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

describe('SandboxSmsTransport', () => {
  it("keeps only the process's latest sends in memory; the record file keeps every one, and findSent still finds a recent send", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'callsnare-sandbox-sent-'));
    try {
      const recordFile = path.join(dir, 'sent.jsonl');
      const sandbox = new SandboxSmsTransport(undefined, { recordFile, keep: 5 });
      const since = new Date(Date.now() - 1000);
      for (let n = 1; n <= 12; n++) await sandbox.send({ messageId: `m${n}`, from: '+15005550006', to: '+13125550100', body: `text ${n}` });
      // Trimmed to the latest 5 when it reached 10, then two more.
      expect(sandbox.sent.map((sms) => sms.messageId)).toEqual(['m6', 'm7', 'm8', 'm9', 'm10', 'm11', 'm12']);
      expect((await sandbox.recorded()).map((sms) => sms.messageId)).toEqual(Array.from({ length: 12 }, (_, i) => `m${i + 1}`));
      const found = await sandbox.findSent({ from: '+15005550006', to: '+13125550100', body: 'text 12', since });
      expect(found.map((sms) => sms.providerSid)).toEqual([sandbox.sent.at(-1)!.providerSid]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
