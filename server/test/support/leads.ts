// Test builders for leads and their history, written straight to the database
// (the recovery flow has its own tests; these set up known states quickly).
import crypto from 'node:crypto';
import type { Database } from '../../src/db/client';
import type { CallbackStatus, LeadStatus } from '../../src/generated/prisma/enums';

let sequence = 0;

export function testPhone(): string {
  sequence += 1;
  return `+1555${String(process.pid % 1000).padStart(3, '0')}${String(sequence).padStart(4, '0')}`;
}

export interface TestLeadOptions {
  phone?: string;
  name?: string | null;
  status?: LeadStatus;
  optedOut?: boolean;
  at?: Date;
  /** Adds a CALL_MISSED event at `at`. Default true. */
  missedCall?: boolean;
  callback?: { status?: CallbackStatus; dueAt?: Date; assigneeId?: string | null } | null;
}

export async function createTestLead(db: Database, orgId: string, options: TestLeadOptions = {}) {
  const at = options.at ?? new Date();
  const phone = options.phone ?? testPhone();
  const status = options.status ?? 'NEW';
  const open = status === 'NEW' || status === 'CONTACTED';
  const lead = await db.prisma.lead.create({
    data: {
      orgId,
      phone,
      openPhone: open ? phone : null,
      name: options.name ?? null,
      status,
      optedOut: options.optedOut ?? false,
      createdAt: at,
      lastActivityAt: at,
    },
  });
  if (options.missedCall ?? true) {
    await db.prisma.leadEvent.create({
      data: {
        orgId,
        leadId: lead.id,
        type: 'CALL_MISSED',
        data: { callSid: `CA${crypto.randomBytes(16).toString('hex')}`, from: phone },
        actorType: 'PROVIDER',
        actorLabel: 'Twilio',
        createdAt: at,
      },
    });
  }
  if (options.callback) {
    const callbackStatus = options.callback.status ?? 'OPEN';
    await db.prisma.callback.create({
      data: {
        orgId,
        leadId: lead.id,
        openLeadId: callbackStatus === 'OPEN' || callbackStatus === 'SCHEDULED' ? lead.id : null,
        status: callbackStatus,
        dueAt: options.callback.dueAt ?? new Date(at.getTime() + 15 * 60_000),
        assigneeId: options.callback.assigneeId ?? null,
        createdAt: at,
      },
    });
  }
  return lead;
}
