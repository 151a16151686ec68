// Sandbox only: the provider's view of one outbound text, the way Twilio's
// API would show it (status, body, sid). It lets `callsnare simulate` - which
// plays Twilio's side - see what the sandbox transport "sent". Live mode has
// no such route (404). A text is a lead's conversation, so only its own
// organization sees it: a staff session of that org, or an API credential of
// that org with leads:read. Any other org gets the same 404 as a wrong id.
import type { Request, Response } from 'express';
import type { AppDeps } from '../app-deps';
import { resolveIdentity } from '../access/identity';
import type { Scope } from '../access/scopes';
import { isUuid } from '../common/ids';

/** Reading a text is reading the lead's conversation. */
const REQUIRED_SCOPE: Scope = 'leads:read';

export function sandboxMessageHandler(deps: AppDeps) {
  return async (req: Request, res: Response) => {
    if (deps.config.integrationMode !== 'sandbox') {
      res.status(404).json({ error: { code: 'NOT_FOUND', message: 'the sandbox message view exists only when INTEGRATION_MODE=sandbox' } });
      return;
    }
    const { identity } = await resolveIdentity(deps, req);
    if (!identity) {
      res.status(401).json({
        error: {
          code: 'UNAUTHENTICATED',
          message: `Sign in, or send an API credential of the message's organization (scope ${REQUIRED_SCOPE}) as a Bearer token`,
        },
      });
      return;
    }
    if (identity.kind === 'credential' && !identity.scopes.includes(REQUIRED_SCOPE)) {
      res.status(403).json({ error: { code: 'FORBIDDEN', message: `this credential lacks the ${REQUIRED_SCOPE} scope` } });
      return;
    }
    const id = String(req.params.id ?? '');
    const message =
      isUuid(id) && identity.orgId
        ? await deps.db.prisma.message.findFirst({
            where: { id, orgId: identity.orgId },
            select: {
              id: true,
              leadId: true,
              direction: true,
              kind: true,
              status: true,
              body: true,
              fromPhone: true,
              toPhone: true,
              providerSid: true,
              errorCode: true,
              lastError: true,
              attempts: true,
              nextAttemptAt: true,
              createdAt: true,
              sentAt: true,
              deliveredAt: true,
            },
          })
        : null;
    if (!message) {
      res.status(404).json({ error: { code: 'NOT_FOUND', message: 'Message not found' } });
      return;
    }
    res.json({ message });
  };
}
