/**
 * The "done when" load: 2,000 streamed requests through the gateway leave exactly 2,000
 * usage records, and aggregates that sum to the same totals, on both backends.
 */
import { expect } from 'chai';
import { createTestGateway, sendRequest, waitFor, type FakeUpstream, type TestGateway } from '@switchyard/core/testing';
import type { UsageRecord } from '@switchyard/plugin-api';
import { meterPlugin } from './fixtures/meter-plugin.js';
import { startMeterUpstream } from './fixtures/meter-upstream.js';

const REQUESTS = 2000;
const CONCURRENCY = 16;

for (const store of ['embedded', 'redis'] as const) {
  describe(`usage under load (${store})`, function () {
    this.timeout(120_000);
    let upstream: FakeUpstream;
    let tg: TestGateway;

    before(async () => {
      upstream = await startMeterUpstream();
      tg = await createTestGateway({
        plugins: [meterPlugin],
        store,
        keys: [{ name: 'a' }, { name: 'b', limits: { costMultiplier: 2 } }],
        accounts: [
          {
            type: 'meter-upstream',
            name: 'one',
            credentials: { token: 'meter-token', baseUrl: upstream.url },
            maxConcurrency: 64,
          },
          {
            type: 'meter-upstream',
            name: 'two',
            credentials: { token: 'meter-token', baseUrl: upstream.url },
            maxConcurrency: 64,
          },
        ],
        config: { logging: { level: 'warn' } },
      });
    });
    after(async () => {
      await tg?.close();
      await upstream?.close();
    });

    it(`${REQUESTS} streamed requests leave ${REQUESTS} records and matching aggregates`, async () => {
      let next = 0;
      let failures = 0;
      const expected = { input: 0, output: 0, cache5m: 0, cache1h: 0, cacheRead: 0 };
      const worker = async () => {
        while (next < REQUESTS) {
          const n = next++;
          const usage = { input: 10 + (n % 7), output: 20 + (n % 5), cache_5m: n % 3, cache_1h: n % 2, cache_read: n % 11 };
          expected.input += usage.input;
          expected.output += usage.output;
          expected.cache5m += usage.cache_5m;
          expected.cache1h += usage.cache_1h;
          expected.cacheRead += usage.cache_read;
          const res = await sendRequest(`${tg.url}/meter/v1/meter`, {
            headers: { 'x-api-key': n % 2 === 0 ? tg.keys['a']! : tg.keys['b']! },
            body: { model: n % 3 === 0 ? 'meter-big' : 'meter-small', stream: true, count: 2, usage },
          });
          if (res.status !== 200 || !res.text().includes('"usage"')) failures++;
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
      expect(failures).to.equal(0);

      const { usage, usageAggregates } = tg.gateway.store;
      await waitFor(async () => ((await usage.count()) >= REQUESTS ? true : undefined), {
        timeoutMs: 20_000,
        what: 'every usage record',
      });
      // Aggregates are merged in memory and written about once a second.
      await waitFor(
        async () => ((await usageAggregates.get('all', ['all'])).get('all')?.requests === REQUESTS ? true : undefined),
        {
          timeoutMs: 10_000,
          what: 'the aggregates',
        },
      );
      expect(await usage.count()).to.equal(REQUESTS);
      const records: UsageRecord[] = await usage.list({ limit: REQUESTS + 10 });
      expect(records).to.have.length(REQUESTS);
      expect(new Set(records.map((r) => r.id)).size).to.equal(REQUESTS);
      const sum = (pick: (r: UsageRecord) => number) => records.reduce((total, r) => total + pick(r), 0);
      expect(sum((r) => r.usage.inputTokens)).to.equal(expected.input);
      expect(sum((r) => r.usage.cacheWrite1hTokens)).to.equal(expected.cache1h);

      const all = (await usageAggregates.get('all', ['all'])).get('all')!;
      expect(all).to.deep.equal({
        requests: REQUESTS,
        errors: 0,
        inputTokens: expected.input,
        outputTokens: expected.output,
        cacheWrite5mTokens: expected.cache5m,
        cacheWrite1hTokens: expected.cache1h,
        cacheReadTokens: expected.cacheRead,
        costMicros: sum((r) => r.costMicros),
        ratedCostMicros: sum((r) => r.ratedCostMicros!),
      });
      const day = `d:${new Date(records[0]!.at).toISOString().slice(0, 10)}`;
      const perKey = await Promise.all(['a', 'b'].map((name) => usageAggregates.get(`key:${tg.keyIds[name]}`, ['all', day])));
      expect(perKey.reduce((total, rows) => total + rows.get('all')!.requests, 0)).to.equal(REQUESTS);
      expect(perKey.reduce((total, rows) => total + rows.get('all')!.ratedCostMicros, 0)).to.equal(all.ratedCostMicros);
      const perAccount = await Promise.all(
        tg.accountIds.map(async (id) => (await usageAggregates.get(`account:${id}`, ['all'])).get('all')?.requests ?? 0),
      );
      expect(perAccount.reduce((a, b) => a + b, 0)).to.equal(REQUESTS);
      const perModel = await Promise.all(
        ['meter-big', 'meter-small'].map(async (m) => (await usageAggregates.get(`model:${m}`, ['all'])).get('all')!.costMicros),
      );
      expect(perModel.reduce((a, b) => a + b, 0)).to.equal(all.costMicros);
      const hour = `h:${new Date(records[0]!.at).toISOString().slice(0, 13)}`;
      const hourly = (await usageAggregates.get('all', [hour])).get(hour)!;
      const daily = (await usageAggregates.get('all', [day])).get(day)!;
      // A run that crosses an hour boundary splits over two hourly rows; the day row holds all.
      expect(daily.requests).to.equal(REQUESTS);
      expect(hourly.requests).to.be.at.most(REQUESTS);
    });
  });
}
