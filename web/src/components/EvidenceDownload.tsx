// "Download evidence" on the lead page: everything recorded about this caller's number
// (calls, texts and why each was allowed, delivery reports, opt-outs, audit entries with
// their hash-chain position) as a readable page or JSON, for answering a complaint.
// Plain links: the session cookie authenticates the GET, and the server audits the export.
export function EvidenceDownload({ leadId }: { leadId: string }) {
  const base = `/api/leads/${encodeURIComponent(leadId)}/evidence`;
  return (
    <section className="card" aria-labelledby="evidence-title" data-testid="evidence-download">
      <h2 id="evidence-title">Evidence</h2>
      <p className="small muted">Everything CallSnare recorded about this number, to answer a complaint. Each download is recorded in the audit log.</p>
      <p>
        <a className="button" href={`${base}.html`} download>
          Download evidence
        </a>{' '}
        <a className="small" href={`${base}.json`} download>
          JSON
        </a>
      </p>
    </section>
  );
}
