// Jest setup (every test file): entries written straight through the services,
// without a server or a CLI command to load a key, are signed with this one;
// servers and in-process CLI runs keep it (see startAuditSigning).
import { AuditSigningKey, useAuditSigningKey } from '../../src/audit/audit-signing';

export const TEST_AUDIT_SIGNING_KEY = AuditSigningKey.fromBytes(Buffer.from('callsnare test audit signing key, not a secret'));

useAuditSigningKey(TEST_AUDIT_SIGNING_KEY);
