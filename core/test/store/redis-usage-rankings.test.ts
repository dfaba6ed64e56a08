/**
 * Schema version 7 of the redis store: the usage summary's per-period rankings
 * (agg-rank:<period>:<kind>:cost|requests) are built for the aggregate rows written
 * before the aggregates script kept them, with the rows' expiry; the lifetime rows and
 * the other scope kinds are not ranked.
 */
import { expect } from 'chai';
import { Redis } from 'ioredis';
import { createRedisStore } from '../../src/store/redis/create-redis-store.js';
import { startRedisForTests, type TestRedis } from '../../src/testing/redis-server.js';
import { emptyTotals } from '../../src/store/usage-totals.js';

describe('redis store: usage rankings of older aggregates (schema version 7)', () => {
  let redis: TestRedis;
  before(async () => {
    redis = await startRedisForTests();
  });
  after(async () => redis?.stop());

  it('ranks the key, account and model rows of every period written before', async () => {
    const raw = new Redis(redis.url);
    const p = redis.prefix;
    try {
      const first = await createRedisStore({ url: redis.url, prefix: p });
      const row = (scope: string, period: string, requests: number, costMicros: number) => ({
        scope,
        period,
        expiresAtMs: Date.now() + 3_600_000,
        totals: { ...emptyTotals(), requests, costMicros },
      });
      await first.usageAggregates.add([
        row('key:k1', 'd:2026-01-01', 2, 50),
        row('key:k2', 'd:2026-01-01', 1, 70),
        row('key:k1', 'd:2026-01-02', 1, 5),
        row('account:a1', 'd:2026-01-01', 3, 120),
        row('key-model:k1:m', 'd:2026-01-01', 2, 50),
        row('key-model:k1:m', 'm:2026-01', 2, 50),
        { ...row('key:k1', 'all', 3, 55), expiresAtMs: undefined },
      ]);
      await first.close();
      // As data written by version 6: no rankings.
      const rankings = await raw.keys(`${p}agg-rank:*`);
      expect(rankings).to.have.length.above(0);
      await raw.del(...rankings);
      await raw.set(`${p}meta:schema_version`, '6');

      const store = await createRedisStore({ url: redis.url, prefix: p });
      try {
        expect(await store.schemaVersion()).to.equal(7);
        const days = ['d:2026-01-01', 'd:2026-01-02'];
        expect(Object.fromEntries(await store.usageAggregates.scopeRanks('key:', days))).to.deep.equal({
          'key:k1': { costMicros: 55, requests: 3 },
          'key:k2': { costMicros: 70, requests: 1 },
        });
        expect(Object.fromEntries(await store.usageAggregates.scopeRanks('account:', days))).to.deep.equal({
          'account:a1': { costMicros: 120, requests: 3 },
        });
        expect(await raw.pttl(`${p}agg-rank:d:2026-01-01:key:cost`)).to.be.above(0);
        expect(await raw.exists(`${p}agg-rank:all:key:cost`, `${p}agg-rank:d:2026-01-01:key-model:cost`)).to.equal(0);
        // A key's models are not ranked in Redis: their month's scopes, then their rows.
        expect(Object.fromEntries(await store.usageAggregates.scopeRanks('key-model:k1:', days))).to.deep.equal({
          'key-model:k1:m': { costMicros: 50, requests: 2 },
        });
      } finally {
        await store.close();
      }
    } finally {
      raw.disconnect();
    }
  });
});
