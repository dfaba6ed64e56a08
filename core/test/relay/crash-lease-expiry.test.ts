import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { expect } from 'chai';
import { createStore } from '../../src/store/create-store.js';
import type { Store } from '../../src/store/types.js';
import { sendRequest, waitFor, type FakeUpstream } from '@switchyard/core/testing';
import { startRedisForTests, type TestRedis } from '../../src/testing/redis-server.js';
import { startTickUpstream } from '../fixtures/tick-upstream.js';
import { startGatewayChild } from '../fixtures/start-gateway-child.js';

const LEASE_TTL_MS = 1500;
const KEY = 'sy_crash-test-key-0123456789abcdef';

describe('a gateway killed mid-stream (redis store)', function () {
  this.timeout(60_000);
  let redis: TestRedis;
  let upstream: FakeUpstream;
  let store: Store;
  let config: Record<string, unknown>;
  const children: ChildProcess[] = [];

  before(async () => {
    redis = await startRedisForTests();
    upstream = await startTickUpstream({ intervalMs: 50 });
    config = {
      store: { type: 'redis', url: redis.url, prefix: redis.prefix },
      security: { encryptionKey: 'crash-test-encryption-key-0123456789abcdef' },
      scheduling: { leaseTtlMs: LEASE_TTL_MS },
      accounts: [{ id: 'tick-a', type: 'tick-upstream', name: 'A', credentials: { token: 'tick-token', baseUrl: upstream.url } }],
      keys: [{ name: 'crash', key: KEY }],
    };
    store = await createStore({ type: 'redis', url: redis.url, prefix: redis.prefix });
  });
  after(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await store?.close();
    await upstream?.close();
    await redis?.stop();
  });

  it('leaves no lease behind past its expiry, and a new instance does not wipe live leases', async () => {
    const first = await startGatewayChild(config);
    children.push(first.child);
    const [key] = await store.keys.list();
    const scope = `key:${key!.id}`;

    let chunks = 0;
    const streaming = sendRequest(`${first.url}/tick/v1/ticks`, {
      headers: { 'x-api-key': KEY },
      body: { model: 'tick-1', stream: true, count: 1000 },
      onChunk: () => void (chunks += 1),
      timeoutMs: 30_000,
    }).then(
      (response) => response.aborted,
      () => true, // the server's death cuts the connection
    );
    await waitFor(() => (chunks >= 2 ? true : undefined));
    expect(await store.leases.count(scope)).to.equal(1);

    // A second instance starting while the first serves must not clear the first's lease.
    const second = await startGatewayChild(config);
    children.push(second.child);
    expect(await store.leases.count(scope)).to.equal(1);
    expect(await store.leases.count('account:tick-a')).to.equal(1);

    first.child.kill('SIGKILL');
    await once(first.child, 'exit');
    expect(await streaming).to.equal(true);
    const killedAt = Date.now();
    expect(await store.leases.count(scope)).to.equal(1, 'the dead instance still holds its lease right after the kill');

    const leasesLeft = async () => (await store.leases.count(scope)) + (await store.leases.count('account:tick-a'));
    await waitFor(async () => ((await leasesLeft()) === 0 ? true : undefined), { timeoutMs: LEASE_TTL_MS * 3 });
    expect(Date.now() - killedAt).to.be.lessThan(LEASE_TTL_MS * 3);

    const served = await sendRequest(`${second.url}/tick/v1/ticks`, {
      headers: { 'x-api-key': KEY },
      body: { model: 'tick-1', count: 2 },
    });
    expect(served.status).to.equal(200);
    await waitFor(async () => ((await store.leases.count(scope)) === 0 ? true : undefined));
    second.child.kill('SIGTERM');
    await once(second.child, 'exit');
  });
});
