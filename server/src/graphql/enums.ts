// Registers the enums the GraphQL schema exposes, once.
import { registerEnumType } from 'type-graphql';
import { ActorType, CredentialMode, Role } from '../generated/prisma/enums';

registerEnumType(Role, { name: 'Role', description: "A member's role in an organization." });
registerEnumType(ActorType, {
  name: 'ActorType',
  description: 'Who performed an action: a staff user, an API credential, a provider (Twilio, Stripe) or CallSnare itself.',
});
registerEnumType(CredentialMode, {
  name: 'CredentialMode',
  description: 'TEST credentials (cs_test_…) are issued in sandbox mode, LIVE ones (cs_live_…) in live mode.',
});

/** Where an API credential stands (computed from its dates; see credentialStatus). */
export const CredentialStatus = {
  ACTIVE: 'ACTIVE',
  GRACE_PERIOD: 'GRACE_PERIOD',
  REPLACED: 'REPLACED',
  EXPIRED: 'EXPIRED',
  REVOKED: 'REVOKED',
} as const;
export type CredentialStatus = (typeof CredentialStatus)[keyof typeof CredentialStatus];

registerEnumType(CredentialStatus, {
  name: 'CredentialStatus',
  description: 'Where an API credential stands. Only ACTIVE and GRACE_PERIOD credentials authenticate.',
  valuesConfig: {
    ACTIVE: { description: 'Works.' },
    GRACE_PERIOD: { description: 'Rotated: still works until graceUntil, next to its replacement.' },
    REPLACED: { description: 'Rotated and past its grace period: no longer works.' },
    EXPIRED: { description: 'Past expiresAt: no longer works.' },
    REVOKED: { description: 'Revoked: no longer works.' },
  },
});

export { ActorType, CredentialMode, Role };
