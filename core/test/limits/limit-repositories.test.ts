import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { createStore } from '../../src/store/create-store.js';
import type { Store } from '../../src/store/types.js';
import { startRedisForTests, type TestRedis } from '../../src/testing/redis-server.js';
import { ManualClock } from '../../src/testing/manual-clock.js';

for (const kind of ['embedded', 'redis'] as const) {
  describe(`limit repositories: meters and lease queues (${kind} store)`, function () {
    this.timeout(20_000);
    let redis: TestRedis | undefined;
    let store: Store;
    const clock = new ManualClock();
    /**
     * Lets `ms` pass for the store: the embedded store's windows and TTLs run on the
     * injected clock; Redis keeps them on its server clock, so there time really passes.
     */
    const pass = (ms: number) => (kind === 'redis' ? new Promise((resolve) => setTimeout(resolve, ms)) : clock.advance(ms));

    before(async () => {
      if (kind === 'redis') redis = await startRedisForTests();
      store = await createStore(
        kind === 'redis' ? { type: 'redis', url: redis!.url, prefix: redis!.prefix } : { type: 'embedded', path: ':memory:' },
        { baseDir: process.cwd(), clock },
      );
    });
    after(async () => {
      await store?.close();
      await redis?.stop();
    });

    it('sums a sliding window and lets old buckets slide out', async () => {
      expect(await store.meters.addToWindow('w1', 2, 100, 400)).to.equal(2);
      expect(await store.meters.addToWindow('w1', 3, 100, 400)).to.equal(5);
      const read = await store.meters.readWindow('w1', 100, 400);
      expect(read.buckets.reduce((sum, [, amount]) => sum + amount, 0)).to.equal(5);
      if (kind === 'redis') expect(read.now).to.be.closeTo(Date.now(), 1000);
      else expect(read.now).to.equal(clock.now());
      await pass(550);
      expect(await store.meters.addToWindow('w1', 1, 100, 400)).to.equal(1);
      expect(await store.meters.addToWindow('w1', -1, 100, 400)).to.equal(0);
    });

    it('keeps totals, maxima and first marks', async () => {
      expect(await store.meters.addTotal('t1', 5)).to.equal(5);
      expect(await store.meters.addTotal('t1', 7, 60_000)).to.equal(12);
      expect(await store.meters.getTotals(['t1', 'never'])).to.deep.equal([12, 0]);
      expect(await store.meters.raiseMax('m1', 4)).to.equal(4);
      expect(await store.meters.raiseMax('m1', 2)).to.equal(4);
      expect(await store.meters.getMax('m1')).to.equal(4);
      expect(await store.meters.getMark('f1')).to.equal(undefined);
      expect(await store.meters.markOnce('f1', 100)).to.equal(100);
      expect(await store.meters.getMark('f1')).to.equal(100);
      expect(await store.meters.markOnce('f1', 200)).to.equal(100);
    });

    it('charges totals, windows and maxima in one call, as the single writes would', async () => {
      await store.meters.addTotal('c-day', 10, 60_000);
      await store.meters.addToWindow('c-win', 3, 100, 60_000);
      await store.meters.raiseMax('c-max', 9);
      await store.meters.charge({
        totals: [
          { key: 'c-day', amount: 5, retainMs: 60_000 },
          { key: 'c-total', amount: 7 },
        ],
        windows: [
          { key: 'c-win', amount: 4, bucketMs: 100, periodMs: 60_000 },
          { key: 'c-win2', amount: 2, bucketMs: 1000, periodMs: 60_000 },
        ],
        maxima: [
          { key: 'c-max', value: 4 },
          { key: 'c-max2', value: 6 },
        ],
      });
      expect(await store.meters.getTotals(['c-day', 'c-total'])).to.deep.equal([15, 7]);
      expect(await store.meters.addToWindow('c-win', 0, 100, 60_000)).to.equal(7);
      expect(await store.meters.addToWindow('c-win2', 0, 1000, 60_000)).to.equal(2);
      expect([await store.meters.getMax('c-max'), await store.meters.getMax('c-max2')]).to.deep.equal([9, 6]);
      await store.meters.charge({});
      await store.meters.charge({ maxima: [{ key: 'c-max', value: 12 }] });
      expect(await store.meters.getMax('c-max')).to.equal(12);
    });

    it('grants queued slots first come, first served, and forgets waiters that stop polling', async () => {
      const q = store.leaseQueues;
      expect(await q.enter('s1', 'a', 1, 2, 5000)).to.equal('acquired');
      expect(await q.enter('s1', 'b', 1, 2, 5000)).to.equal('queued');
      expect(await q.enter('s1', 'c', 1, 2, 300)).to.equal('queued');
      expect(await q.enter('s1', 'd', 1, 2, 5000)).to.equal('full');
      expect(await q.poll('s1', 'c', 1, 300)).to.equal('waiting');
      await store.leases.release('s1', 'a');
      expect(await q.poll('s1', 'c', 1, 300)).to.equal('waiting', 'b came first');
      expect(await q.poll('s1', 'b', 1, 5000)).to.equal('acquired');
      expect(await store.leases.count('s1')).to.equal(1);
      await pass(400);
      expect(await q.length('s1')).to.equal(0, 'c stopped polling and expired');
      expect(await q.poll('s1', 'c', 1, 300)).to.equal('lost');
      await store.leases.release('s1', 'b');
      expect(await q.enter('s1', 'e', 1, 2, 5000)).to.equal('acquired');
      await q.leave('s1', 'e');
      await store.leases.release('s1', 'e');
      expect(await store.leases.count('s1')).to.equal(0);
    });
  });
}

describe('limit repositories: embedded totals survive a restart', () => {
  it('keeps spend and first use in the SQLite file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'switchyard-meters-'));
    try {
      const first = await createStore({ type: 'embedded', path: dir }, { baseDir: dir });
      await first.meters.addTotal('key-1:cost:total', 42);
      await first.meters.markOnce('key-1:first-use', 1234);
      await first.close();
      const second = await createStore({ type: 'embedded', path: dir }, { baseDir: dir });
      expect(await second.meters.getTotals(['key-1:cost:total'])).to.deep.equal([42]);
      expect(await second.meters.markOnce('key-1:first-use', 9999)).to.equal(1234);
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
