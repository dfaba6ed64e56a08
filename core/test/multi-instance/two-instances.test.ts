import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { expect } from 'chai';
import { sendRequest, waitFor } from '@switchyard/core/testing';
import { createStore } from '../../src/store/create-store.js';
import type { Store } from '../../src/store/types.js';
import { startRedisForTests, type TestRedis } from '../../src/testing/redis-server.js';
import { startCountingUpstream, type CountingUpstream } from '../limits/fixtures/counting-upstream.js';
import { startGatewayChild } from '../fixtures/start-gateway-child.js';

const CONCURRENT_KEY = 'sy_multi-concurrency-key-0123456789';
const WINDOW_KEY = 'sy_multi-window-key-0123456789abcd';
const STICKY_KEY = 'sy_multi-sticky-key-0123456789abcd';

describe('two gateway processes on one redis store', function () {
  this.timeout(90_000);
  let redis: TestRedis;
  let upstream: CountingUpstream;
  let store: Store;
  let one: { child: ChildProcess; url: string };
  let two: { child: ChildProcess; url: string };

  before(async () => {
    redis = await startRedisForTests();
    upstream = await startCountingUpstream();
    const config = {
      store: { type: 'redis', url: redis.url, prefix: redis.prefix },
      security: { encryptionKey: 'multi-instance-encryption-key-0123456789' },
      logging: { level: 'error' },
      scheduling: { queuePollMs: 20 },
      accounts: [
        {
          id: 'acc-x',
          type: 'tick-upstream',
          name: 'X',
          priority: 50,
          credentials: { token: 'token-acc-x', baseUrl: upstream.url },
        },
        {
          id: 'acc-y',
          type: 'tick-upstream',
          name: 'Y',
          priority: 50,
          credentials: { token: 'token-acc-y', baseUrl: upstream.url },
        },
      ],
      keys: [
        { name: 'concurrent', key: CONCURRENT_KEY, limits: { concurrency: 2, queue: { size: 50, timeoutMs: 30_000 } } },
        { name: 'window', key: WINDOW_KEY, limits: { windows: [{ period: '1h', requests: 4 }] } },
        { name: 'sticky', key: STICKY_KEY },
      ],
    };
    [one, two] = [await startGatewayChild(config), await startGatewayChild(config)];
    store = await createStore({ type: 'redis', url: redis.url, prefix: redis.prefix });
  });
  after(async () => {
    for (const instance of [one, two]) {
      if (instance?.child.exitCode === null) {
        instance.child.kill('SIGTERM');
        await once(instance.child, 'exit');
      }
    }
    await store?.close();
    await upstream?.close();
    await redis?.stop();
  });
  beforeEach(() => upstream.reset());

  const send = (base: string, key: string, body: Record<string, unknown> = {}) =>
    sendRequest(`${base}/tick/v1/ticks`, {
      headers: { 'x-api-key': key },
      body: { model: 'tick-1', ...body },
      timeoutMs: 40_000,
    });

  it('never has more than 2 requests of a concurrency-2 key at the upstream across both', async () => {
    const inputs = Array.from({ length: 30 }, (_, i) => `multi-${i}`);
    const results = await Promise.all(
      inputs.map((input, i) => send(i % 2 ? two.url : one.url, CONCURRENT_KEY, { input, delayMs: 60 })),
    );
    expect(results.map((res) => res.status)).to.deep.equal(inputs.map(() => 200));
    expect(upstream.maxInFlight).to.equal(2);
    expect([...upstream.inputs].sort()).to.deep.equal([...inputs].sort());
    const [key] = (await store.keys.list()).filter((record) => record.name === 'concurrent');
    await waitFor(
      async () => (await store.leases.count(`key:${key!.id}`)) + (await store.leaseQueues.length(`key:${key!.id}`)) === 0,
    );
  });

  it('shares a rate window between the instances', async () => {
    expect((await send(one.url, WINDOW_KEY)).status).to.equal(200);
    expect((await send(two.url, WINDOW_KEY)).status).to.equal(200);
    expect((await send(one.url, WINDOW_KEY)).status).to.equal(200);
    expect((await send(two.url, WINDOW_KEY)).status).to.equal(200);
    const onOne = await send(one.url, WINDOW_KEY);
    const onTwo = await send(two.url, WINDOW_KEY);
    expect([onOne.status, onTwo.status]).to.deep.equal([429, 429]);
    expect(onTwo.json<{ error: { message: string } }>().error.message).to.contain('4 requests per 1h');
  });

  it('continues a sticky session started on one instance on the other', async () => {
    const session = `multi-session-${Date.now()}`;
    expect((await send(one.url, STICKY_KEY, { session })).status).to.equal(200);
    const bound = upstream.tokens.at(-1)!;
    for (let i = 0; i < 6; i++) {
      // Requests without a session move least-recently-used towards the other account...
      expect((await send(two.url, STICKY_KEY)).status).to.equal(200);
      // ...but the session stays where it started.
      expect((await send(i % 2 ? one.url : two.url, STICKY_KEY, { session })).status).to.equal(200);
      expect(upstream.tokens.at(-1)).to.equal(bound);
    }
    expect(new Set(upstream.tokens).size).to.equal(2, 'both accounts were in use');
  });
});
