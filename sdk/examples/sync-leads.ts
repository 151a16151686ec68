// Copies every CallSnare lead into a local JSON file (think: your CRM), reporting
// what is new or changed since the last run. Needs a credential with leads:read.
//
//   CALLSNARE_API_KEY=cs_test_… [CALLSNARE_URL=http://127.0.0.1:4000] npx tsx sdk/examples/sync-leads.ts [leads.json]
import fs from 'node:fs';
import { AuthenticationError, CallSnare, CallSnareError, ForbiddenError, NetworkError, type Lead } from '@callsnare/sdk';

async function main(): Promise<void> {
  const apiKey = process.env.CALLSNARE_API_KEY;
  if (!apiKey) {
    console.error('Set CALLSNARE_API_KEY to a credential secret (npm run callsnare -- credential create --scopes leads:read …)');
    process.exit(2);
  }
  const file = process.argv[2] ?? 'leads.json';
  const client = new CallSnare({ apiKey, baseUrl: process.env.CALLSNARE_URL ?? 'http://127.0.0.1:4000' });

  const viewer = await client.viewer();
  console.log(`Syncing leads of ${viewer.organization?.name} as "${viewer.label}"`);

  const previous: Record<string, Lead> = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, Lead>) : {};
  const synced: Record<string, Lead> = {};
  let added = 0;
  let changed = 0;
  // 100 leads per request, most recent activity first, until the last page.
  for await (const lead of client.leads.iterate()) {
    const before = previous[lead.id];
    if (!before) added += 1;
    else if (before.status !== lead.status || before.name !== lead.name || before.lastActivityAt !== lead.lastActivityAt) changed += 1;
    synced[lead.id] = lead;
  }
  fs.writeFileSync(file, `${JSON.stringify(synced, null, 2)}\n`);

  const total = Object.keys(synced).length;
  const byStatus = Object.values(synced).reduce<Record<string, number>>((counts, lead) => ({ ...counts, [lead.status]: (counts[lead.status] ?? 0) + 1 }), {});
  console.log(`${total} leads in ${file}: ${added} new, ${changed} changed, ${total - added - changed} unchanged`);
  const statuses = Object.entries(byStatus).map(([status, count]) => `${status} ${count}`);
  console.log(`By status: ${statuses.join(', ') || 'none'}`);
}

main().catch((error: unknown) => {
  if (error instanceof AuthenticationError) console.error(`The API key was refused: ${error.message}`);
  else if (error instanceof ForbiddenError) console.error(`The credential lacks the scope ${error.requiredScope ?? '(staff only)'}`);
  else if (error instanceof NetworkError) console.error(`Could not reach CallSnare (is \`npm start\` running?): ${error.message}`);
  else if (error instanceof CallSnareError) console.error(`${error.name} ${error.code}: ${error.message} (request ${error.requestId})`);
  else console.error(error);
  process.exit(1);
});
