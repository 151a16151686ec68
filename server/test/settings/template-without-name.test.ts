// A template reads naturally for a caller whose name is unknown: the settings
// preview shows that text, and the real text-back is exactly it (one renderer).
import { testDatabaseKinds } from '../support/database';
import { createTestOrg } from '../support/fixtures';
import { graphql } from '../support/server';
import { openTestSession } from '../support/sessions';
import { newCall, newCallerNumber } from '../support/twilio';
import { useTestServer } from '../support/test-server';

jest.setTimeout(60_000);

/** Thursday 10:00 in New York (the default org time zone): business hours. */
const BUSINESS_HOURS = new Date('2026-01-15T15:00:00.000Z');

describe.each(testDatabaseKinds)('templates without a caller name on %s', (kind) => {
  const fixture = useTestServer(kind, { now: BUSINESS_HOURS });
  const { clock } = fixture;

  test('the preview shows the text without a name, and an unknown caller receives exactly that text', async () => {
    const org = await createTestOrg(fixture.db, { name: 'Preview HVAC' });
    const cookie = await openTestSession(fixture.db, org.userId, org.orgId, clock);
    const { body } = await graphql(
      fixture.server.url,
      `
        mutation ($input: UpdateSettingsInput!) {
          updateSettings(input: $input) {
            previews {
              businessHours {
                text
                textWithoutName
              }
              afterHours {
                text
                textWithoutName
              }
            }
          }
        }
      `,
      {
        cookie,
        variables: {
          input: {
            businessHoursTemplate: '{callerFirstName}, sorry we missed your call! {businessName} will call you {callbackEta}. Thanks, {callerFirstName}!',
          },
        },
      },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data!.updateSettings.previews.businessHours).toEqual({
      text: 'Jordan, sorry we missed your call! Preview HVAC will call you within 15 minutes. Thanks, Jordan!',
      textWithoutName: 'Sorry we missed your call! Preview HVAC will call you within 15 minutes. Thanks!',
    });
    expect(body.data!.updateSettings.previews.afterHours.textWithoutName).toMatch(/^Thanks for calling Preview HVAC\. We're closed right now/);

    const call = newCall(newCallerNumber(), org.trackingNumber!);
    expect((await fixture.twilio.voice(call)).status).toBe(200);
    expect((await fixture.twilio.dialStatus(call, 'no-answer')).status).toBe(200);
    const textBack = await fixture.db.prisma.message.findFirstOrThrow({ where: { orgId: org.orgId, kind: 'TEXT_BACK' } });
    expect(textBack.body).toBe(body.data!.updateSettings.previews.businessHours.textWithoutName);
  });
});
