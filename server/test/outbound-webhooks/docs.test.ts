// /docs/webhooks documents outbound webhooks: every event type, the headers, the schedule,
// and a Node verification snippet that really accepts CallSnare's signature (and nothing else).
import vm from 'node:vm';
import { createRequire } from 'node:module';
import { docPage, pageMarkdown } from '../../src/discovery/pages';
import { WEBHOOK_EVENT_TYPES } from '../../src/outbound-webhooks/event-types';
import { signatureHeader } from '../../src/outbound-webhooks/webhook-signature';
import { issueWebhookSecret } from '../../src/outbound-webhooks/webhook-secret';

const markdown = pageMarkdown(docPage('webhooks')!, { publicBaseUrl: 'https://callsnare.example.com' })!;
const outbound = markdown.slice(markdown.indexOf('## Outbound webhooks'));

it('lists every event type, the headers and the retry schedule', () => {
  for (const type of WEBHOOK_EVENT_TYPES) expect(outbound).toContain(`| \`${type}\` |`);
  for (const header of ['CallSnare-Signature', 'CallSnare-Event-Id', 'User-Agent: CallSnare-Webhooks/1']) expect(outbound).toContain(header);
  expect(outbound).toContain('1 minute, 5 minutes,\n30 minutes, 2 hours, 5 hours, 10 hours and 10 hours');
});

it("the page's verification snippet accepts CallSnare's signature, with either secret during a rotation, and refuses tampering", () => {
  const snippet = /```js\n([\s\S]*?)\/\/ Express/.exec(outbound)![1]!;
  const sandbox = { require: createRequire(__filename), Date, Buffer, Number, String, Math, result: undefined as unknown };
  vm.runInNewContext(`${snippet}\nresult = verifyCallSnareSignature;`, sandbox);
  const verify = sandbox.result as (rawBody: string, header: string | undefined, secret: string, tolerance?: number) => boolean;
  const [current, previous, other] = [issueWebhookSecret(), issueWebhookSecret(), issueWebhookSecret()];
  const body = JSON.stringify({ id: 'evt_1', type: 'lead.created', created: 1, orgId: 'o', data: { object: { id: 'l' } } });
  const now = Math.floor(Date.now() / 1000);
  const header = signatureHeader(body, [current, previous], now);
  expect(verify(body, header, current)).toBe(true);
  expect(verify(body, header, previous)).toBe(true);
  expect(verify(body, header, other)).toBe(false);
  expect(verify(`${body} `, header, current)).toBe(false);
  expect(verify(body, signatureHeader(body, [current], now - 600), current)).toBe(false);
  expect(verify(body, undefined, current)).toBe(false);
});
