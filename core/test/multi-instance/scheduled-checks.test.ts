/**
 * Scheduled account checks across two gateway processes sharing one Redis: each due
 * check runs on exactly one of them (the holder of the runner lease), both see its
 * history, and when the runner stops the other carries on the schedule. Each process
 * runs on a manual clock the test moves; leases stay on Redis's clock.
 */
import { once } from 'node:events';
import { expect } from 'chai';
import { waitFor } from '@switchyard/core/testing';
import { createStore } from '../../src/store/create-store.js';
import type { Store } from '../../src/store/types.js';
import { startRedisForTests, type TestRedis } from '../../src/testing/redis-server.js';
import { startGatewayChild, type GatewayChild } from '../fixtures/start-gateway-child.js';
import { startStatusUpstream, type StatusUpstream } from '../fixtures/status-upstream.js';

const MINUTE = 60_000;
const ACCOUNTS = ['chk-a', 'chk-b', 'chk-c'];

/** The `CHECK <id> …` lines a child printed. */
function checksBy(child: GatewayChild): string[] {
  return child.output
    .split('\n')
    .filter((line) => line.startsWith('CHECK '))
    .map((line) => line.split(' ')[1]!);
}

describe('scheduled account checks on two gateway processes sharing redis', function () {
  this.timeout(90_000);
  let redis: TestRedis;
  let upstream: StatusUpstream;
  let store: Store;
  let one: GatewayChild;
  let two: GatewayChild;

  before(async () => {
    redis = await startRedisForTests();
    upstream = await startStatusUpstream();
    const config = {
      store: { type: 'redis', url: redis.url, prefix: redis.prefix },
      security: { encryptionKey: 'multi-instance-encryption-key-0123456789' },
      logging: { level: 'error' },
      checks: { intervalMinutes: 5, tickMs: MINUTE },
      accounts: ACCOUNTS.map((id) => ({
        id,
        type: 'status-upstream',
        name: id,
        credentials: { token: `token-${id}`, baseUrl: upstream.url },
      })),
    };
    one = await startGatewayChild(config, 60_000, { manualClock: true });
    two = await startGatewayChild(config, 60_000, { manualClock: true });
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

  const histories = async () => Promise.all(ACCOUNTS.map((id) => store.accountChecks.list(id)));

  it('runs each due check on exactly one of the two processes, and both share its history', async () => {
    await Promise.all([one.advance(MINUTE), two.advance(MINUTE)]);
    await waitFor(async () => (await histories()).every((list) => list.length === 1), {
      what: 'one check per account',
      timeoutMs: 20_000,
    });
    // A tick that lost the lease checks nothing; let both finish before counting.
    await Promise.all([one.advance(MINUTE), two.advance(MINUTE)]);
    const [onOne, onTwo] = [checksBy(one), checksBy(two)];
    expect([onOne.length, onTwo.length].sort()).to.deep.equal([0, ACCOUNTS.length], `one: ${onOne}; two: ${onTwo}`);
    for (const id of ACCOUNTS) expect(upstream.hits.get(`token-${id}`)).to.equal(1);
    expect((await histories()).every((list) => list.length === 1 && list[0]!.ok && list[0]!.trigger === 'schedule')).to.equal(
      true,
    );
  });

  it('moves to the other process when the runner stops, continuing the schedule from the shared history', async () => {
    const runner = checksBy(one).length > 0 ? one : two;
    const other = runner === one ? two : one;
    const before = checksBy(other).length;
    runner.child.kill('SIGTERM');
    await once(runner.child, 'exit');
    // Not due yet on the survivor's clock (2 of 5 minutes passed): nothing runs.
    await other.advance(MINUTE);
    expect(checksBy(other).length).to.equal(before);
    for (let minute = 0; minute < 3; minute++) await other.advance(MINUTE);
    // An advance starts a tick only when the last one has finished (the child answers an
    // advance before its tick is done), so on a slow machine the due minute's tick can be
    // skipped: go on a minute at a time until the survivor has checked every account.
    await waitFor(
      async () => {
        if (checksBy(other).length - before === ACCOUNTS.length) return true;
        await other.advance(MINUTE);
        return false;
      },
      { what: 'the survivor to check every account', timeoutMs: 20_000 },
    );
    expect((await histories()).map((list) => list.length)).to.deep.equal(ACCOUNTS.map(() => 2));
    for (const id of ACCOUNTS) expect(upstream.hits.get(`token-${id}`)).to.equal(2);
  });
});
