// GET /api/leads/:id/evidence.json and .html: the dispute bundle (evidence-bundle.ts) for the
// dashboard's "Download evidence" and for API credentials. Whoever may read the lead may
// download it: the `lead` row of the permission table decides (staff of any role, or a
// credential with its scope); everything else is 401/403, and another organization's lead
// is 404. A GET changes nothing but the audit trail (lead.evidence_exported), so a
// cross-site link can at most make a signed-in user download their own shop's bundle,
// which the attacker cannot read (same-origin policy); it never answers cross-origin reads.
import { Router, type NextFunction, type Request, type Response } from 'express';
import type { AppDeps } from '../app-deps';
import type { Actor } from '../common/actor';
import { actorOfIdentity } from '../common/actor';
import type { Identity } from '../common/identity';
import { DomainError } from '../common/errors';
import { inTransaction } from '../db/types';
import { identityOf } from '../access/identity';
import { permissionFor } from '../access/permissions';
import { exportLeadEvidence } from './evidence-bundle';
import { renderEvidenceHtml } from './evidence-html';

const STATUS: Record<string, number> = { UNAUTHENTICATED: 401, FORBIDDEN: 403, NOT_FOUND: 404, BAD_USER_INPUT: 400, CONFLICT: 409, RATE_LIMITED: 429 };

/** The caller as an Actor when they may read leads (the `lead` row of the permission table); a DomainError saying why not otherwise. */
function leadReader(identity: Identity | null, request: Actor['request']): Actor {
  const actor = actorOfIdentity(identity, request);
  const rule = permissionFor('lead');
  if (!rule) throw new DomainError('FORBIDDEN', 'Reading leads is not allowed');
  if (actor.type === 'CREDENTIAL') {
    if (rule.scope === null || !actor.scopes?.includes(rule.scope)) {
      throw new DomainError('FORBIDDEN', `This credential lacks the ${rule.scope ?? 'required'} scope`, { requiredScope: rule.scope });
    }
  } else if (rule.roles !== 'any' && (!actor.role || !rule.roles.includes(actor.role))) {
    throw new DomainError('FORBIDDEN', 'Your role cannot read leads');
  }
  return actor;
}

export function leadEvidenceRoutes(deps: AppDeps): Router {
  const router = Router();
  router.get('/:id/evidence.:format', (req: Request, res: Response, next: NextFunction) => {
    const format = req.params.format;
    if (format !== 'json' && format !== 'html') {
      res.status(404).json({ error: { code: 'NOT_FOUND', message: 'Evidence comes as evidence.json or evidence.html' } });
      return;
    }
    const leadId = String(req.params.id);
    const request = { requestId: req.requestId, ip: req.ip ?? null, userAgent: req.headers['user-agent'] ?? null };
    Promise.resolve()
      .then(() => leadReader(identityOf(res).identity, request))
      .then((actor) => inTransaction(deps.db.prisma, (tx) => exportLeadEvidence(tx, actor, leadId, format, deps.clock)))
      .then((bundle) => {
        const name = `callsnare-evidence-${bundle.phone.replace(/\D/g, '')}-${bundle.generatedAt.slice(0, 10)}.${format}`;
        res.setHeader('Cache-Control', 'no-store');
        res.setHeader('Content-Disposition', `attachment; filename="${name}"`);
        if (format === 'json') res.type('application/json').send(`${JSON.stringify(bundle, null, 2)}\n`);
        else res.type('text/html; charset=utf-8').send(renderEvidenceHtml(bundle));
      })
      .catch((error: unknown) => {
        if (error instanceof DomainError) {
          res.status(STATUS[error.code] ?? 400).json({ error: { code: error.code, message: error.message } });
          return;
        }
        next(error);
      });
  });
  return router;
}
