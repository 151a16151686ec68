// The dispute bundle as one self-contained, readable HTML page (no scripts, no external
// resources; every value escaped), for a shop to print or forward with a complaint answer.
// The JSON alongside it is the complete record; this page shows the same facts.
import type { EvidenceEvent, LeadEvidenceBundle } from './evidence-bundle';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: unknown): string {
  const text = value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);
}

function table(headers: string[], rows: unknown[][], empty: string): string {
  if (rows.length === 0) return `<p class="empty">${escapeHtml(empty)}</p>`;
  const head = headers.map((header) => `<th scope="col">${escapeHtml(header)}</th>`).join('');
  const body = rows.map((row) => `<tr>${row.map((cell) => `<td>${cellHtml(cell)}</td>`).join('')}</tr>`).join('\n');
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

function cellHtml(cell: unknown): string {
  if (cell !== null && typeof cell === 'object') return `<pre>${escapeHtml(JSON.stringify(cell, null, 2))}</pre>`;
  return escapeHtml(cell ?? '—');
}

const eventRows = (events: EvidenceEvent[]) => events.map((event) => [event.at, event.type, event.providerId, event.actor, event.data]);

export function renderEvidenceHtml(bundle: LeadEvidenceBundle): string {
  const sections = [
    `<h2>Leads for this number</h2>${table(
      ['Lead', 'Name', 'Status', 'Opted out', 'Opened'],
      bundle.leads.map((lead) => [lead.id, lead.name, lead.status, lead.optedOut ? `yes (${lead.optedOutAt ?? ''})` : 'no', lead.createdAt]),
      'No leads.',
    )}`,
    `<h2>Calls</h2>${table(
      ['When', 'What', 'CallSid', 'Lead'],
      bundle.calls.map((call) => [call.at, call.type, call.callSid, call.leadId]),
      'No calls recorded.',
    )}`,
    `<h2>Texts</h2>${table(
      ['Created', 'Direction', 'Kind', 'Text', 'Status', 'Provider id', 'Deferred until', 'Failure', 'Why it was allowed'],
      bundle.texts.map((text) => [
        text.createdAt,
        text.direction,
        text.kind,
        text.body,
        text.status,
        text.providerSid,
        text.deferredUntil,
        text.failureReason ?? text.errorCode,
        text.evidence,
      ]),
      'No texts.',
    )}`,
    `<h2>Delivery reports</h2>${table(
      ['Received', 'MessageSid', 'Status', 'Error code', 'Outcome', 'Webhook log id'],
      bundle.deliveryReports.map((report) => [report.receivedAt, report.messageSid, report.status, report.errorCode, report.outcome, report.webhookLogId]),
      'No delivery reports received.',
    )}`,
    `<h2>Consent and opt-out</h2>${table(['When', 'Event', 'Provider id', 'By', 'Details'], eventRows(bundle.consent), 'No opt-out, opt-in or HELP events.')}`,
    `<h2>Timeline</h2>${table(['When', 'Event', 'Provider id', 'By', 'Details'], eventRows(bundle.timeline), 'No events.')}`,
    `<h2>Audit entries</h2>${table(
      ['Seq', 'When', 'Action', 'By', 'Target', 'Changes', 'Hash', 'Previous hash'],
      bundle.auditEntries.map((entry) => [
        entry.seq,
        entry.createdAt,
        entry.action,
        `${entry.actorLabel} (${entry.actorType})`,
        `${entry.targetType ?? ''} ${entry.targetId ?? ''}`,
        entry.changes,
        entry.hash,
        entry.prevHash,
      ]),
      'No audit entries about these leads.',
    )}`,
    `<h2>Provider deliveries (webhook log)</h2>${table(
      ['Received', 'Route', 'Event id', 'Signature', 'Outcome', 'HTTP', 'Webhook log id'],
      bundle.webhookLogs.map((log) => [log.receivedAt, log.route, log.eventId, log.signature, log.outcome, log.httpStatus, log.id]),
      'No provider deliveries matched.',
    )}`,
    `<h2>How to verify</h2><p>${escapeHtml(bundle.verification.explanation)}</p><p><code>${escapeHtml(bundle.verification.command)}</code></p>${
      bundle.verification.chainHead
        ? `<p>Chain head when exported: seq ${escapeHtml(bundle.verification.chainHead.seq)}, hash <code>${escapeHtml(bundle.verification.chainHead.hash)}</code></p>`
        : ''
    }`,
  ];
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Evidence for ${escapeHtml(bundle.phone)} – ${escapeHtml(bundle.organization.name)}</title>
<style>
body{font-family:system-ui,sans-serif;margin:1.5rem;color:#111}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem;font-size:.85rem}
th,td{border:1px solid #ccc;padding:.3rem .4rem;text-align:left;vertical-align:top}
pre{margin:0;white-space:pre-wrap;word-break:break-word;font-size:.8rem}
.empty{color:#555;font-style:italic}
code{word-break:break-all}
</style>
</head>
<body>
<h1>Evidence for ${escapeHtml(bundle.phone)}</h1>
<p>${escapeHtml(bundle.organization.name)} (organization ${escapeHtml(bundle.organization.id)}). Exported ${escapeHtml(bundle.generatedAt)} by ${escapeHtml(
    bundle.generatedBy,
  )}. Format ${escapeHtml(bundle.format)}; the JSON export holds the same record in full.</p>
${sections.join('\n')}
</body>
</html>
`;
}
