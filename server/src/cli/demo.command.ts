// `callsnare demo`: seeds the demo organization and prints how to sign in to it.
import type { Database } from '../db/client';
import { DEMO_BUSINESS_NAME, seedDemoOrganization } from '../demo/demo.seed';

export interface DemoCommandOptions {
  /** The dashboard's public address (PUBLIC_BASE_URL), for the links in the demo's staff alerts. */
  dashboardBaseUrl?: string;
}

export async function runDemoCommand(db: Database, print: (line: string) => void, options: DemoCommandOptions = {}): Promise<void> {
  const demo = await seedDemoOrganization(db, { dashboardBaseUrl: options.dashboardBaseUrl });
  const nameWidth = Math.max(...demo.signIns.map((signIn) => signIn.name.length));
  const emailWidth = Math.max(...demo.signIns.map((signIn) => signIn.email.length));
  print(`Seeded demo organization "${DEMO_BUSINESS_NAME}" with ${demo.leads} leads from the last 7 days`);
  print(`  org id:          ${demo.orgId}`);
  print(`  tracking number: ${demo.trackingNumber} (forwards to ${demo.forwardTo})`);
  print('');
  print('Sign-ins (passwords are shown once, here, and stored only as hashes: save them now):');
  for (const signIn of demo.signIns) {
    print(`  ${signIn.role.padEnd(10)} ${signIn.name.padEnd(nameWidth)}  ${signIn.email.padEnd(emailWidth)}  ${signIn.password}`);
  }
  print('');
  print(`Try a missed call: npm run callsnare -- simulate missed-call --to ${demo.trackingNumber} --from +15551234567`);
}
