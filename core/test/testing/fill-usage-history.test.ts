/**
 * fillUsageHistory (the bench's and scale tests' usage history) writes records the store
 * lists and aggregates equal to what the aggregates sink makes of the same records, on
 * both stores (the embedded one through its repositories and through its own connection).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { configSchema } from '../../src/config/schema.js';
import { createStore } from '../../src/store/create-store.js';
import type { Store, UsageTotals } from '../../src/store/types.js';
import { fillUsageHistory } from '../../src/testing/fill-usage-history.js';
import { startRedisForTests, type TestRedis } from '../../src/testing/redis-server.js';
import { aggregateDeltas } from '../../src/usage/aggregate-deltas.js';
import { TimeBuckets } from '../../src/usage/time-buckets.js';
import { systemClock } from '../../src/time/clock.js';

const DAY_MS = 86_400_000;
const NOW = Date.parse('2026-03-10T12:34:56.000Z');

for (const variant of ['embedded', 'embedded-direct', 'redis'] as const) {
  describe(`fillUsageHistory (${variant})`, function () {
    this.timeout(60_000);
    let redis: TestRedis | undefined;
    let store: Store;
    let dir: string;
    const config = configSchema.parse({ usage: { timeZone: 'Europe/Berlin' } });

    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'switchyard-fill-'));
      if (variant === 'redis') redis = await startRedisForTests();
      // The history ends at NOW: Redis TTLs are counted from the store's clock, else every
      // hourly row (expired by the real time) would live one second, shorter than a loaded run.
      const clock = { ...systemClock, now: () => NOW };
      store = await createStore(
        variant === 'redis' ? { type: 'redis', url: redis!.url, prefix: redis!.prefix } : { type: 'embedded', path: dir },
        variant === 'redis' ? { clock } : {},
      );
    });

    after(async () => {
      await store.close();
      await redis?.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    it('writes the records and the aggregates the sink would make of them', async () => {
      const filled = await fillUsageHistory(
        { store, config },
        {
          rows: 3000,
          spanMs: 40 * DAY_MS,
          nowMs: NOW,
          keyIds: ['k1', 'k2', 'k3', 'k4'],
          accounts: [
            { id: 'a1', type: 't' },
            { id: 'a2', type: 't' },
          ],
          models: ['model-a', 'model-b', 'model-c'],
          batch: 700,
          ...(variant === 'embedded-direct' ? { sqliteFile: join(dir, 'switchyard.db') } : {}),
        },
      );
      expect(filled.records).to.equal(3000);
      const records = await store.usage.list({ limit: 10_000 });
      expect(records).to.have.length(3000);
      expect(records.at(-1)!.at).to.equal(new Date(NOW - 40 * DAY_MS).toISOString());

      const expected = new Map<string, UsageTotals>();
      for (const delta of aggregateDeltas(records, new TimeBuckets('Europe/Berlin'), config.usage.aggregates)) {
        // Hourly rows past their retention are what the retention job removes: the filler leaves them out.
        if (delta.expiresAtMs !== undefined && delta.expiresAtMs <= NOW) continue;
        expected.set(`${delta.period} ${delta.scope}`, delta.totals);
      }
      expect(filled.aggregateRows).to.equal(expected.size);
      for (const scope of ['all', 'key:k1', 'key-model:k2:model-b', 'account:a2', 'model:model-c']) {
        const periods = [...expected.keys()].filter((id) => id.endsWith(` ${scope}`)).map((id) => id.split(' ')[0]!);
        expect(periods.length, scope).to.be.greaterThan(3);
        const stored = await store.usageAggregates.get(scope, periods);
        for (const period of periods)
          expect(stored.get(period), `${period} ${scope}`).to.deep.equal(expected.get(`${period} ${scope}`));
      }
      // No hourly row older than the hourly retention.
      const oldHour = new TimeBuckets('Europe/Berlin').labels(NOW - 20 * DAY_MS).hour;
      expect((await store.usageAggregates.get('all', [oldHour])).size).to.equal(0);
    });
  });
}
