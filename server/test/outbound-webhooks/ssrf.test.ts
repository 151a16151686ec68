// SSRF: in live mode a delivery goes only to public addresses, checked against the address the
// connection actually uses (the lookup of the connection itself), never follows a redirect,
// and gives up after the timeout; sandbox mode delivers to loopback so it can be tried locally.
// No database: the HTTP client alone, against real local servers.
import { nonPublicAddressReason, endpointHostProblem, type HostResolver } from '../../src/outbound-webhooks/endpoint-address';
import { createWebhookHttp } from '../../src/outbound-webhooks/webhook-http';
import { startReceiver, type Receiver } from './receiver';

jest.setTimeout(60_000);

const BLOCKED: [string, string][] = [
  ['0.0.0.0', '"this network"'],
  ['10.0.0.1', 'private'],
  ['10.255.255.254', 'private'],
  ['100.64.0.1', 'carrier-grade NAT'],
  ['100.127.255.254', 'carrier-grade NAT'],
  ['127.0.0.1', 'loopback'],
  ['127.8.9.10', 'loopback'],
  ['169.254.169.254', 'link-local'],
  ['172.16.0.1', 'private'],
  ['172.31.255.254', 'private'],
  ['192.0.0.8', 'IETF'],
  ['192.0.2.1', 'documentation'],
  ['192.168.1.1', 'private'],
  ['198.18.0.1', 'benchmarking'],
  ['224.0.0.1', 'multicast'],
  ['239.255.255.250', 'multicast'],
  ['240.0.0.1', 'reserved'],
  ['255.255.255.255', 'reserved'],
  ['::', 'unspecified'],
  ['::1', 'loopback'],
  ['::ffff:127.0.0.1', 'loopback'],
  ['::ffff:a9fe:a9fe', 'link-local'],
  ['::ffff:10.0.0.1', 'private'],
  ['64:ff9b::10.0.0.1', 'private'],
  ['64:ff9b::a9fe:a9fe', 'link-local'],
  ['2002:c0a8:0101::1', 'private'],
  ['fc00::1', 'unique local'],
  ['fd12:3456::1', 'unique local'],
  ['fe80::1', 'link-local'],
  ['ff02::1', 'multicast'],
  ['2001:db8::1', 'documentation'],
];
const PUBLIC = ['93.184.215.14', '8.8.8.8', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8', '64:ff9b::808:808'];

describe('which addresses are public', () => {
  it.each(BLOCKED)('%s is refused (%s)', (address, why) => {
    expect(nonPublicAddressReason(address)).toContain(why);
  });
  it.each(PUBLIC)('%s is public', (address) => {
    expect(nonPublicAddressReason(address)).toBeNull();
  });
});

describe('deliveries in live mode', () => {
  let receiver: Receiver;
  beforeAll(async () => {
    receiver = await startReceiver();
  });
  afterAll(() => receiver.close());
  beforeEach(() => {
    receiver.received.length = 0;
  });
  const post = (url: string, resolve?: HostResolver, mode: 'live' | 'sandbox' = 'live') =>
    createWebhookHttp({ mode, resolve }).post({ url, headers: { 'Content-Type': 'application/json' }, body: '{"id":"evt_test"}' });

  it('never connects to an IP literal that is not public', async () => {
    for (const [address] of BLOCKED) {
      const host = address.includes(':') ? `[${address}]` : address;
      const result = await post(`https://${host}:8443/hooks`);
      expect({ address, ok: result.ok, statusCode: result.statusCode }).toEqual({ address, ok: false, statusCode: null });
      expect(result.error).toContain('not a public address');
    }
  });

  it('refuses http, so the receiver on 127.0.0.1 is not reached', async () => {
    const result = await post(`${receiver.url}/hooks`);
    expect(result).toMatchObject({ ok: false, statusCode: null });
    expect(result.error).toContain('https');
    expect(receiver.received).toHaveLength(0);
  });

  it('refuses a name that resolves to 127.0.0.1 (or to any private address among public ones) at connection time', async () => {
    const toLoopback: HostResolver = async () => [{ address: '127.0.0.1', family: 4 }];
    const result = await post('https://hooks.partner.example/callsnare', toLoopback);
    expect(result).toMatchObject({ ok: false, statusCode: null });
    expect(result.error).toBe('hooks.partner.example resolves to 127.0.0.1, which is not a public address (loopback (127.0.0.0/8)): not delivered');
    const mixed: HostResolver = async () => [
      { address: '93.184.215.14', family: 4 },
      { address: 'fd00::5', family: 6 },
    ];
    expect((await post('https://hooks.partner.example/callsnare', mixed)).error).toContain('fd00::5');
  });

  it('DNS rebinding: public when the endpoint was saved, loopback when delivering: refused at delivery', async () => {
    let lookups = 0;
    const rebinding: HostResolver = async () => {
      lookups += 1;
      return lookups === 1 ? [{ address: '93.184.215.14', family: 4 }] : [{ address: '127.0.0.1', family: 4 }];
    };
    expect(await endpointHostProblem('rebind.partner.example', 'live', rebinding)).toBeNull();
    const result = await post('https://rebind.partner.example/h', rebinding);
    expect(result.error).toContain('resolves to 127.0.0.1');
    expect(lookups).toBe(2);
  });

  it('endpointHostProblem names the address and the range', async () => {
    const resolve: HostResolver = async () => [{ address: '169.254.169.254', family: 4 }];
    expect(await endpointHostProblem('metadata.partner.example', 'live', resolve)).toBe(
      'metadata.partner.example resolves to 169.254.169.254, which is not a public address: link-local, incl. cloud metadata 169.254.169.254 (169.254.0.0/16)',
    );
    expect(await endpointHostProblem('nowhere.invalid', 'live', async () => Promise.reject(new Error('ENOTFOUND')))).toBe(
      'nowhere.invalid does not resolve (DNS)',
    );
    expect(await endpointHostProblem('127.0.0.1', 'sandbox')).toBeNull();
  });
});

describe('deliveries in sandbox mode (loopback allowed)', () => {
  let receiver: Receiver;
  let elsewhere: Receiver;
  beforeAll(async () => {
    receiver = await startReceiver();
    elsewhere = await startReceiver();
  });
  afterAll(async () => {
    await receiver.close();
    await elsewhere.close();
  });
  const post = (url: string, timeoutMs?: number) =>
    createWebhookHttp({ mode: 'sandbox', timeoutMs }).post({ url, headers: { 'Content-Type': 'application/json' }, body: '{"id":"evt_test"}' });

  it('delivers over http to 127.0.0.1', async () => {
    const result = await post(`${receiver.url}/ok`);
    expect(result).toMatchObject({ ok: true, statusCode: 200, responseExcerpt: 'ok', error: null });
  });

  it('connects to the address the resolver gave (the one a live server checks)', async () => {
    const port = new URL(receiver.url).port;
    const resolve: HostResolver = async () => [{ address: '127.0.0.1', family: 4 }];
    const result = await createWebhookHttp({ mode: 'sandbox', resolve }).post({ url: `http://partner.example:${port}/named`, headers: {}, body: '{}' });
    expect(result).toMatchObject({ ok: true, statusCode: 200 });
    expect(receiver.received.at(-1)).toMatchObject({ path: '/named', headers: { host: `partner.example:${port}` } });
  });

  it('does not follow a redirect: the 3xx is the failure, the target never hears of it', async () => {
    receiver.script({ status: 302, headers: { location: `${elsewhere.url}/stolen` }, body: 'moved' });
    const result = await post(`${receiver.url}/redirects`);
    expect(result).toMatchObject({ ok: false, statusCode: 302, responseExcerpt: 'moved' });
    expect(result.error).toBe(`redirect (HTTP 302 to ${elsewhere.url}/stolen) not followed: webhook endpoints must answer 2xx themselves`);
    expect(elsewhere.received).toHaveLength(0);
  });

  it('keeps the first kilobyte of a large answer', async () => {
    receiver.script({ status: 500, body: `${'x'.repeat(5000)}` });
    const result = await post(`${receiver.url}/large`);
    expect(result.responseExcerpt).toHaveLength(1024);
    expect(result.error).toBe('HTTP 500');
  });

  it('gives up after the timeout', async () => {
    receiver.script({ status: 200, hang: true });
    const result = await post(`${receiver.url}/slow`, 300);
    expect(result).toMatchObject({ ok: false, statusCode: null, error: 'timed out after 300 ms' });
  });

  it('reports a refused connection', async () => {
    const result = await post('http://127.0.0.1:1/nothing-listens');
    expect(result.ok).toBe(false);
    expect(result.error).toContain('ECONNREFUSED');
  });
});
