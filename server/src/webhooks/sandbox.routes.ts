// Sandbox only: the provider's view of one outbound text, the way Twilio's
// API would show it (status, body, sid). It lets `callsnare simulate` - which
// plays Twilio's side - see what the sandbox transport "sent". Live mode has
// no such route (404). When TWILIO_AUTH_TOKEN is set the request must carry
// a valid X-Twilio-Signature, like every other delivery on this surface.
import type { Request, Response } from 'express';
import type { AppDeps } from '../app-deps';
import { isUuid } from '../shared/ids';
import { checkTwilioSignature } from './twilio-signature';

export function sandboxMessageHandler(deps: AppDeps) {
  return async (req: Request, res: Response) => {
    if (deps.config.integrationMode !== 'sandbox') {
      res.status(404).json({ error: { code: 'NOT_FOUND', message: 'the sandbox message view exists only when INTEGRATION_MODE=sandbox' } });
      return;
    }
    const signature = checkTwilioSignature(deps.config, req);
    if (signature !== 'VALID' && signature !== 'NOT_CONFIGURED') {
      res.status(403).json({ error: { code: 'FORBIDDEN', message: 'a valid X-Twilio-Signature is required (TWILIO_AUTH_TOKEN is set)' } });
      return;
    }
    const id = String(req.params.id ?? '');
    const message = isUuid(id)
      ? await deps.db.prisma.message.findUnique({
          where: { id },
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
