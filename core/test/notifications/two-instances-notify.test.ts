/**
 * Two gateway processes on one Redis: both announce the same expiring key at start, and
 * both see the same account go rate-limited, then serve again; the webhook gets each
 * event once. The claim counter in Redis shows that both instances tried to send the
 * key event (so its single delivery is the claim's doing, not one instance staying
 * silent). The instances are stopped before counting: a gateway hands over the
 * notifications it has when it closes, so nothing is still on its way.
 */
import { once } from 'node:events';
import { expect } from 'chai';
import { sendRequest, startFakeUpstream, waitFor, type FakeUpstream } from '@switchyard/core/testing';
import { createStore } from '../../src/store/create-store.js';
import type { Store } from '../../src/store/types.js';
import { startRedisForTests, type TestRedis } from '../../src/testing/redis-server.js';
import { startCountingUpstream, type CountingUpstream } from '../limits/fixtures/counting-upstream.js';
import { startGatewayChild, type GatewayChild } from '../fixtures/start-gateway-child.js';

const KEY = 'sy_notify-two-instances-key-0123456789';
const DAY = 86_400_000;

describe('notifications: two gateway processes on one redis deliver an event once', function () {
  this.timeout(90_000);
  let redis: TestRedis;
  let upstream: CountingUpstream;
  let receiver: FakeUpstream;
  let store: Store;
  let instances: GatewayChild[] = [];

  before(async () => {
    redis = await startRedisForTests();
    upstream = await startCountingUpstream();
    receiver = await startFakeUpstream((_req, res) => {
      res.writeHead(200).end('ok');
    });
    const config = {
      store: { type: 'redis', url: redis.url, prefix: redis.prefix },
      security: { encryptionKey: 'notify-two-instances-encryption-key-0123' },
      logging: { level: 'error' },
      // No cooldown: both instances keep sending to the account.
      scheduling: { cooldownMs: { rate_limited: 0 } },
      accounts: [{ id: 'acc-n', type: 'tick-upstream', name: 'N', credentials: { token: 'token-n', baseUrl: upstream.url } }],
      keys: [{ name: 'k', key: KEY, expiresAt: new Date(Date.now() + 3 * DAY).toISOString() }],
      notifications: { targets: [{ id: 'hook', type: 'webhook', url: receiver.url, secret: 'two-instances-secret' }] },
    };
    instances = [await startGatewayChild(config, 60_000), await startGatewayChild(config, 60_000)];
    store = await createStore({ type: 'redis', url: redis.url, prefix: redis.prefix });
  });
  after(async () => {
    for (const { child } of instances) {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
    }
    await store?.close();
    await receiver?.close();
    await upstream?.close();
    await redis?.stop();
  });

  const send = (url: string, status: number) =>
    sendRequest(`${url}/tick/v1/ticks`, {
      headers: { 'x-api-key': KEY },
      body: { model: 'tick-1', input: `${status}`, status, delayMs: 300 },
      timeoutMs: 20_000,
    });
  type Received = { event: string; data: { account?: string; key?: string; expiresAt?: string } };
  const received = () => receiver.requests.map((request) => request.json<Received>());
  const named = (name: string) => received().filter((entry) => entry.event === name);

  it('sends the expiring key, the rate limit and the recovery once each', async () => {
    await waitFor(() => named('key.expiring').length >= 1, { what: 'the key.expiring event', timeoutMs: 10_000 });
    // Both requests are at the upstream at once, so both instances see the 429.
    const limited = await Promise.all(instances.map(({ url }) => send(url, 429)));
    expect(limited.map((answer) => answer.status)).to.deep.equal([429, 429]);
    await waitFor(() => named('account.rate_limited').length >= 1, { what: 'the rate-limited event', timeoutMs: 10_000 });
    const served = await Promise.all(instances.map(({ url }) => send(url, 200)));
    expect(served.map((answer) => answer.status)).to.deep.equal([200, 200]);
    await waitFor(() => named('account.recovered').length >= 1, { what: 'the recovered event', timeoutMs: 10_000 });

    for (const { child } of instances) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
    expect(upstream.inputs).to.deep.equal(['429', '429', '200', '200']);
    expect(received().map((entry) => entry.event)).to.have.members(['key.expiring', 'account.rate_limited', 'account.recovered']);
    expect(receiver.requests).to.have.length(3);
    expect(named('account.rate_limited')[0]!.data.account).to.equal('acc-n');
    const expiring = named('key.expiring')[0]!.data;
    expect(await store.counters.get(`notify:event:key.expiring:${expiring.key}:${expiring.expiresAt}`)).to.equal(2);
  });
});
