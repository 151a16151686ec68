// Turns urql/GraphQL errors into sentences staff can act on.
import type { CombinedError } from '@urql/core';

export interface ErrorView {
  code: string | null;
  message: string;
  /** BAD_USER_INPUT: field -> problem. */
  fields: Record<string, string>;
  retryAfterSeconds: number | null;
}

interface GraphQLErrorLike {
  message: string;
  extensions?: Record<string, unknown>;
}

export function describeError(error: Pick<CombinedError, 'graphQLErrors' | 'networkError'> | null | undefined): ErrorView | null {
  if (!error) return null;
  if (error.networkError && error.graphQLErrors.length === 0) {
    return {
      code: 'NETWORK',
      message: 'CallSnare could not be reached. Check the connection; this page retries on its own.',
      fields: {},
      retryAfterSeconds: null,
    };
  }
  const first = error.graphQLErrors[0] as GraphQLErrorLike | undefined;
  if (!first) return { code: null, message: 'Something went wrong.', fields: {}, retryAfterSeconds: null };
  const code = typeof first.extensions?.code === 'string' ? first.extensions.code : null;
  const fields = normaliseFields(first.extensions?.fields);
  const retryAfter = Number(first.extensions?.retryAfterSeconds);
  const retryAfterSeconds = Number.isFinite(retryAfter) && retryAfter > 0 ? Math.ceil(retryAfter) : null;
  switch (code) {
    case 'RATE_LIMITED':
      return { code, fields, retryAfterSeconds, message: `Too many attempts. Try again in ${formatWait(retryAfterSeconds ?? 60)}.` };
    case 'UNAUTHENTICATED':
      return { code, fields, retryAfterSeconds, message: first.message || 'Please sign in.' };
    case 'FORBIDDEN':
      // The server's own refusals say why ("… also belongs to another organization …"); only the
      // permission layer's bare default is replaced.
      return {
        code,
        fields,
        retryAfterSeconds,
        message: !first.message || first.message === 'Not Authorised!' ? 'Your role does not permit this.' : sentence(first.message),
      };
    case 'NOT_FOUND':
      return { code, fields, retryAfterSeconds, message: 'Not found. It may have been removed, or it belongs to another organization.' };
    case 'INTERNAL_SERVER_ERROR':
      return { code, fields, retryAfterSeconds, message: 'CallSnare hit an internal error. Try again in a moment.' };
    default:
      return { code, fields, retryAfterSeconds, message: first.message };
  }
}

/** A server message as a sentence (with its full stop; an email address may start it, so no capitals are forced). */
function sentence(message: string): string {
  const text = message.trim();
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

function normaliseFields(raw: unknown): Record<string, string> {
  if (!raw || typeof raw !== 'object') return {};
  if (Array.isArray(raw)) {
    const out: Record<string, string> = {};
    for (const item of raw as unknown[]) {
      if (item && typeof item === 'object' && 'field' in item) {
        const message = 'message' in item ? item.message : undefined;
        out[String(item.field)] = typeof message === 'string' || typeof message === 'number' ? String(message) : 'invalid';
      }
    }
    return out;
  }
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) out[key] = Array.isArray(value) ? value.join('; ') : String(value);
  return out;
}

export function formatWait(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}
