// Two nodes on one database and one Redis (REDIS_URL_TEST): what one node caches is
// dropped when another node changes it. A settings change made through node A reaches
// the very next call answered by node B, which had the old call context cached.
import type { Database } from '../../src/db/client';
import type { RunningServer } from '../../src/server';
import { openTestDatabase } from '../support/database';
import { createTestCredential, createTestOrg } from '../support/fixtures';
import { graphql, startTestServer } from '../support/server';
import { newCall, newCallerNumber, parseTwiml, TEST_AUTH_TOKEN, twilioPoster } from '../support/twilio';

jest.setTimeout(60_000);

const redisUrl = process.env.REDIS_URL_TEST;

(redisUrl ? describe : describe.skip)('cached call contexts across nodes (REDIS_URL_TEST)', () => {
  let db: Database;
  let nodeA: RunningServer;
  let nodeB: RunningServer;

  beforeAll(async () => {
    db = await openTestDatabase('pglite');
    const env = { REDIS_URL: redisUrl!, TWILIO_AUTH_TOKEN: TEST_AUTH_TOKEN };
    nodeA = await startTestServer(db, { env });
    nodeB = await startTestServer(db, { env });
  });
  afterAll(async () => {
    await nodeA.close();
    await nodeB.close();
    await db.close();
  });

  async function greetingOnB(trackingNumber: string): Promise<string> {
    const response = await twilioPoster(nodeB).dialStatus(newCall(newCallerNumber(), trackingNumber));
    expect(response.status).toBe(200);
    return parseTwiml(response.body).children[0]?.text ?? '';
  }

  it('a settings change through node A reaches the next call on node B', async () => {
    const { orgId, trackingNumber } = await createTestOrg(db, { name: 'Frosty Air' });
    expect(await greetingOnB(trackingNumber!)).toContain('Frosty Air'); // node B now holds the context
    const { secret } = await createTestCredential(db, orgId, ['settings:write']);
    const renamed = await graphql(nodeA.url, 'mutation { updateSettings(input: { businessName: "Polar Air" }) { businessName } }', { bearer: secret });
    expect(renamed.body).toEqual({ data: { updateSettings: { businessName: 'Polar Air' } } });

    // The invalidation travels through Redis: give it the time a notice takes, never more than a few seconds.
    const deadline = Date.now() + 5_000;
    let greeting = await greetingOnB(trackingNumber!);
    while (!greeting.includes('Polar Air') && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      greeting = await greetingOnB(trackingNumber!);
    }
    expect(greeting).toContain('Thanks for calling Polar Air.');
  });
});
