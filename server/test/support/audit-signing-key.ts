// Jest setup (every test file): entries written straight through the services,
// without a server or a CLI command to load a key, are signed with this one;
// servers and in-process CLI runs keep it (see startAuditSigning).
import { AuditSigningKey, useAuditSigningKey } from '../../src/audit/audit-signing';

const TEST_KEY_BYTES = Buffer.from('callsnare test audit signing key, not a secret');
/** The same key as AUDIT_SIGNING_KEY, for test servers in live mode (LIVE_ENV). */
export const TEST_AUDIT_SIGNING_KEY_HEX = TEST_KEY_BYTES.toString('hex');
export const TEST_AUDIT_SIGNING_KEY = AuditSigningKey.fromBytes(TEST_KEY_BYTES);

useAuditSigningKey(TEST_AUDIT_SIGNING_KEY);
