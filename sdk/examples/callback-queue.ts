// Works the callback queue: lists open and scheduled callbacks (overdue first, then
// by due time) and, when asked, records a call's outcome. Needs callbacks:read, and
// callbacks:write to complete one.
//
//   CALLSNARE_API_KEY=cs_test_… npx tsx sdk/examples/callback-queue.ts
//   CALLSNARE_API_KEY=cs_test_… npx tsx sdk/examples/callback-queue.ts complete <callback id> BOOKED "Tuesday 9am install"
import { CallSnare, NotFoundError, ValidationError, type CallbackOutcome } from '@callsnare/sdk';

const OUTCOMES: CallbackOutcome[] = ['BOOKED', 'NO_ANSWER', 'LEFT_VOICEMAIL', 'NOT_INTERESTED', 'WRONG_NUMBER'];

async function main(): Promise<void> {
  const client = new CallSnare({
    apiKey: process.env.CALLSNARE_API_KEY ?? '',
    baseUrl: process.env.CALLSNARE_URL ?? 'http://127.0.0.1:4000',
  });
  const [command, callbackId, outcome, notes] = process.argv.slice(2);

  if (command === 'complete') {
    if (!callbackId || !OUTCOMES.includes(outcome as CallbackOutcome)) {
      console.error(`usage: callback-queue.ts complete <callback id> <${OUTCOMES.join('|')}> [notes]`);
      process.exit(2);
    }
    try {
      const done = await client.callbacks.complete(callbackId, { outcome: outcome as CallbackOutcome, notes });
      console.log(`Completed: ${done.lead.name ?? done.lead.phone} -> ${done.outcome}; lead is now ${done.lead.status}`);
    } catch (error) {
      if (error instanceof NotFoundError) console.error(`No callback ${callbackId} in this organization`);
      // e.g. { status: … } when the callback is already COMPLETED or CANCELED.
      else if (error instanceof ValidationError) console.error(`Refused: ${error.message} ${JSON.stringify(error.fields)}`);
      else throw error;
      process.exit(1);
    }
    return;
  }

  const overdue = await client.callbacks.list({ status: ['OPEN', 'SCHEDULED'], overdue: true }, { first: 100 });
  const upcoming = await client.callbacks.list({ status: ['OPEN', 'SCHEDULED'], overdue: false }, { first: 100 });
  console.log(`${overdue.totalCount} overdue, ${upcoming.totalCount} upcoming`);
  for (const callback of [...overdue.nodes, ...upcoming.nodes]) {
    const who = callback.lead.name ? `${callback.lead.name} (${callback.lead.phone})` : callback.lead.phone;
    const flag = callback.overdue ? 'OVERDUE ' : '';
    console.log(`${flag}${callback.dueAt}  ${callback.status.padEnd(9)}  ${who}  assignee: ${callback.assignee?.email ?? '-'}  id: ${callback.id}`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? `${error.name}: ${error.message}` : error);
  process.exit(1);
});
