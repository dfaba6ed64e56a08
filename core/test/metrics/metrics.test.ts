/** `GET /metrics` scraped and parsed as Prometheus text; the overhead header; on both backends. */
import { expect } from 'chai';
import { createTestGateway, sendRequest, type FakeUpstream, type TestGateway } from '@switchyard/core/testing';
import { meterPlugin } from '../usage/fixtures/meter-plugin.js';
import { startMeterUpstream } from '../usage/fixtures/meter-upstream.js';
import { parsePrometheusText, sampleValue } from './parse-prometheus-text.js';

const TOKEN = 'scrape-secret-0123456789';

for (const store of ['embedded', 'redis'] as const) {
  describe(`metrics (${store})`, () => {
    let upstream: FakeUpstream;
    let tg: TestGateway;

    before(async () => {
      upstream = await startMeterUpstream();
      tg = await createTestGateway({
        plugins: [meterPlugin],
        store,
        accounts: [
          { type: 'meter-upstream', name: 'one', credentials: { token: 'meter-token', baseUrl: upstream.url } },
          { type: 'meter-upstream', name: 'off', enabled: false, credentials: { token: 'meter-token', baseUrl: upstream.url } },
        ],
        config: { usage: { metrics: { token: TOKEN, realtimeWindowMinutes: 2 } } },
      });
    });
    after(async () => {
      await tg?.close();
      await upstream?.close();
    });

    const scrape = async () => {
      const res = await sendRequest(`${tg.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(res.status).to.equal(200);
      expect(res.headers['content-type']).to.match(/^text\/plain; version=0\.0\.4/);
      return parsePrometheusText(res.text());
    };

    it('refuses a scrape without the configured token', async () => {
      expect((await sendRequest(`${tg.url}/metrics`)).status).to.equal(401);
      expect((await sendRequest(`${tg.url}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status).to.equal(401);
    });

    it('exposes requests, errors by kind, tokens and cost by model, latency histograms, overhead, accounts and real-time rates', async () => {
      const usage = { input: 100, output: 50, cache_5m: 10, cache_1h: 0, cache_read: 300 };
      for (const stream of [true, false]) {
        const res = await sendRequest(`${tg.url}/meter/v1/meter`, {
          headers: { 'x-api-key': tg.key },
          body: { model: 'meter-big', stream, usage },
        });
        expect(res.status).to.equal(200);
        expect(Number(res.headers['x-switchyard-overhead-ms'])).to.be.at.least(0);
      }
      expect(
        (await sendRequest(`${tg.url}/meter/v1/meter`, { headers: { 'x-api-key': 'sy_wrong_key_000000000000' }, body: {} }))
          .status,
      ).to.equal(401);
      expect(
        (
          await sendRequest(`${tg.url}/meter/v1/meter`, {
            headers: { 'x-api-key': tg.key },
            body: { model: 'meter-big', status: 400 },
          })
        ).status,
      ).to.equal(400);
      await tg.gateway.settled();
      expect(await tg.gateway.store.usage.count()).to.be.at.least(3);

      const m = await scrape();
      expect(sampleValue(m, 'switchyard_requests_total', { protocol: 'meter', model: 'meter-big', status: '200' })).to.equal(2);
      expect(sampleValue(m, 'switchyard_errors_total', { kind: 'unauthenticated' })).to.equal(1);
      expect(sampleValue(m, 'switchyard_errors_total', { kind: 'invalid_request' })).to.equal(1);
      expect(sampleValue(m, 'switchyard_tokens_total', { model: 'meter-big', type: 'input' })).to.equal(200);
      expect(sampleValue(m, 'switchyard_tokens_total', { model: 'meter-big', type: 'cache_read' })).to.equal(600);
      // (100x3 + 50x15 + 10x3.75 + 300x0.3) = 1177.5 -> 1178 per request
      expect(sampleValue(m, 'switchyard_cost_micro_usd_total', { model: 'meter-big', kind: 'real' })).to.equal(2 * 1178);
      expect(sampleValue(m, 'switchyard_time_to_first_byte_seconds_count', { protocol: 'meter' })).to.equal(2);
      expect(sampleValue(m, 'switchyard_request_duration_seconds_count', { protocol: 'meter', stream: 'true' })).to.equal(1);
      expect(sampleValue(m, 'switchyard_gateway_overhead_seconds_count')).to.be.at.least(2);
      expect(m.get('switchyard_queue_wait_seconds')?.type).to.equal('histogram');
      expect(sampleValue(m, 'switchyard_queue_wait_seconds_count', { scope: 'key' })).to.equal(3);
      expect(sampleValue(m, 'switchyard_accounts', { state: 'active' })).to.equal(1);
      expect(sampleValue(m, 'switchyard_accounts', { state: 'disabled' })).to.equal(1);
      expect(sampleValue(m, 'switchyard_active_leases', { account: tg.accountIds[0]! })).to.equal(0);
      expect(sampleValue(m, 'switchyard_active_requests')).to.be.a('number');
      // 600 cache reads / (200 input + 600 reads + 20 writes)
      expect(sampleValue(m, 'switchyard_cache_hit_ratio', { model: 'meter-big' })).to.be.closeTo(600 / 820, 1e-9);
      // 3 requests in a 2-minute window
      expect(sampleValue(m, 'switchyard_realtime_requests_per_minute')).to.equal(1.5);
      expect(sampleValue(m, 'switchyard_realtime_tokens_per_minute')).to.be.greaterThan(0);
      expect(sampleValue(m, 'switchyard_process_cpu_seconds_total')).to.be.a('number');
    });

    it('labels a model no price table knows as "other" (bounded label cardinality)', async () => {
      for (const model of ['random-1', 'random-2']) {
        await sendRequest(`${tg.url}/meter/v1/meter`, { headers: { 'x-api-key': tg.key }, body: { model } });
      }
      await tg.gateway.settled();
      const m = await scrape();
      expect(sampleValue(m, 'switchyard_requests_total', { model: 'other' })).to.equal(2);
      expect(sampleValue(m, 'switchyard_requests_total', { model: 'random-1' })).to.equal(undefined);
    });
  });
}
