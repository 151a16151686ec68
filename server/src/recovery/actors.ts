// Who the automatic side of recovery acts as, and lead-event rows written in
// bulk (one INSERT per transaction on the webhook hot path).
import type { Prisma } from '../generated/prisma/client';
import type { LeadEventType } from '../generated/prisma/enums';
import { systemActor, type Actor, type RequestMeta } from '../shared/actor';

/** Twilio telling us something happened (a call, a text, a carrier block). */
export function twilioActor(orgId: string, request: RequestMeta = {}): Actor {
  return { type: 'PROVIDER', id: 'twilio', label: 'Twilio', orgId, request };
}

/** CallSnare deciding on its own (text-backs, callbacks, escalations). */
export function callsnareActor(orgId: string, request: RequestMeta = {}): Actor {
  return systemActor(orgId, 'CallSnare', request);
}

export function leadEventRow(
  actor: Pick<Actor, 'type' | 'id' | 'label' | 'orgId'>,
  leadId: string,
  type: LeadEventType,
  data: Prisma.InputJsonObject,
  at: Date,
  providerRef: string | null = null,
): Prisma.LeadEventCreateManyInput {
  return {
    orgId: actor.orgId,
    leadId,
    type,
    data,
    actorType: actor.type,
    actorId: actor.id,
    actorLabel: actor.label,
    providerRef,
    createdAt: at,
  };
}
