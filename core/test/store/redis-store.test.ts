import { createServer } from 'node:net';
import { expect } from 'chai';
import { Redis } from 'ioredis';
import { createStore } from '../../src/store/create-store.js';
import { createRedisStore } from '../../src/store/redis/create-redis-store.js';
import type { Store } from '../../src/store/types.js';
import { startRedisForTests, type TestRedis } from '../../src/testing/redis-server.js';
import { PAST_SHORT_TTL_MS, SHORT_TTL_MS, rejectsWith, usageRecord, wait } from './conformance/fixtures.js';
import { describeStoreConformance } from './store-conformance.js';

/** Ephemeral key families: each must carry a TTL. */
const EPHEMERAL = /:(lease|counter|sticky|account-state|account-cooldown):/;

describe('redis store', function () {
  this.timeout(20_000);
  let redis: TestRedis;
  let admin: Redis;
  let opened = 0;
  const prefix = (): string => `${redis.prefix}${++opened}:`;

  before(async () => {
    redis = await startRedisForTests();
    admin = new Redis(redis.url);
  });

  after(async () => {
    const keys = await keysUnder(redis.prefix);
    if (keys.length > 0) await admin.del(...keys);
    admin.disconnect();
    await redis.stop();
  });

  async function keysUnder(match: string): Promise<string[]> {
    const found: string[] = [];
    let cursor = '0';
    do {
      const [next, keys] = await admin.scan(cursor, 'MATCH', `${match}*`, 'COUNT', 1000);
      found.push(...keys);
      cursor = next;
    } while (cursor !== '0');
    return found;
  }

  describeStoreConformance('redis', () => createRedisStore({ url: redis.url, prefix: prefix() }), 'real');

  describe('redis specifics', () => {
    const stores: Store[] = [];
    const open = async (options: { prefix?: string; usageMaxRecords?: number } = {}): Promise<Store> => {
      const store = await createRedisStore({
        url: redis.url,
        prefix: options.prefix ?? prefix(),
        ...(options.usageMaxRecords ? { usageMaxRecords: options.usageMaxRecords } : {}),
      });
      stores.push(store);
      return store;
    };

    afterEach(async () => {
      await Promise.all(stores.splice(0).map((s) => s.close()));
    });

    it('puts a TTL on every key the ephemeral repositories write', async () => {
      const p = prefix();
      const store = await open({ prefix: p });
      await store.leases.acquire('scope', 'h1', 2, 60_000);
      await store.leases.renew('scope', 'h1', 60_000);
      await store.counters.incr('c', 1, 60_000);
      await store.counters.incr('c', 1, 60_000);
      await store.sticky.set('sess', 'a1', 60_000);
      await store.accountState.setCooldown('a1', Date.now() + 60_000, 'rate-limit', 'm');
      await store.accountState.markUsed('a2', Date.now());
      const keys = (await keysUnder(p)).filter((k) => EPHEMERAL.test(k.slice(p.length - 1)));
      const families = new Set(keys.map((k) => EPHEMERAL.exec(k.slice(p.length - 1))?.[1]));
      expect([...families].sort()).to.deep.equal(['account-cooldown', 'account-state', 'counter', 'lease', 'sticky']);
      for (const key of keys) expect(await admin.pttl(key), key).to.be.greaterThan(0);
    });

    it("lets a crashed holder's lease expire so another instance gets the slot", async () => {
      const p = prefix();
      const crashed = await createRedisStore({ url: redis.url, prefix: p });
      const survivor = await open({ prefix: p });
      expect(await crashed.leases.acquire('account:a1', 'req-1', 1, SHORT_TTL_MS)).to.equal(true);
      await crashed.close(); // never released
      expect(await survivor.leases.acquire('account:a1', 'req-2', 1, SHORT_TTL_MS)).to.equal(false);
      await wait(PAST_SHORT_TTL_MS);
      expect(await admin.exists(`${p}lease:account:a1`)).to.equal(0);
      expect(await survivor.leases.count('account:a1')).to.equal(0);
      expect(await survivor.leases.acquire('account:a1', 'req-2', 1, 60_000)).to.equal(true);
    });

    it('shares state between instances on the same prefix, and none across prefixes', async () => {
      const p = prefix();
      const a = await open({ prefix: p });
      const b = await open({ prefix: p });
      const other = await open();
      expect(await a.leases.acquire('s', 'h1', 1, 60_000)).to.equal(true);
      expect(await b.leases.acquire('s', 'h2', 1, 60_000)).to.equal(false);
      expect(await other.leases.acquire('s', 'h2', 1, 60_000)).to.equal(true);
      await a.settings.set('x', 1);
      expect(await b.settings.get('x')).to.equal(1);
      expect(await other.settings.get('x')).to.equal(undefined);
    });

    it('trims usage to the newest records, indexes included', async () => {
      const p = prefix();
      const store = await open({ prefix: p, usageMaxRecords: 5 });
      const t0 = Date.parse('2025-01-01T00:00:00Z');
      await store.usage.append(
        Array.from({ length: 8 }, (_, i) => usageRecord(`u${i}`, t0 + i * 1000, i % 2 === 0 ? 'even' : 'odd')),
      );
      expect(await store.usage.count()).to.equal(5);
      expect((await store.usage.list()).map((r) => r.id)).to.deep.equal(['u7', 'u6', 'u5', 'u4', 'u3']);
      expect((await store.usage.list({ keyId: 'even' })).map((r) => r.id)).to.deep.equal(['u6', 'u4']);
      expect(await store.usage.count({ keyId: 'odd' })).to.equal(3);
      expect(await admin.hlen(`${p}usage:records`)).to.equal(5);
    });

    it('refuses data at a newer schema version', async () => {
      const p = prefix();
      await admin.set(`${p}meta:schema_version`, '99');
      const err = await rejectsWith(createRedisStore({ url: redis.url, prefix: p }), 'StoreSchemaError');
      expect(err.message).to.match(/schema version 99/);
    });

    it('records schema version 6 under the prefix', async () => {
      const p = prefix();
      await open({ prefix: p });
      expect(await admin.get(`${p}meta:schema_version`)).to.equal('7');
      expect(await admin.exists(`${p}meta:migration-lock`)).to.equal(0);
    });

    it('fails clearly, without the password, when Redis is unreachable', async () => {
      const port = await freePort();
      const started = Date.now();
      const attempt = createRedisStore({ url: `redis://user:hunter2@127.0.0.1:${port}/0`, prefix: prefix() });
      const err = await attempt.then(
        () => expect.fail('connected to a closed port'),
        (e: unknown) => e as Error,
      );
      expect(err.message).to.include(`127.0.0.1:${port}`).and.include('Cannot connect to Redis');
      expect(err.message).not.to.include('hunter2');
      expect(Date.now() - started).to.be.lessThan(6000);
    });

    it('is what createStore opens for type redis', async () => {
      const store = await createStore({ type: 'redis', url: redis.url, prefix: prefix() });
      stores.push(store);
      expect(store.kind).to.equal('redis');
      await store.ping();
    });

    it('uses the Redis clock for lease expiry', async () => {
      const p = prefix();
      const store = await open({ prefix: p });
      await store.leases.acquire('clock', 'h', 1, SHORT_TTL_MS);
      const score = await admin.zscore(`${p}lease:clock`, 'h');
      const [seconds, micros] = await admin.time();
      const serverNow = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
      expect(Number(score) - serverNow).to.be.within(0, SHORT_TTL_MS);
    });
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
