// Under an outbound text: when a held-back text goes, and "Why was this sent?" from its evidence.
import { deferredWords, evidenceLines } from '../lib/evidence';

interface EvidenceMessage {
  direction: string;
  status: string;
  deferredUntil?: string | null;
  evidence?: Record<string, unknown> | null;
}

export function MessageEvidence({ message }: { message: EvidenceMessage }) {
  if (message.direction !== 'OUTBOUND') return null;
  const scheduled = deferredWords(message);
  const lines = evidenceLines(message.evidence);
  return (
    <>
      {scheduled ? (
        <div className="small muted deferred-note" role="note" data-testid="deferred-note">
          {scheduled}
        </div>
      ) : null}
      {lines.length > 0 ? (
        <details className="small why-sent" data-testid="why-sent">
          <summary>Why was this sent?</summary>
          <ul>
            {lines.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </details>
      ) : null}
    </>
  );
}
