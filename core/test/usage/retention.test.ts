/** Usage storage stays bounded: the request log is purged after its retention, aggregates expire; on both backends. */
import { expect } from 'chai';
import { Redis } from 'ioredis';
import {
  createTestGateway,
  ManualClock,
  sendRequest,
  waitFor,
  type FakeUpstream,
  type TestGateway,
} from '@switchyard/core/testing';
import { meterPlugin } from './fixtures/meter-plugin.js';
import { startMeterUpstream } from './fixtures/meter-upstream.js';
import { emptyTotals } from '../../src/store/usage-totals.js';

const HOUR = 3_600_000;

for (const store of ['embedded', 'redis'] as const) {
  describe(`usage retention (${store})`, function () {
    this.timeout(20_000);
    let upstream: FakeUpstream;
    let tg: TestGateway;
    const clock = new ManualClock();

    before(async () => {
      upstream = await startMeterUpstream();
      tg = await createTestGateway({
        plugins: [meterPlugin],
        store,
        clock,
        accounts: [{ type: 'meter-upstream', name: 'one', credentials: { token: 'meter-token', baseUrl: upstream.url } }],
        // Request log kept an hour, swept every minute by the lifecycle job (on the gateway's clock).
        config: { usage: { requestLog: { retentionHours: 1, sweepIntervalMs: 60_000 } } },
      });
    });
    after(async () => {
      await tg?.close();
      await upstream?.close();
    });

    it('purges request log entries past the retention and keeps the lifetime totals', async () => {
      for (let i = 0; i < 5; i++) {
        const res = await sendRequest(`${tg.url}/meter/v1/meter`, {
          headers: { 'x-api-key': tg.key },
          body: { model: 'meter-small', usage: { input: 2, output: 3 } },
        });
        expect(res.status).to.equal(200);
      }
      const { usage, usageAggregates } = tg.gateway.store;
      await tg.gateway.settled();
      expect(await usage.count()).to.equal(5);
      await clock.advance(HOUR - 60_000);
      expect(await usage.count()).to.equal(5, 'kept within the retention');
      // A sweep runs every minute of the clock; each further minute gives it another pass.
      await waitFor(
        async () => {
          await clock.advance(60_000);
          return (await usage.count()) === 0;
        },
        { what: 'the retention job to empty the log' },
      );
      expect(await usage.list({ keyId: tg.keyId })).to.deep.equal([]);
      const lifetime = (await usageAggregates.get(`key:${tg.keyId}`, ['all'])).get('all');
      expect(lifetime).to.include({ requests: 5, inputTokens: 10, outputTokens: 15 });
      expect(tg.logs.some((line) => line['message'] === 'usage retention')).to.equal(true);
    });

    it('drops aggregate rows past their expiry (SQLite by the job, Redis by TTL)', async () => {
      const { usageAggregates } = tg.gateway.store;
      const totals = { ...emptyTotals(), requests: 1 };
      const expiresAtMs = clock.now() + 1000;
      await usageAggregates.add([
        { scope: 'probe', period: 'h:2000-01-01T00', expiresAtMs, totals },
        { scope: 'probe', period: 'all', totals },
      ]);
      expect((await usageAggregates.get('probe', ['h:2000-01-01T00', 'all'])).size).to.equal(2);
      if (store === 'redis') {
        // Redis drops the row by itself: it carries the TTL to its expiry, the lifetime row none.
        const config = tg.gateway.config.store as { url: string; prefix: string };
        const redis = new Redis(config.url);
        try {
          const ttl = await redis.pttl(`${config.prefix}agg:h:2000-01-01T00:probe`);
          expect(ttl).to.be.within(1, 1000);
          expect(await redis.pttl(`${config.prefix}agg:all:probe`)).to.equal(-1);
        } finally {
          redis.disconnect();
        }
        return;
      }
      expect(await usageAggregates.purgeExpired(expiresAtMs)).to.equal(0, 'kept up to its expiry');
      expect(await usageAggregates.purgeExpired(expiresAtMs + 1)).to.equal(1);
      const left = await usageAggregates.get('probe', ['h:2000-01-01T00', 'all']);
      expect([...left.keys()]).to.deep.equal(['all']);
      expect(await usageAggregates.scopes('h:2000-01-01T00')).to.deep.equal([]);
    });
  });
}
