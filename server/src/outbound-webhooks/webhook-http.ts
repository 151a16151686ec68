// One POST to a partner's endpoint: 10 s for everything, redirects never followed (a 3xx is a
// failure), the first kilobyte of the answer kept, and, in live mode, only public addresses:
// the host's addresses are checked in the connection's own DNS lookup, so the address
// checked is the address connected (DNS rebinding cannot slip a private one in between).
// Never throws: every outcome is a result to record.
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import type { IntegrationMode } from '../config';
import { endpointUrlProblem, nonPublicAddressReason, systemResolver, type HostResolver, type ResolvedAddress } from './endpoint-address';

export const DELIVERY_TIMEOUT_MS = 10_000;
const EXCERPT_BYTES = 1024;

export interface WebhookPost {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export interface WebhookPostResult {
  /** True for a 2xx answer. */
  ok: boolean;
  statusCode: number | null;
  responseExcerpt: string | null;
  /** Why it failed; null when ok. */
  error: string | null;
  durationMs: number;
}

/** The HTTP client deliveries go through; tests inject their own (or this one with their own resolver). */
export interface WebhookHttp {
  post(request: WebhookPost): Promise<WebhookPostResult>;
}

export interface WebhookHttpOptions {
  mode: IntegrationMode;
  resolve?: HostResolver;
  timeoutMs?: number;
}

class AddressNotPublic extends Error {
  constructor(host: string, address: string, why: string) {
    super(`${host} resolves to ${address}, which is not a public address (${why}): not delivered`);
    this.name = 'AddressNotPublic';
  }
}

// PostgreSQL text cannot hold NUL, and the excerpt is a receiver's arbitrary bytes.
// eslint-disable-next-line no-control-regex -- removing NUL is the point
const clean = (text: string) => text.replace(/\u0000/g, '');

export function createWebhookHttp(options: WebhookHttpOptions): WebhookHttp {
  const resolve = options.resolve ?? systemResolver;
  const timeoutMs = options.timeoutMs ?? DELIVERY_TIMEOUT_MS;
  const live = options.mode === 'live';
  return {
    post(request) {
      const started = performance.now();
      const elapsed = () => Math.round(performance.now() - started);
      const failed = (error: string, statusCode: number | null = null, responseExcerpt: string | null = null): WebhookPostResult => ({
        ok: false,
        statusCode,
        responseExcerpt,
        error: clean(error).slice(0, 500),
        durationMs: elapsed(),
      });
      const problem = endpointUrlProblem(request.url, options.mode);
      if (problem) return Promise.resolve(failed(`not delivered: ${problem}`));
      const url = new URL(request.url);
      const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
      // An IP literal is connected to without a lookup: checked here instead.
      const literalWhy = live && net.isIP(host) ? nonPublicAddressReason(host) : null;
      if (literalWhy) return Promise.resolve(failed(`${host} is not a public address (${literalWhy}): not delivered`));

      const lookup: net.LookupFunction = (hostname, lookupOptions, callback) => {
        resolve(hostname).then(
          (found) => {
            const wanted = lookupOptions.family === 4 || lookupOptions.family === 6 ? found.filter((a) => a.family === lookupOptions.family) : found;
            if (live) {
              for (const { address } of found) {
                const why = nonPublicAddressReason(address);
                if (why) {
                  callback(new AddressNotPublic(hostname, address, why), '', 0);
                  return;
                }
              }
            }
            const first = wanted[0];
            if (!first) callback(Object.assign(new Error(`${hostname} does not resolve`), { code: 'ENOTFOUND' }), '', 0);
            else if (lookupOptions.all) (callback as unknown as (e: null, a: ResolvedAddress[]) => void)(null, wanted);
            else callback(null, first.address, first.family);
          },
          (error: unknown) => callback(error as NodeJS.ErrnoException, '', 0),
        );
      };

      return new Promise<WebhookPostResult>((done) => {
        let settled = false;
        const finish = (result: WebhookPostResult) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          done(result);
        };
        const client = url.protocol === 'https:' ? https : http;
        const req = client.request(
          url,
          {
            method: 'POST',
            headers: { ...request.headers, 'Content-Length': String(Buffer.byteLength(request.body)) },
            lookup,
            // A fresh connection per attempt: a pooled socket would skip the lookup (and its check).
            agent: false,
          },
          (res) => {
            const status = res.statusCode ?? 0;
            const chunks: Buffer[] = [];
            let size = 0;
            const conclude = () => {
              const excerpt = size > 0 ? clean(Buffer.concat(chunks).subarray(0, EXCERPT_BYTES).toString('utf8')) : null;
              if (status >= 200 && status < 300) finish({ ok: true, statusCode: status, responseExcerpt: excerpt, error: null, durationMs: elapsed() });
              else if (status >= 300 && status < 400) {
                const location = res.headers.location ? ` to ${res.headers.location}` : '';
                finish(failed(`redirect (HTTP ${status}${location}) not followed: webhook endpoints must answer 2xx themselves`, status, excerpt));
              } else finish(failed(`HTTP ${status}`, status, excerpt));
            };
            res.on('data', (chunk: Buffer) => {
              chunks.push(chunk);
              size += chunk.length;
              // Enough read: the rest of a large answer is not downloaded.
              if (size >= EXCERPT_BYTES) {
                conclude();
                res.destroy();
              }
            });
            res.on('end', conclude);
            res.on('error', conclude);
            res.on('close', conclude);
          },
        );
        if (live) {
          // Belt and braces: the address the socket actually connected to.
          req.on('socket', (socket) => {
            socket.once('connect', () => {
              const address = socket.remoteAddress;
              const why = address ? nonPublicAddressReason(address) : 'no address';
              if (why) req.destroy(new AddressNotPublic(host, address ?? '?', why));
            });
          });
        }
        req.on('error', (error: NodeJS.ErrnoException) => {
          const reason = error instanceof AddressNotPublic ? error.message : `${error.code ? `${error.code}: ` : ''}${error.message}`;
          finish(failed(reason));
        });
        const timer = setTimeout(() => {
          finish(failed(`timed out after ${timeoutMs % 1000 === 0 ? `${timeoutMs / 1000} s` : `${timeoutMs} ms`}`));
          req.destroy();
        }, timeoutMs);
        timer.unref();
        req.end(request.body);
      });
    },
  };
}
