// Per-staff read state lives on the server (what "new" and "updated" mean for
// this member, on any device): opening a lead marks it read.
import { useEffect, useRef } from 'react';
import { useMutation } from 'urql';
import { MarkLeadReadDocument } from '../generated/graphql';

/**
 * Call on the lead page with the lead's id and its `lastActivityAt` once the
 * lead is loaded: marks it read on open, and again when something new happens
 * while it is open (the member saw it arrive). A failure is harmless: the lead
 * just stays marked new.
 */
export function useMarkLeadRead(leadId: string | undefined, lastActivityAt: string | undefined): void {
  const [, markLeadRead] = useMutation(MarkLeadReadDocument);
  const marked = useRef<string | null>(null);
  useEffect(() => {
    if (!leadId || !lastActivityAt) return;
    const key = `${leadId}@${lastActivityAt}`;
    if (marked.current === key) return;
    marked.current = key;
    void markLeadRead({ id: leadId });
  }, [leadId, lastActivityAt, markLeadRead]);
}
