// "Who may listen changed": after a sign-out, a revoked or rotated credential,
// a removed member or a changed role, every live connection the notice names
// checks its identity again (as an HTTP request would) and is closed if it no
// longer holds. One channel for all organizations: notices are rare, and a
// session that belongs to no organization any more must be reachable too.
import type { AuditAction } from '../audit/actions';
import type { LiveBus } from './live-bus';

export const ACCESS_CHANNEL = 'access';

/**
 * Which live connections must check their identity again. Each field that is
 * set names connections; `everyone` names all of them (an operator's sweep).
 * The notice is a hint, never a verdict: the connection closes only if the
 * database says its identity no longer holds, so a stale or early notice
 * cannot end a connection that is still allowed.
 */
export interface AccessNotice {
  orgId?: string;
  userId?: string;
  sessionId?: string;
  credentialId?: string;
  everyone?: true;
}

/**
 * Audited actions that may end someone's access. A mutation that records one
 * (the permission table lists what each operation records) announces an
 * access change for the caller's organization and session once it is done
 * (api/live-plugins.ts), so new operations of that kind are covered
 * without anyone remembering to announce them.
 */
export const ACCESS_CHANGING_ACTIONS: readonly AuditAction[] = [
  'auth.signed_out',
  'credential.revoked',
  'credential.rotated',
  'member.removed',
  'member.role_changed',
  'member.password_reset',
];

const FIELDS = ['orgId', 'userId', 'sessionId', 'credentialId'] as const;

/** Call after the transaction committed. */
export function announceAccessChange(bus: LiveBus, notice: AccessNotice): void {
  const message: Record<string, unknown> = {};
  for (const field of FIELDS) if (typeof notice[field] === 'string') message[field] = notice[field];
  if (notice.everyone) message.everyone = true;
  if (Object.keys(message).length === 0) return; // names nobody
  bus.publish(ACCESS_CHANNEL, message);
}

export function subscribeAccessChanges(bus: LiveBus, listener: (notice: AccessNotice) => void): () => void {
  return bus.subscribe(ACCESS_CHANNEL, (message) => {
    const notice: AccessNotice = {};
    for (const field of FIELDS) if (typeof message[field] === 'string') notice[field] = message[field];
    if (message.everyone === true) notice.everyone = true;
    if (Object.keys(notice).length > 0) listener(notice);
  });
}
