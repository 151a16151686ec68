// A weekly recovery report: stats for the last 7 days, the latest booked leads through
// client.request() with a generated document, and failed webhook deliveries.
// Needs leads:read and webhook_logs:read.
//
//   CALLSNARE_API_KEY=cs_test_… npx tsx sdk/examples/weekly-report.ts
import { CallSnare, ForbiddenError } from '@callsnare/sdk';
import { LeadsDocument } from '@callsnare/sdk/documents';

const percent = (rate: number | null) => (rate === null ? 'n/a' : `${Math.round(rate * 100)}%`);

async function main(): Promise<void> {
  const client = new CallSnare({
    apiKey: process.env.CALLSNARE_API_KEY ?? '',
    baseUrl: process.env.CALLSNARE_URL ?? 'http://127.0.0.1:4000',
    timeoutMs: 10_000,
    maxRetries: 5,
  });
  const since = new Date(Date.now() - 7 * 86_400_000);

  const stats = await client.stats({ since });
  console.log(`Week of ${stats.since.slice(0, 10)} to ${stats.until.slice(0, 10)}`);
  console.log(`  missed calls        ${stats.missedCalls} (${stats.missedCallLeads} callers)`);
  console.log(`  text-backs sent     ${stats.textBacksSent} (skipped ${stats.textBacksSkipped})`);
  console.log(`  replies             ${stats.replies} (reply rate ${percent(stats.replyRate)})`);
  console.log(`  recovered           ${stats.recoveredLeads} (recovery rate ${percent(stats.recoveryRate)})`);
  console.log(`  booked              ${stats.bookedLeads}`);
  console.log(`  median to callback  ${stats.medianMinutesToCallback ?? 'n/a'} min (p90 ${stats.p90MinutesToCallback ?? 'n/a'})`);
  for (const day of stats.missedCallsByDay) console.log(`  ${day.date}  ${'#'.repeat(day.count)} ${day.count}`);

  // Any generated document runs through the client, fully typed.
  const { leads } = await client.request(LeadsDocument, { filter: { status: ['BOOKED'], since }, first: 5 });
  console.log(`Booked this week: ${leads.totalCount}`);
  for (const lead of leads.nodes) console.log(`  ${lead.name ?? lead.phone}  last activity ${lead.lastActivityAt}`);

  try {
    const failures = await client.webhookLogs.list({ outcome: ['FAILED', 'REJECTED', 'MALFORMED'], since }, { first: 20 });
    console.log(`Webhook deliveries that failed or were refused: ${failures.totalCount}`);
    for (const log of failures.nodes) console.log(`  ${log.receivedAt} ${log.provider} ${log.route} ${log.outcome} HTTP ${log.httpStatus} ${log.error ?? ''}`);
  } catch (error) {
    // A credential without webhook_logs:read still gets the rest of the report.
    if (!(error instanceof ForbiddenError)) throw error;
    console.log(`(webhook logs skipped: the credential lacks ${error.requiredScope})`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? `${error.name}: ${error.message}` : error);
  process.exit(1);
});
