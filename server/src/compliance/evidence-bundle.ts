// The dispute bundle: everything CallSnare recorded about one phone number in one organization,
// so a shop can answer a complaint ("why did you text me?") in minutes. One implementation for
// the operator CLI (`callsnare lead evidence`) and the dashboard's download
// (GET /api/leads/:id/evidence.json|.html): calls with their CallSid, texts with their provider
// id, deferral, evidence and failure reason, delivery reports, consent and opt-out events, the
// audit entries about those leads and texts with their hash-chain position, and the ids of the
// provider deliveries (webhook log) that carried them.
import type { Tx } from '../db/types';
import type { Actor } from '../common/actor';
import { systemClock, type Clock } from '../common/clock';
import { notFound } from '../common/errors';
import { isUuid } from '../common/ids';
import { recordAudit } from '../audit/audit.service';

export const EVIDENCE_FORMAT = 'callsnare.lead-evidence/1';

const CALL_EVENTS = new Set(['CALL_MISSED', 'CALL_ANSWERED', 'VOICEMAIL_RECORDED']);
const CONSENT_EVENTS = new Set(['OPTED_OUT', 'OPTED_IN', 'HELP_REQUESTED']);
const DELIVERY_EVENTS = new Set(['TEXT_BACK_SENT', 'TEXT_BACK_FAILED', 'TEXT_BACK_SKIPPED', 'MESSAGE_SENT', 'MESSAGE_FAILED']);

export interface EvidenceEvent {
  id: string;
  leadId: string;
  type: string;
  at: string;
  actor: string;
  /** The provider id the event came from (CallSid, MessageSid), when it came from one. */
  providerId: string | null;
  data: unknown;
}

export interface LeadEvidenceBundle {
  format: typeof EVIDENCE_FORMAT;
  generatedAt: string;
  generatedBy: string;
  organization: { id: string; name: string };
  phone: string;
  /** The lead asked for; the bundle covers every lead of the organization with the same phone. */
  requestedLeadId: string;
  leads: { id: string; name: string | null; status: string; optedOut: boolean; createdAt: string; optedOutAt: string | null }[];
  calls: (EvidenceEvent & { callSid: string | null })[];
  texts: {
    id: string;
    leadId: string;
    direction: string;
    kind: string;
    body: string;
    status: string;
    fromPhone: string;
    toPhone: string;
    providerSid: string | null;
    errorCode: string | null;
    failureReason: string | null;
    deferredUntil: string | null;
    evidence: unknown;
    createdAt: string;
    sentAt: string | null;
    deliveredAt: string | null;
  }[];
  /** Delivery reports as the provider sent them (from the webhook log) and as recorded on the leads. */
  deliveryReports: { webhookLogId: string; messageSid: string; status: string | null; errorCode: string | null; receivedAt: string; outcome: string }[];
  deliveryEvents: EvidenceEvent[];
  consent: EvidenceEvent[];
  /** Every event of those leads, oldest first (notes, status changes, callbacks too). */
  timeline: EvidenceEvent[];
  auditEntries: {
    id: string;
    seq: number;
    hash: string;
    prevHash: string | null;
    action: string;
    actorType: string;
    actorLabel: string;
    targetType: string | null;
    targetId: string | null;
    changes: unknown;
    createdAt: string;
  }[];
  webhookLogs: {
    id: string;
    provider: string;
    route: string;
    eventId: string | null;
    signature: string;
    outcome: string;
    httpStatus: number;
    receivedAt: string;
  }[];
  verification: {
    chainHead: { seq: number; hash: string } | null;
    command: string;
    explanation: string;
  };
}

const iso = (date: Date | null | undefined) => (date ? date.toISOString() : null);

/** The provider id in a providerRef ("call_missed:CA…" -> "CA…"). */
function providerIdOf(providerRef: string | null): string | null {
  if (!providerRef) return null;
  const at = providerRef.indexOf(':');
  return at === -1 ? providerRef : providerRef.slice(at + 1);
}

/** Assembles the bundle for the phone of `leadId` (NOT_FOUND unless the lead is the actor's organization's). Reads only. */
export async function buildLeadEvidence(tx: Tx, actor: Actor, leadId: string, clock: Clock = systemClock): Promise<LeadEvidenceBundle> {
  if (!isUuid(leadId)) throw notFound('Lead');
  const requested = await tx.lead.findFirst({ where: { id: leadId, orgId: actor.orgId }, select: { id: true, phone: true } });
  if (!requested) throw notFound('Lead');
  const orgId = actor.orgId;
  const organization = await tx.organization.findUniqueOrThrow({ where: { id: orgId }, select: { id: true, name: true } });
  const leads = await tx.lead.findMany({
    where: { orgId, phone: requested.phone },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    select: { id: true, name: true, status: true, optedOut: true, createdAt: true, optedOutAt: true },
  });
  const leadIds = leads.map((lead) => lead.id);
  const [events, messages, callbacks] = await Promise.all([
    tx.leadEvent.findMany({ where: { orgId, leadId: { in: leadIds } }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] }),
    tx.message.findMany({ where: { orgId, leadId: { in: leadIds } }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] }),
    tx.callback.findMany({ where: { orgId, leadId: { in: leadIds } }, select: { id: true } }),
  ]);

  const timeline: EvidenceEvent[] = events.map((event) => ({
    id: event.id,
    leadId: event.leadId,
    type: event.type,
    at: event.createdAt.toISOString(),
    actor: event.actorLabel,
    providerId: providerIdOf(event.providerRef),
    data: event.data,
  }));
  const calls = timeline
    .filter((event) => CALL_EVENTS.has(event.type))
    .map((event) => {
      const data = (event.data ?? {}) as Record<string, unknown>;
      const callSid = typeof data.callSid === 'string' ? data.callSid : event.providerId;
      return { ...event, callSid };
    });

  const providerIds = [
    ...new Set([
      ...calls.map((call) => call.callSid).filter((sid): sid is string => Boolean(sid)),
      ...timeline.map((event) => event.providerId).filter((sid): sid is string => Boolean(sid)),
      ...messages.map((message) => message.providerSid).filter((sid): sid is string => Boolean(sid)),
    ]),
  ];
  // Provider deliveries name their call or text in eventId: "<CallSid>", "<MessageSid>" or "<MessageSid>:<status>".
  const webhookLogs =
    providerIds.length === 0
      ? []
      : await tx.$queryRaw<
          {
            id: string;
            provider: string;
            route: string;
            eventId: string | null;
            signature: string;
            outcome: string;
            httpStatus: number;
            receivedAt: Date;
            payload: unknown;
          }[]
        >`
        SELECT id, provider::text AS provider, route, "eventId", signature::text AS signature, outcome::text AS outcome, "httpStatus", "receivedAt", payload
        FROM "WebhookLog"
        WHERE "orgId" = ${orgId}::uuid AND split_part("eventId", ':', 1) = ANY(${providerIds}::text[])
        ORDER BY "receivedAt", id`;

  const subjectIds = [...leadIds, ...messages.map((message) => message.id), ...callbacks.map((callback) => callback.id)];
  const auditEntries = await tx.auditEntry.findMany({
    where: { orgId, targetId: { in: subjectIds } },
    orderBy: { seq: 'asc' },
    select: {
      id: true,
      seq: true,
      hash: true,
      prevHash: true,
      action: true,
      actorType: true,
      actorLabel: true,
      targetType: true,
      targetId: true,
      changes: true,
      createdAt: true,
    },
  });
  const head = await tx.auditEntry.findFirst({ where: { orgId }, orderBy: { seq: 'desc' }, select: { seq: true, hash: true } });

  return {
    format: EVIDENCE_FORMAT,
    generatedAt: clock.now().toISOString(),
    generatedBy: actor.label,
    organization,
    phone: requested.phone,
    requestedLeadId: requested.id,
    leads: leads.map((lead) => ({ ...lead, createdAt: lead.createdAt.toISOString(), optedOutAt: iso(lead.optedOutAt) })),
    calls,
    texts: messages.map((message) => ({
      id: message.id,
      leadId: message.leadId,
      direction: message.direction,
      kind: message.kind,
      body: message.body,
      status: message.status,
      fromPhone: message.fromPhone,
      toPhone: message.toPhone,
      providerSid: message.providerSid,
      errorCode: message.errorCode,
      failureReason: message.failureReason,
      deferredUntil: iso(message.deferredUntil),
      evidence: message.evidence ?? null,
      createdAt: message.createdAt.toISOString(),
      sentAt: iso(message.sentAt),
      deliveredAt: iso(message.deliveredAt),
    })),
    deliveryReports: webhookLogs
      .filter((log) => log.route.endsWith('/sms/status'))
      .map((log) => {
        const params = paramsOf(log.payload);
        return {
          webhookLogId: log.id,
          messageSid: (log.eventId ?? '').split(':')[0] ?? '',
          status: params.MessageStatus ?? null,
          errorCode: params.ErrorCode ?? null,
          receivedAt: log.receivedAt.toISOString(),
          outcome: log.outcome,
        };
      }),
    deliveryEvents: timeline.filter((event) => DELIVERY_EVENTS.has(event.type)),
    consent: timeline.filter((event) => CONSENT_EVENTS.has(event.type)),
    timeline,
    auditEntries: auditEntries.map((entry) => ({ ...entry, createdAt: entry.createdAt.toISOString() })),
    webhookLogs: webhookLogs.map(({ payload: _payload, receivedAt, ...log }) => ({ ...log, receivedAt: receivedAt.toISOString() })),
    verification: {
      chainHead: head,
      command: `callsnare audit verify --org ${orgId}`,
      explanation:
        "Each audit entry's hash covers its content and the previous entry's hash (prevHash), keyed with the installation's audit signing key, so an edited or deleted entry breaks the chain from that seq on. " +
        `Run \`callsnare audit verify --org ${orgId}\` on the server (add --against a signed checkpoint from \`callsnare audit checkpoint\`) to check the whole chain up to seq ${head?.seq ?? 0}; the entries above carry their seq and hash so they can be matched against it.`,
    },
  };
}

/** A stored delivery's form parameters (the webhook log keeps the redacted request body). */
function paramsOf(payload: unknown): Record<string, string | undefined> {
  const value = (typeof payload === 'string' ? safeJson(payload) : payload) as Record<string, unknown> | null;
  const body = (value && typeof value === 'object' && 'body' in value ? value.body : value) as Record<string, unknown> | null;
  if (!body || typeof body !== 'object') return {};
  return Object.fromEntries(Object.entries(body).map(([key, field]) => [key, typeof field === 'string' ? field : undefined]));
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** Builds the bundle and records the export in the audit trail (lead.evidence_exported), in the caller's transaction. */
export async function exportLeadEvidence(
  tx: Tx,
  actor: Actor,
  leadId: string,
  format: 'json' | 'html',
  clock: Clock = systemClock,
): Promise<LeadEvidenceBundle> {
  const bundle = await buildLeadEvidence(tx, actor, leadId, clock);
  await recordAudit(
    tx,
    actor,
    {
      action: 'lead.evidence_exported',
      target: { type: 'Lead', id: bundle.requestedLeadId },
      changes: {
        export: {
          before: null,
          after: { format, phone: bundle.phone, leads: bundle.leads.length, texts: bundle.texts.length, auditEntries: bundle.auditEntries.length },
        },
      },
    },
    clock,
  );
  return bundle;
}
