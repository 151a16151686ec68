// Audit action names: the published list plus auth.password_set, member.joined and the staff
// profile / on-call changes. Defined once.
export const AUDIT_ACTIONS = [
  'auth.signed_in',
  'auth.sign_in_failed',
  'auth.signed_out',
  'auth.password_set',
  'settings.updated',
  'lead.updated',
  'lead.note_added',
  'lead.opted_out',
  'lead.opted_in',
  'callback.scheduled',
  'callback.assigned',
  'callback.completed',
  'callback.canceled',
  'message.sent',
  'credential.created',
  'credential.rotated',
  'credential.revoked',
  'member.invited',
  'member.joined',
  'member.role_changed',
  'member.removed',
  'member.password_reset',
  'member.profile_updated',
  'member.on_call_changed',
  'billing.subscription_changed',
  'tracking_line.added',
  'org.created',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];
