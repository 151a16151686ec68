// Who is acting, for which org, from which request. Every service takes one.
import type { ActorType, Role } from '../generated/prisma/enums';

export interface RequestMeta {
  requestId?: string | null;
  ip?: string | null;
  userAgent?: string | null;
}

export interface Actor {
  type: ActorType;
  /** User id, credential id, provider name or null for the system. */
  id: string | null;
  /** What a person reading the audit log sees: an email, "API key Zapier sync", "Twilio". */
  label: string;
  /** The org every read and write is scoped to. */
  orgId: string;
  /** Staff sessions: the membership role in orgId. */
  role?: Role;
  /** Credentials: the scopes granted at creation. */
  scopes?: readonly string[];
  request: RequestMeta;
}

/** An actor for operator commands and background work. */
export function systemActor(orgId: string, label: string, request: RequestMeta = {}): Actor {
  return { type: 'SYSTEM', id: null, label, orgId, request };
}

/** How a staff member appears in the audit trail and on timelines: their name and email, or the email alone. */
export function staffLabel(user: { email: string; name: string | null }): string {
  return user.name ? `${user.name} (${user.email})` : user.email;
}

// Who the automatic side acts as.
/** Twilio telling us something happened (a call, a text, a carrier block). */
export function twilioActor(orgId: string, request: RequestMeta = {}): Actor {
  return { type: 'PROVIDER', id: 'twilio', label: 'Twilio', orgId, request };
}

/** CallSnare deciding on its own (text-backs, callbacks, escalations). */
export function callsnareActor(orgId: string, request: RequestMeta = {}): Actor {
  return systemActor(orgId, 'CallSnare', request);
}
