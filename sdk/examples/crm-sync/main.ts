// Runs examples/crm-sync: `create-endpoint` registers its URL with CallSnare once (a
// credential with webhooks:write; prints the signing secret), then the service runs with
// a credential holding leads:read and that secret. See README.md next to this file.
//
//   CALLSNARE_API_KEY=cs_test_… npx tsx sdk/examples/crm-sync/main.ts create-endpoint http://127.0.0.1:4100/callsnare/webhooks
//   CALLSNARE_API_KEY=cs_test_… CALLSNARE_WEBHOOK_SECRET=whsec_… npx tsx sdk/examples/crm-sync/main.ts [crm.json]
import { CallSnare, CallSnareError } from '@callsnare/sdk';
import { startCrmSync } from './crm-sync.js';

async function main(): Promise<void> {
  const apiKey = process.env.CALLSNARE_API_KEY;
  if (!apiKey) {
    console.error('Set CALLSNARE_API_KEY to a credential secret (cs_test_…)');
    process.exit(2);
  }
  const client = new CallSnare({ apiKey, baseUrl: process.env.CALLSNARE_URL ?? 'http://127.0.0.1:4000' });
  const [command, argument] = process.argv.slice(2);

  if (command === 'create-endpoint') {
    if (!argument) {
      console.error('usage: main.ts create-endpoint <url>');
      process.exit(2);
    }
    const { endpoint, secret } = await client.webhooks.create({
      url: argument,
      events: ['lead.created', 'lead.updated', 'lead.opted_out', 'message.received', 'callback.created', 'callback.completed'],
      description: 'crm-sync example',
    });
    console.log(`Endpoint ${endpoint.id} -> ${endpoint.url} (${endpoint.events.join(', ')})`);
    console.log(`Signing secret, shown once: export CALLSNARE_WEBHOOK_SECRET=${secret}`);
    return;
  }

  // Comma-separated during a rotation: the new secret and the old one.
  const signingSecrets = (process.env.CALLSNARE_WEBHOOK_SECRET ?? '').split(',').filter(Boolean);
  if (signingSecrets.length === 0) {
    console.error('Set CALLSNARE_WEBHOOK_SECRET to the endpoint signing secret (whsec_…; see create-endpoint)');
    process.exit(2);
  }
  const sync = await startCrmSync({
    client,
    signingSecrets,
    file: command ?? 'crm.json',
    port: Number(process.env.PORT ?? 4100),
    reconcileEveryMinutes: Number(process.env.RECONCILE_MINUTES ?? 15),
  });
  const stop = () => {
    sync.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  if (error instanceof CallSnareError) console.error(`${error.name} ${error.code}: ${error.message} (request ${error.requestId})`);
  else console.error(error);
  process.exit(1);
});
