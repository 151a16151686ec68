// Who is calling: a signed-in staff session or an API credential. access/identity.ts
// resolves it from a request (and owns what it means); the type lives here because
// every layer that serves a request carries it (the GraphQL context, the live
// endpoint, the shield), below the domains that access itself depends on.
import type { Role } from '../generated/prisma/enums';

export type Identity =
  | {
      kind: 'user';
      userId: string;
      email: string;
      /** The account's display name, when it has one (audit labels show it). */
      name?: string | null;
      sessionId: string;
      /** Active org; null when the user has no membership left. */
      orgId: string | null;
      role: Role | null;
    }
  | {
      kind: 'credential';
      credentialId: string;
      orgId: string;
      name: string;
      prefix: string;
      scopes: string[];
    };

/** Why a presented identity was not accepted; shown to the client in the UNAUTHENTICATED message. */
export type IdentityProblem = 'invalid_credential' | 'credential_of_other_mode' | 'invalid_session';
