// The SDK (@callsnare/sdk, sdk/src/webhooks.ts) keeps its own copy of the outbound-webhook event
// types and header names, so it has no dependency on the server: a type or header
// added, renamed or removed on one side only fails here.
import { EVENT_ID_HEADER, SIGNATURE_HEADER } from '../../src/outbound-webhooks/webhook-signature';
import { WEBHOOK_EVENT_TYPES } from '../../src/outbound-webhooks/event-types';
import * as sdk from '@callsnare/sdk';

it("the SDK's event types and header names are the server's", () => {
  expect([...sdk.WEBHOOK_EVENT_TYPES]).toEqual([...WEBHOOK_EVENT_TYPES]);
  expect(sdk.WEBHOOK_SIGNATURE_HEADER).toBe(SIGNATURE_HEADER);
  expect(sdk.WEBHOOK_EVENT_ID_HEADER).toBe(EVENT_ID_HEADER);
});
