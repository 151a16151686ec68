// The live bus across nodes on a real Redis (REDIS_URL_TEST): a notice published on one
// node reaches every node's listeners once, nothing crosses channels, and a Redis outage
// (a TCP proxy in front of Redis, cut and restored) degrades to this node's listeners
// only, says so once, and recovers.
import { RedisLiveBus } from '../../src/live/redis-live-bus';
import type { LiveMessage } from '../../src/live/live-bus';
import { captureLog, LOG_LEVEL } from '../support/captured-log';
import { CuttableProxy } from '../support/cuttable-proxy';

jest.setTimeout(30_000);

const redisUrl = process.env.REDIS_URL_TEST;

async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

(redisUrl ? describe : describe.skip)('the live bus over Redis (REDIS_URL_TEST)', () => {
  const buses: RedisLiveBus[] = [];
  const log = captureLog();
  afterEach(async () => {
    await Promise.all(buses.splice(0).map((bus) => bus.close()));
    log.clear();
  });

  async function node(url = redisUrl!): Promise<RedisLiveBus> {
    const bus = await RedisLiveBus.connect(url, log.logger);
    buses.push(bus);
    return bus;
  }

  test('a notice published on one node reaches the listeners of every node once, and none of another channel', async () => {
    const [a, b, c] = [await node(), await node(), await node()];
    const channel = `inbox:${Math.random().toString(36).slice(2)}`;
    const received: Record<string, LiveMessage[]> = { a: [], b: [], c: [], other: [] };
    a.subscribe(channel, (message) => received.a!.push(message));
    b.subscribe(channel, (message) => received.b!.push(message));
    c.subscribe(`${channel}-other-org`, (message) => received.other!.push(message));

    for (let i = 0; i < 20; i += 1) a.publish(channel, { kind: 'LEAD_CHANGED', n: i });
    await until(() => received.a!.length === 20 && received.b!.length === 20, 'every notice on both nodes');
    await new Promise((resolve) => setTimeout(resolve, 200)); // room for a duplicate to show up

    expect(received.a!.map((message) => message.n)).toEqual([...Array(20).keys()]);
    expect(received.b!.map((message) => message.n)).toEqual([...Array(20).keys()]);
    expect(received.other).toEqual([]);
    expect(a.state()).toBe('redis');
  });

  test('an unsubscribed listener hears nothing more; a listener that throws does not stop the others', async () => {
    const [a, b] = [await node(), await node()];
    const channel = `inbox:${Math.random().toString(36).slice(2)}`;
    const heard: number[] = [];
    const stop = b.subscribe(channel, (message) => heard.push(message.n as number));
    b.subscribe(channel, () => {
      throw new Error('listener bug');
    });
    const after: number[] = [];
    b.subscribe(channel, (message) => after.push(message.n as number));

    a.publish(channel, { n: 1 });
    await until(() => heard.length === 1 && after.length === 1, 'the first notice');
    stop();
    a.publish(channel, { n: 2 });
    await until(() => after.length === 2, 'the second notice');
    expect(heard).toEqual([1]);
    expect(after).toEqual([1, 2]);
  });

  test('while Redis is unreachable notices reach this node only, the outage is logged once, and cross-node delivery resumes after', async () => {
    const proxy = new CuttableProxy(new URL(redisUrl!));
    await proxy.start();
    const cut = await node(`redis://127.0.0.1:${proxy.port}`);
    const other = await node();
    const channel = `inbox:${Math.random().toString(36).slice(2)}`;
    const onCut: number[] = [];
    const onOther: number[] = [];
    cut.subscribe(channel, (message) => onCut.push(message.n as number));
    other.subscribe(channel, (message) => onOther.push(message.n as number));

    await proxy.cut();
    await until(() => cut.state() === 'degraded', 'the bus to notice the outage');
    cut.publish(channel, { n: 1 });
    cut.publish(channel, { n: 2 });
    await until(() => onCut.length === 2, 'local delivery during the outage');
    expect(onCut).toEqual([1, 2]);
    const warnings = log.lines.filter((line) => line.level === LOG_LEVEL.warn && line.msg.startsWith('live bus: Redis unreachable'));
    expect(warnings).toHaveLength(1);

    await proxy.start(); // same port: the client's reconnect finds Redis again
    await until(() => cut.state() === 'redis', 'the bus to reconnect', 20_000);
    cut.publish(channel, { n: 3 });
    await until(() => onOther.includes(3) && onCut.includes(3), 'cross-node delivery after the outage');
    expect(onOther).toEqual([3]);
    expect(onCut).toEqual([1, 2, 3]);
    expect(log.lines.some((line) => line.msg.startsWith('live bus: Redis reachable again'))).toBe(true);
    await proxy.cut();
  });
});
