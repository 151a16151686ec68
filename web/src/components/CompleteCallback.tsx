// Complete a callback in two clicks: pick the outcome, confirm (notes optional).
import { useState } from 'react';
import { useMutation } from 'urql';
import { CompleteCallbackDocument, type CallbackOutcome } from '../generated/graphql';
import { CALLBACK_OUTCOMES, outcomeLabel } from '../lib/lead';
import { ErrorNotice } from './ui';

export function CompleteCallback({ callbackId, onDone }: { callbackId: string; onDone?: () => void }) {
  const [outcome, setOutcome] = useState<CallbackOutcome | null>(null);
  const [notes, setNotes] = useState('');
  const [state, complete] = useMutation(CompleteCallbackDocument);
  if (!outcome) {
    return (
      <div className="outcomes" role="group" aria-label="Complete with outcome">
        {CALLBACK_OUTCOMES.map((o) => (
          <button key={o} type="button" className={o === 'BOOKED' ? 'primary small' : 'small'} onClick={() => setOutcome(o)}>
            {outcomeLabel(o)}
          </button>
        ))}
      </div>
    );
  }
  return (
    <form
      className="complete-form"
      onSubmit={(event) => {
        event.preventDefault();
        void complete({ id: callbackId, outcome, notes: notes.trim() || undefined }).then((result) => {
          if (!result.error) onDone?.();
        });
      }}
    >
      <label>
        Notes (optional)
        <input value={notes} onChange={(e) => setNotes(e.target.value)} maxLength={2000} />
      </label>
      <button type="submit" className="primary small" disabled={state.fetching} autoFocus>
        Confirm: {outcomeLabel(outcome)}
      </button>
      <button type="button" className="small" onClick={() => setOutcome(null)}>
        Back
      </button>
      <ErrorNotice error={state.error} />
    </form>
  );
}
