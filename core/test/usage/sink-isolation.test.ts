/** A failing sink is logged and counted; other sinks and the stored record still get it; the request is unaffected. */
import { expect } from 'chai';
import { createTestGateway, sendRequest, waitFor, type FakeUpstream, type TestGateway } from '@switchyard/core/testing';
import { definePlugin, PLUGIN_API_VERSION, type UsageRecord } from '@switchyard/plugin-api';
import { meterPlugin } from './fixtures/meter-plugin.js';
import { startMeterUpstream } from './fixtures/meter-upstream.js';

for (const store of ['embedded', 'redis'] as const) {
  describe(`usage sinks (${store})`, () => {
    let upstream: FakeUpstream;
    let tg: TestGateway;
    const seen: UsageRecord[] = [];

    const sinksPlugin = definePlugin({
      id: 'sinks',
      apiVersion: PLUGIN_API_VERSION,
      setup(env) {
        env.usage.addSink({
          name: 'broken',
          write() {
            throw new Error('sink exploded');
          },
        });
        env.usage.addSink({ name: 'rejecting', write: async () => Promise.reject(new Error('sink rejected')) });
        env.usage.addSink({ name: 'collector', write: (records) => void seen.push(...records) });
        env.usage.addEnricher((record) => ({ ...record, model: `${record.model}`, owner: record.owner ?? 'enriched-owner' }));
      },
    });

    before(async () => {
      upstream = await startMeterUpstream();
      tg = await createTestGateway({
        plugins: [meterPlugin, sinksPlugin],
        store,
        accounts: [{ type: 'meter-upstream', name: 'one', credentials: { token: 'meter-token', baseUrl: upstream.url } }],
        config: { usage: { metrics: { token: 'metrics-token-123' } } },
      });
    });
    after(async () => {
      await tg?.close();
      await upstream?.close();
    });

    it('keeps serving, stores the record, feeds the other sinks, logs and counts the failures', async () => {
      for (let i = 0; i < 3; i++) {
        const res = await sendRequest(`${tg.url}/meter/v1/meter`, {
          headers: { 'x-api-key': tg.key },
          body: { model: 'meter-small', stream: i % 2 === 0 },
        });
        expect(res.status).to.equal(200);
      }
      await waitFor(() => (seen.length >= 3 ? true : undefined), { what: 'the collector sink' });
      expect(seen.every((r) => r.owner === 'enriched-owner')).to.equal(true);
      expect(await tg.gateway.store.usage.count()).to.equal(3);
      await waitFor(
        async () => ((await tg.gateway.store.usageAggregates.get('all', ['all'])).get('all')?.requests === 3 ? true : undefined),
        {
          timeoutMs: 5000,
          what: 'the aggregates',
        },
      );
      const failures = tg.logs.filter((line) => line['message'] === 'usage sink failed');
      expect(failures.map((line) => line['sink'])).to.include.members(['broken', 'rejecting']);
      const scrape = await sendRequest(`${tg.url}/metrics`, { headers: { authorization: 'Bearer metrics-token-123' } });
      const broken = /switchyard_usage_sink_failures_total\{sink="broken"\} (\d+)/.exec(scrape.text());
      expect(Number(broken?.[1])).to.be.at.least(1);
      expect(scrape.text()).to.match(/switchyard_usage_sink_failures_total\{sink="rejecting"\} \d+/);
    });
  });
}
