/** Usage storage stays bounded: the request log is purged after its retention, aggregates expire; on both backends. */
import { expect } from 'chai';
import { createTestGateway, sendRequest, waitFor, type FakeUpstream, type TestGateway } from '@switchyard/core/testing';
import { meterPlugin } from './fixtures/meter-plugin.js';
import { startMeterUpstream } from './fixtures/meter-upstream.js';
import { emptyTotals } from '../../src/store/usage-totals.js';

for (const store of ['embedded', 'redis'] as const) {
  describe(`usage retention (${store})`, function () {
    this.timeout(20_000);
    let upstream: FakeUpstream;
    let tg: TestGateway;

    before(async () => {
      upstream = await startMeterUpstream();
      tg = await createTestGateway({
        plugins: [meterPlugin],
        store,
        accounts: [{ type: 'meter-upstream', name: 'one', credentials: { token: 'meter-token', baseUrl: upstream.url } }],
        // Request log kept ~1.8 s, swept every 200 ms by the lifecycle job.
        config: { usage: { requestLog: { retentionHours: 0.0005, sweepIntervalMs: 200 } } },
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
      await waitFor(async () => ((await usage.count()) === 5 ? true : undefined), { what: '5 records' });
      await waitFor(async () => ((await usage.count()) === 0 ? true : undefined), {
        timeoutMs: 8000,
        what: 'the retention job to empty the log',
      });
      expect(await usage.list({ keyId: tg.keyId })).to.deep.equal([]);
      const lifetime = (await usageAggregates.get(`key:${tg.keyId}`, ['all'])).get('all');
      expect(lifetime).to.include({ requests: 5, inputTokens: 10, outputTokens: 15 });
      expect(tg.logs.some((line) => line['message'] === 'usage retention')).to.equal(true);
    });

    it('drops aggregate rows past their expiry (SQLite by the job, Redis by TTL)', async () => {
      const { usageAggregates } = tg.gateway.store;
      const totals = { ...emptyTotals(), requests: 1 };
      await usageAggregates.add([
        { scope: 'probe', period: 'h:2000-01-01T00', expiresAtMs: Date.now() + 1000, totals },
        { scope: 'probe', period: 'all', totals },
      ]);
      expect((await usageAggregates.get('probe', ['h:2000-01-01T00', 'all'])).size).to.equal(2);
      await new Promise((done) => setTimeout(done, 1300));
      await usageAggregates.purgeExpired(Date.now());
      const left = await usageAggregates.get('probe', ['h:2000-01-01T00', 'all']);
      expect([...left.keys()]).to.deep.equal(['all']);
      expect(await usageAggregates.scopes('h:2000-01-01T00')).to.deep.equal([]);
    });
  });
}
