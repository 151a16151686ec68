// The load client, on its own thread: the server under test runs on the main
// thread's event loop, so requests are made (and timed) here, as an external
// client would, without stealing the server's loop. Only 127.0.0.1 is called.
//
// Jobs (one per worker):
//   { type: 'lockstep', url, path, headers, body }: one request per 'go' message from
//     the main thread, answered with its latency (so the main thread can interleave
//     another measurement between requests); ends on 'done'.
//   { type: 'throughput', url, path, concurrency, seconds, maxRequests, twilio }
import http from 'node:http';
import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';
import { benchCallerNumber } from './callers.mjs';

// The server's own twilio package computes the signatures it will check.
const { getExpectedTwilioSignature } = createRequire(new URL('../server/package.json', import.meta.url))('twilio/lib/webhooks/webhooks');

const job = workerData;
assertLocal(job.url);
const target = new URL(job.url);
const agent = new http.Agent({ keepAlive: true, maxSockets: Math.max(1, job.concurrency ?? 1) });

if (job.type === 'lockstep') {
  parentPort.on('message', async (message) => {
    if (message === 'done') {
      agent.destroy();
      parentPort.close();
      return;
    }
    const started = performance.now();
    const response = await post(job.path, job.body, job.headers);
    const latency = performance.now() - started;
    const failed = response.status !== 200 || response.body.includes('"errors"');
    parentPort.postMessage({ latency, status: response.status, failed, body: failed ? response.body.slice(0, 2000) : null });
  });
} else {
  const result = await throughput(job);
  agent.destroy();
  parentPort.postMessage(result);
}

function assertLocal(url) {
  const host = new URL(url).hostname;
  if (host !== '127.0.0.1' && host !== 'localhost' && host !== '[::1]') throw new Error(`bench traffic goes to 127.0.0.1 only (got ${host})`);
}

function post(path, body, headers) {
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: target.hostname, port: target.port, path, method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } },
      (response) => {
        const chunks = [];
        response.on('data', (chunk) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode, body: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/**
 * Twilio dial-status deliveries with `concurrency` requests in flight for `seconds`
 * (or maxRequests). mode 'unique': a new CallSid and caller each time (missed calls);
 * 'duplicate': one already-delivered CallSid over and over (a retry storm).
 * `pace` (deliveries/s) replaces the closed loop with a fixed arrival rate.
 */
async function throughput({ path, concurrency, seconds, maxRequests, pace, twilio }) {
  const signedUrl = `${twilio.publicBaseUrl}${path}`;
  const statuses = {};
  const latencies = [];
  const sent = []; // unique mode: [callSid, epoch ms when the request left]
  let issued = 0;
  let failures = 0;
  let sample = null;

  const nextParams = (n) => {
    // Unique mode: call n of this run (offset past earlier jobs) from its own caller.
    const serial = twilio.fromOffset + n;
    const callSid = twilio.mode === 'duplicate' ? twilio.callSid : `CA${twilio.runId}${serial.toString(16).padStart(32 - twilio.runId.length, '0')}`;
    const from = twilio.mode === 'duplicate' ? twilio.from : benchCallerNumber(serial);
    return {
      AccountSid: twilio.accountSid,
      ApiVersion: '2010-04-01',
      CallSid: callSid,
      CallStatus: 'completed',
      DialCallDuration: '0',
      DialCallStatus: 'no-answer',
      Direction: 'inbound',
      From: from,
      To: twilio.to,
    };
  };
  const deliver = async (n) => {
    const params = nextParams(n);
    const body = new URLSearchParams(params).toString();
    const headers = {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': getExpectedTwilioSignature(twilio.authToken, signedUrl, params),
    };
    const sentAt = Date.now();
    const started = performance.now();
    try {
      const response = await post(path, body, headers);
      latencies.push(performance.now() - started);
      statuses[response.status] = (statuses[response.status] ?? 0) + 1;
      if (response.status !== 200) sample ??= `${response.status} ${response.body.slice(0, 300)}`;
      if (twilio.mode === 'unique' && response.status === 200) sent.push([params.CallSid, sentAt]);
    } catch (error) {
      failures++;
      sample ??= String(error?.message ?? error);
    }
  };

  const started = performance.now();
  const deadline = started + seconds * 1000;
  if (pace) {
    // Open loop at a fixed rate: the latency of each delivery is not hidden by queueing at the client.
    const inFlight = new Set();
    while (performance.now() < deadline && issued < maxRequests) {
      const n = issued++;
      const promise = deliver(n).finally(() => inFlight.delete(promise));
      inFlight.add(promise);
      const due = started + (issued * 1000) / pace;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
    await Promise.all(inFlight);
  } else {
    const loop = async () => {
      while (performance.now() < deadline && issued < maxRequests) await deliver(issued++);
    };
    await Promise.all(Array.from({ length: concurrency }, loop));
  }
  const elapsedMs = performance.now() - started;
  return { completed: latencies.length, failures, elapsedMs, statuses, latencies, sent, sample };
}
