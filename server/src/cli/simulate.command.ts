// `callsnare simulate missed-call`: plays Twilio's side of a missed call against
// a running server - the incoming call, the unanswered forward, the delivery
// report for the text-back, and the caller's reply - and prints what CallSnare
// did at each step. Signed with TWILIO_AUTH_TOKEN when it is set.
import type { Command } from 'commander';
import { isE164 } from '../common/phone';
import { MISSED_DIAL_STATUSES } from '../recovery/calls.service';
import { TWILIO_WEBHOOK_BASE, twilioPaths } from '../common/twilio-paths';
import { getWithCredential, postTwilioForm, type SimulatorResponse, type TwilioSimulatorOptions } from '../webhooks/twilio-simulator';
import { configFrom, UsageError, type CliIO } from './runtime';
import { fakeTwilioSid } from '../common/ids';

interface MissedCallOptions {
  to: string;
  from: string;
  url?: string;
  reply: string;
  dialStatus: string;
  wait: string;
}

const DEFAULT_REPLY = 'Hi, our AC stopped cooling this morning. Can someone come out today?';

export function registerSimulate(program: Command, io: CliIO): void {
  const simulate = program.command('simulate').description("play a provider's side against a running server");
  simulate
    .command('missed-call')
    .description('a call nobody answers: voice + dial-status webhooks, the text-back, then an SMS reply from the caller')
    .requiredOption('--to <e164>', 'the tracking number called')
    .requiredOption('--from <e164>', "the caller's number")
    .option('--url <base>', 'the running server (default: PUBLIC_BASE_URL)')
    .option('--reply <text>', 'what the caller texts back', DEFAULT_REPLY)
    .option('--dial-status <status>', `how the forward ended: ${MISSED_DIAL_STATUSES.join(', ')}`, 'no-answer')
    .option('--wait <seconds>', 'how long to wait for the text-back to be sent', '10')
    .option('--api-key <secret>', "an API credential of the shop's org with leads:read, to follow the text-back (default: CALLSNARE_API_KEY)")
    .action(async (options: MissedCallOptions & { apiKey?: string }) => {
      if (!isE164(options.to)) throw new UsageError(`--to must be an E.164 number like +15005550006 (got "${options.to}")`);
      if (!isE164(options.from)) throw new UsageError(`--from must be an E.164 number like +15005550123 (got "${options.from}")`);
      if (!(MISSED_DIAL_STATUSES as readonly string[]).includes(options.dialStatus)) {
        throw new UsageError(`--dial-status must be one of ${MISSED_DIAL_STATUSES.join(', ')} (got "${options.dialStatus}")`);
      }
      const waitSeconds = Number(options.wait);
      if (!Number.isFinite(waitSeconds) || waitSeconds < 0 || waitSeconds > 120) throw new UsageError(`--wait must be 0–120 seconds (got "${options.wait}")`);
      const config = configFrom(io);
      const baseUrl = (options.url ?? config.publicBaseUrl).replace(/\/+$/, '');
      if (!/^https?:\/\/[^/]+/.test(baseUrl)) throw new UsageError(`--url must be an http(s) URL like http://127.0.0.1:4000 (got "${baseUrl}")`);
      const twilio: TwilioSimulatorOptions = { baseUrl, authToken: config.twilio.authToken ?? null };
      const apiKey = options.apiKey ?? io.env.CALLSNARE_API_KEY ?? null;
      await simulateMissedCall(io, twilio, { ...options, waitSeconds, apiKey });
    });
}

async function simulateMissedCall(
  io: CliIO,
  twilio: TwilioSimulatorOptions,
  options: MissedCallOptions & { waitSeconds: number; apiKey: string | null },
): Promise<void> {
  const post = (path: string, params: Record<string, string>) => reach(twilio.baseUrl, () => postTwilioForm(twilio, `${TWILIO_WEBHOOK_BASE}${path}`, params));
  const callSid = fakeTwilioSid('CA');
  const accountSid = fakeTwilioSid('AC');
  io.out(`Simulating a missed call from ${options.from} to ${options.to} against ${twilio.baseUrl}`);
  io.out(`  signatures: ${twilio.authToken ? 'signed with TWILIO_AUTH_TOKEN' : 'unsigned (TWILIO_AUTH_TOKEN is not set; a sandbox server records that)'}`);

  const call = { CallSid: callSid, AccountSid: accountSid, From: options.from, To: options.to, Direction: 'inbound', ApiVersion: '2010-04-01' };
  const voice = expectOk('voice', await post(twilioPaths.voice, { ...call, CallStatus: 'ringing' }));
  if (voice.headers.get('x-callsnare-outcome') === 'IGNORED') {
    throw new UsageError(`${options.to} is not an active tracking number on ${twilio.baseUrl} (the server answered "not in service")`);
  }
  const dial = /<Dial[^>]*timeout="(\d+)"/.exec(voice.body);
  const forwardTo = /<Number[^>]*>([^<]+)<\/Number>/.exec(voice.body);
  io.out(`  voice        ${summary(voice)}  rings ${forwardTo?.[1] ?? '?'} for ${dial?.[1] ?? '?'} s`);

  const dialStatus = expectOk(
    'dial-status',
    await post(twilioPaths.dialStatus, {
      ...call,
      CallStatus: 'in-progress',
      DialCallStatus: options.dialStatus,
      DialCallSid: fakeTwilioSid('CA'),
      DialCallDuration: '0',
    }),
  );
  const leadId = dialStatus.headers.get('x-callsnare-lead-id');
  const textBack = dialStatus.headers.get('x-callsnare-text-back');
  const messageId = dialStatus.headers.get('x-callsnare-message-id');
  io.out(`  dial-status  ${summary(dialStatus)}  ${options.dialStatus}: missed call`);
  if (!leadId) {
    io.out('  (the server is not in sandbox mode: lead and text-back details are not shown; see the dashboard)');
    return;
  }
  io.out(`  lead         ${leadId}`);

  if (!messageId) {
    io.out(`  text-back    ${textBack ?? 'none'}`);
  } else if (!options.apiKey) {
    // Only the shop's own org may read its texts: without its credential, say what was queued and move on.
    io.out(`  text-back    ${textBack ?? 'queued'} (message ${messageId}; pass --api-key or set CALLSNARE_API_KEY to follow it)`);
  } else {
    // A deferred text (quiet hours in the shop's time zone) stays queued: show it without waiting.
    const deferred = textBack?.startsWith('deferred ') ? textBack.slice('deferred '.length) : null;
    const message = await waitForSend(twilio, options.apiKey, messageId, deferred ? 0 : options.waitSeconds);
    const detail = deferred
      ? ` until ${deferred} (quiet hours)`
      : `${message.providerSid ? ` ${message.providerSid}` : ''}${message.lastError ? ` (${message.lastError})` : ''}`;
    io.out(`  text-back    ${message.status}${detail}`);
    io.out(`               "${message.body}"`);
    if (message.providerSid && message.status === 'SENT') {
      const report = expectOk(
        'sms/status',
        await post(`${twilioPaths.smsStatus}?messageId=${encodeURIComponent(messageId)}`, {
          MessageSid: message.providerSid,
          AccountSid: accountSid,
          From: options.to,
          To: options.from,
          MessageStatus: 'delivered',
        }),
      );
      io.out(`  delivery     ${summary(report)}  delivered`);
    }
  }

  const reply = expectOk(
    'sms',
    await post(twilioPaths.sms, {
      MessageSid: fakeTwilioSid('SM'),
      AccountSid: accountSid,
      From: options.from,
      To: options.to,
      Body: options.reply,
      NumMedia: '0',
    }),
  );
  io.out(`  reply        ${summary(reply)}  "${options.reply}" -> lead ${reply.headers.get('x-callsnare-lead-id') ?? '?'}`);
}

interface SandboxMessage {
  status: string;
  body: string;
  providerSid: string | null;
  lastError: string | null;
}

/** Polls the sandbox's view of the text until the outbox worker has dealt with it. */
async function waitForSend(twilio: TwilioSimulatorOptions, apiKey: string, messageId: string, waitSeconds: number): Promise<SandboxMessage> {
  const deadline = Date.now() + waitSeconds * 1000;
  for (;;) {
    const response = await reach(twilio.baseUrl, () =>
      getWithCredential(twilio, `${TWILIO_WEBHOOK_BASE}/sandbox/messages/${encodeURIComponent(messageId)}`, apiKey),
    );
    if (response.status !== 200) throw new Error(`the sandbox message view answered ${response.status}: ${response.body.slice(0, 200)}`);
    const { message } = JSON.parse(response.body) as { message: SandboxMessage };
    if (!['QUEUED', 'SENDING'].includes(message.status) || Date.now() >= deadline) return message;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function summary(response: SimulatorResponse): string {
  return `${response.status} ${(response.headers.get('x-callsnare-outcome') ?? '').padEnd(9)}`;
}

function expectOk(step: string, response: SimulatorResponse): SimulatorResponse {
  if (response.status === 200) return response;
  let reason = response.body.slice(0, 300);
  try {
    reason = (JSON.parse(response.body) as { error?: { message?: string } }).error?.message ?? reason;
  } catch {
    // not JSON: keep the text
  }
  throw new Error(`${step} webhook answered ${response.status}: ${reason}`);
}

async function reach<T>(baseUrl: string, request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new Error(`cannot reach ${baseUrl} (${cause?.code ?? cause?.message ?? (error as Error).message}); is the server running? (npm start)`);
  }
}
