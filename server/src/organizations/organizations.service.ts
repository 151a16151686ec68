// Creating an organization: org + owner + default settings (+ a tracking line),
// all in the caller's transaction so a failure leaves nothing behind.
import type { Tx } from '../db/types';
import type { Actor, RequestMeta } from '../common/actor';
import { systemClock, type Clock } from '../common/clock';
import { recordAudit } from '../audit/audit.service';
import { hashPassword, isEmail, normalizeEmail, passwordProblem, verifyPassword } from '../access/passwords';
import { badInput } from '../common/errors';
import { DEFAULT_TIMEZONE, defaultSettings, isIanaTimeZone } from '../settings/defaults';
import { addTrackingLine, trackingLineProblems } from '../settings/tracking-lines.service';

export interface CreateOrganizationInput {
  name: string;
  ownerEmail: string;
  ownerPassword: string;
  ownerName?: string | null;
  timezone?: string | null;
  trackingLine?: { number: string; forwardTo: string } | null;
}

export interface CreatedOrganization {
  orgId: string;
  userId: string;
  trackingNumber: string | null;
}

/** Every problem with the input, by field; empty when valid. No database access. */
export function createOrganizationProblems(input: CreateOrganizationInput): Record<string, string> {
  const fields: Record<string, string> = {};
  const name = input.name.trim();
  if (name.length === 0 || name.length > 120) fields.name = 'name must be 1–120 characters';
  if (!isEmail(normalizeEmail(input.ownerEmail))) fields.ownerEmail = `owner email "${input.ownerEmail}" is not a valid email address`;
  const passwordIssue = passwordProblem(input.ownerPassword);
  if (passwordIssue) fields.ownerPassword = `owner ${passwordIssue}`;
  if (input.timezone && !isIanaTimeZone(input.timezone)) fields.timezone = `timezone "${input.timezone}" is not an IANA time zone (e.g. America/Chicago)`;
  if (input.trackingLine) Object.assign(fields, trackingLineProblems(input.trackingLine));
  return fields;
}

/**
 * `by` is who asked (an operator at the CLI, the demo seeder); the audit
 * entries are written in the new org's chain.
 */
export async function createOrganization(
  tx: Tx,
  by: { label: string; request?: RequestMeta },
  input: CreateOrganizationInput,
  clock: Clock = systemClock,
): Promise<CreatedOrganization> {
  const problems = createOrganizationProblems(input);
  const [firstProblem] = Object.values(problems);
  if (firstProblem !== undefined) throw badInput(firstProblem, problems);

  const email = normalizeEmail(input.ownerEmail);
  const existingUser = await tx.user.findUnique({ where: { email } });
  if (existingUser && !(await verifyPassword(existingUser.passwordHash, input.ownerPassword))) {
    // An existing person may own several orgs, but only by proving it is them.
    throw badInput(`a user with email ${email} already exists and the owner password does not match theirs`, {
      ownerPassword: 'does not match the existing user',
    });
  }
  const name = input.name.trim();
  const timezone = input.timezone ?? DEFAULT_TIMEZONE;
  const createdAt = clock.now();
  const org = await tx.organization.create({ data: { name, createdAt } });
  const user =
    existingUser ??
    (await tx.user.create({
      data: { email, name: input.ownerName ?? null, passwordHash: await hashPassword(input.ownerPassword) },
    }));
  const membership = await tx.membership.create({ data: { orgId: org.id, userId: user.id, role: 'OWNER' } });
  await tx.orgSettings.create({ data: defaultSettings(org.id, name, timezone) });

  const actor: Actor = { type: 'SYSTEM', id: null, label: by.label, orgId: org.id, request: by.request ?? {} };
  await recordAudit(
    tx,
    actor,
    {
      action: 'org.created',
      target: { type: 'Organization', id: org.id },
      changes: {
        name: { before: null, after: name },
        timezone: { before: null, after: timezone },
        owner: { before: null, after: { userId: user.id, email, membershipId: membership.id } },
      },
    },
    clock,
  );
  let trackingNumber: string | null = null;
  if (input.trackingLine) {
    const line = await addTrackingLine(tx, actor, input.trackingLine, clock);
    trackingNumber = line.number;
  }
  return { orgId: org.id, userId: user.id, trackingNumber };
}
