// The live (WebSocket) connections this process holds, by identity: counted
// against the per-identity cap, and found again when an access notice names them.
import type { Identity } from '../common/identity';
import type { RequestMeta } from '../common/actor';
import type { AccessNotice } from './access-notices';

export interface LiveConnection {
  /** Correlates this connection's log lines (and its GraphQL context's requestId). */
  readonly id: string;
  readonly request: RequestMeta;
  /** Set once the connection was accepted (connection_init). */
  identity: Identity | null;
  /** What the identity was proven with (a Bearer header or the session cookie), to prove it again. Never logged. */
  proof: { authorization?: string; cookie?: string };
  readonly openedAt: number;
  close(code: number, reason: string): void;
  isOpen(): boolean;
}

/** `session:<id>` or `credential:<id>`: what the per-identity cap counts and logs name. */
export function identityKey(identity: Identity): string {
  return identity.kind === 'user' ? `session:${identity.sessionId}` : `credential:${identity.credentialId}`;
}

/** Whether `now` grants exactly what `before` did (same org, role or scopes): otherwise the connection must start again. */
export function sameAccess(before: Identity, now: Identity): boolean {
  if (before.kind === 'user' && now.kind === 'user') {
    return before.sessionId === now.sessionId && before.userId === now.userId && before.orgId === now.orgId && before.role === now.role;
  }
  if (before.kind === 'credential' && now.kind === 'credential') {
    return before.credentialId === now.credentialId && before.orgId === now.orgId && [...before.scopes].sort().join(' ') === [...now.scopes].sort().join(' ');
  }
  return false;
}

function isNamedBy(identity: Identity, notice: AccessNotice): boolean {
  if (notice.everyone) return true;
  if (notice.orgId !== undefined && identity.orgId === notice.orgId) return true;
  if (identity.kind === 'user') {
    return (notice.userId !== undefined && identity.userId === notice.userId) || (notice.sessionId !== undefined && identity.sessionId === notice.sessionId);
  }
  return notice.credentialId !== undefined && identity.credentialId === notice.credentialId;
}

export class LiveConnections {
  private readonly accepted = new Set<LiveConnection>();
  private readonly perIdentity = new Map<string, number>();

  /** Registers an identified connection, unless its identity already holds `max`; false then. */
  admit(connection: LiveConnection, max: number): boolean {
    if (!connection.identity) return false;
    const key = identityKey(connection.identity);
    const count = this.perIdentity.get(key) ?? 0;
    if (count >= max) return false;
    this.perIdentity.set(key, count + 1);
    this.accepted.add(connection);
    return true;
  }

  remove(connection: LiveConnection): void {
    if (!this.accepted.delete(connection) || !connection.identity) return;
    const key = identityKey(connection.identity);
    const count = (this.perIdentity.get(key) ?? 1) - 1;
    if (count > 0) this.perIdentity.set(key, count);
    else this.perIdentity.delete(key);
  }

  /** The accepted connections a notice names. */
  namedBy(notice: AccessNotice): LiveConnection[] {
    return [...this.accepted].filter((connection) => connection.identity && isNamedBy(connection.identity, notice));
  }

  all(): LiveConnection[] {
    return [...this.accepted];
  }

  get size(): number {
    return this.accepted.size;
  }
}
