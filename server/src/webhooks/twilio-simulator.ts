// Plays Twilio's side of the conversation: form posts signed exactly as
// Twilio signs them (HMAC over the URL called plus the sorted parameters).
// Used by `callsnare simulate` and by the tests, so both exercise the real
// verification path.
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';

export interface TwilioSimulatorOptions {
  /** Where the server is reached, e.g. http://127.0.0.1:4000. */
  baseUrl: string;
  /** The URL Twilio would have called (the server's PUBLIC_BASE_URL), when it differs from baseUrl (a tunnel, a proxy). */
  publicBaseUrl?: string | null;
  /** Signs with this token; unsigned when absent (sandbox mode records MISSING or NOT_CONFIGURED). */
  authToken?: string | null;
}

export interface SimulatorResponse {
  status: number;
  headers: Headers;
  body: string;
}

export function twilioSignature(authToken: string, url: string, params: Record<string, string>): string {
  return getExpectedTwilioSignature(authToken, url, params);
}

/** POSTs a form to `path` (with any query string), signed when a token is given. */
export async function postTwilioForm(
  options: TwilioSimulatorOptions,
  path: string,
  params: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<SimulatorResponse> {
  const url = `${options.baseUrl.replace(/\/+$/, '')}${path}`;
  const signed: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', ...headers };
  if (options.authToken) signed['x-twilio-signature'] = twilioSignature(options.authToken, signedUrl(options, path), params);
  const response = await fetch(url, { method: 'POST', headers: signed, body: new URLSearchParams(params).toString() });
  return { status: response.status, headers: response.headers, body: await response.text() };
}

/** GETs one of the sandbox's own views of `path` with an API credential of the org (never a provider signature). */
export async function getWithCredential(options: TwilioSimulatorOptions, path: string, credential: string): Promise<SimulatorResponse> {
  const url = `${options.baseUrl.replace(/\/+$/, '')}${path}`;
  const response = await fetch(url, { headers: { authorization: `Bearer ${credential}` } });
  return { status: response.status, headers: response.headers, body: await response.text() };
}

function signedUrl(options: TwilioSimulatorOptions, path: string): string {
  return `${(options.publicBaseUrl ?? options.baseUrl).replace(/\/+$/, '')}${path}`;
}
