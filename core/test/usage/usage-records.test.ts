/** Usage records through the HTTP API: every field, pricing flags, rated cost, capture, aborts; on both backends. */
import { expect } from 'chai';
import { createTestGateway, sendRequest, waitFor, type FakeUpstream, type TestGateway } from '@switchyard/core/testing';
import type { UsageRecord } from '@switchyard/plugin-api';
import { meterPlugin } from './fixtures/meter-plugin.js';
import { startMeterUpstream, type MeterRequest } from './fixtures/meter-upstream.js';

for (const store of ['embedded', 'redis'] as const) {
  describe(`usage records (${store})`, () => {
    let upstream: FakeUpstream;
    let tg: TestGateway;

    before(async () => {
      upstream = await startMeterUpstream();
      tg = await createTestGateway({
        plugins: [meterPlugin],
        store,
        keys: [{ name: 'alice', limits: { costMultiplier: 2 } }, { name: 'bob' }],
        accounts: [{ type: 'meter-upstream', name: 'one', credentials: { token: 'meter-token', baseUrl: upstream.url } }],
        config: {
          usage: {
            fallbackPrice: { input: 100, output: 100 },
            costMultiplier: 1.5,
            requestLog: { capturePrompts: true, captureMaxBytes: 48 },
          },
        },
      });
      await tg.gateway.store.keys.update(tg.keyIds['alice']!, { owner: 'alice@example.test' });
    });
    after(async () => {
      await tg?.close();
      await upstream?.close();
    });

    const send = (body: MeterRequest, key = tg.keys['alice']!) =>
      sendRequest(`${tg.url}/meter/v1/meter`, { headers: { 'x-api-key': key }, body });
    const recordOf = (id: string) =>
      waitFor(async () => (await tg.gateway.store.usage.list({ limit: 1000 })).find((r) => r.id === id), {
        what: `usage record ${id}`,
      });
    const requestId = (res: { headers: Record<string, unknown> }) => String(res.headers['x-switchyard-request-id']);

    it('records a streamed request with every field, real and rated cost, raw usage and the price version', async () => {
      const usage = { input: 1000, output: 500, cache_5m: 2000, cache_1h: 1000, cache_read: 10_000 };
      const res = await send({ model: 'meter-big', answerModel: 'meter-big', stream: true, count: 4, usage });
      expect(res.status).to.equal(200);
      const overhead = Number(res.headers['x-switchyard-overhead-ms']);
      expect(overhead).to.be.a('number').and.at.least(0);
      const record: UsageRecord = await recordOf(requestId(res));
      expect(record).to.include({
        keyId: tg.keyIds['alice'],
        keyName: 'alice',
        owner: 'alice@example.test',
        accountId: tg.accountIds[0],
        accountType: 'meter-upstream',
        plugin: 'meter',
        protocol: 'meter',
        model: 'meter-big',
        upstreamModel: 'meter-big',
        status: 200,
        stream: true,
        requests: 1,
        costMicros: 27_000,
        // key x2, service x1.5
        ratedCostMicros: 81_000,
        costMultiplier: 3,
        priced: true,
        pricedAs: 'meter-big',
      });
      expect(record.usage).to.include({
        inputTokens: 1000,
        outputTokens: 500,
        cacheWrite5mTokens: 2000,
        cacheWrite1hTokens: 1000,
        cacheReadTokens: 10_000,
      });
      expect(record.usage.raw).to.deep.equal(usage);
      expect(record.latencyMs).to.be.at.least(0);
      expect(record.firstByteMs).to.be.a('number').and.at.most(record.latencyMs);
      expect(record.overheadMs).to.equal(overhead);
      expect(record.priceVersion).to.be.a('number').and.at.least(1);
      const version = await tg.gateway.store.priceBooks.get(record.priceVersion!);
      expect(version?.table['meter-big']).to.deep.include({ input: 3, output: 15 });
    });

    it('prices an unknown model with the configured fallback and flags it', async () => {
      const res = await send({ model: 'mystery-9', usage: { input: 10, output: 20 } }, tg.keys['bob']);
      expect(res.status).to.equal(200);
      const record = await recordOf(requestId(res));
      expect(record).to.include({
        priced: false,
        pricedAs: 'fallback',
        costMicros: 3000,
        ratedCostMicros: 4500,
        stream: false,
        keyName: 'bob',
      });
    });

    it('records an upstream error answer with its status and the account that answered', async () => {
      const res = await send({ model: 'meter-small', status: 400 });
      expect(res.status).to.equal(400);
      const record = await recordOf(requestId(res));
      expect(record).to.include({ status: 400, accountId: tg.accountIds[0], costMicros: 0 });
    });

    it('captures request and response text only when enabled, capped in size', async () => {
      const res = await send({ model: 'meter-small', usage: { input: 1, output: 1 }, stream: false });
      const record = await recordOf(requestId(res));
      expect(record.capture?.request).to.have.length(48);
      expect(record.capture?.request).to.contain('meter-small');
      expect(record.capture?.response).to.contain('"text":"ok"');
      expect(record.capture?.truncated).to.equal(true);
    });

    it('records a client that left mid-stream as 499, streamed', async () => {
      const res = await sendRequest(`${tg.url}/meter/v1/meter`, {
        headers: { 'x-api-key': tg.keys['bob']! },
        body: { model: 'meter-small', stream: true, count: 200, intervalMs: 5 },
        abortAfterChunks: 2,
      });
      expect(res.aborted).to.equal(true);
      const record = await waitFor(
        async () => (await tg.gateway.store.usage.list({ keyId: tg.keyIds['bob'] })).find((r) => r.status === 499),
        {
          timeoutMs: 5000,
        },
      );
      expect(record).to.include({ stream: true, model: 'meter-small', accountId: tg.accountIds[0] });
    });

    it("prices by the adapter's priceModel when a table knows it, else by the model; keeps servedModel and flags", async () => {
      const headers = (extra: Record<string, string>) => ({ 'x-api-key': tg.keys['bob']!, ...extra });
      const usage = { input: 1000, output: 100 };
      const premium = await sendRequest(`${tg.url}/meter/v1/meter`, {
        headers: headers({
          'x-meter-served': 'eu.meter-small-v1',
          'x-meter-price-as': 'meter-big',
          'x-meter-flag': 'usage_mismatch',
        }),
        body: { model: 'meter-small', usage },
      });
      const unknownKey = await sendRequest(`${tg.url}/meter/v1/meter`, {
        headers: headers({ 'x-meter-price-as': 'no-such-entry' }),
        body: { model: 'meter-small', stream: true, count: 2, usage },
      });
      const premiumRecord: UsageRecord = await recordOf(requestId(premium));
      // 1000 x 3 + 100 x 15: meter-big's prices, the price key the adapter gave.
      expect(premiumRecord).to.include({
        model: 'meter-small',
        servedModel: 'eu.meter-small-v1',
        costMicros: 4500,
        pricedAs: 'meter-big',
      });
      expect(premiumRecord.flags).to.deep.equal(['usage_mismatch']);
      const fallbackRecord: UsageRecord = await recordOf(requestId(unknownKey));
      // 1000 x 0.8 + 100 x 4: no entry for the key, so the model's price.
      expect(fallbackRecord).to.include({ costMicros: 1200, pricedAs: 'meter-small', priced: true });
      expect(fallbackRecord).to.not.have.property('servedModel');
      expect(fallbackRecord).to.not.have.property('flags');
    });

    it('keeps aggregates per key, account, model and overall that match the records', async () => {
      await waitFor(async () => ((await tg.gateway.store.usage.count()) >= 5 ? true : undefined));
      const records = await tg.gateway.store.usage.list({ limit: 1000 });
      // Aggregates are merged in memory and written about once a second.
      await waitFor(
        async () =>
          (await tg.gateway.store.usageAggregates.get('all', ['all'])).get('all')?.requests === records.length ? true : undefined,
        {
          timeoutMs: 5000,
          what: 'the aggregates',
        },
      );
      const sum = (pick: (r: UsageRecord) => number, filter: (r: UsageRecord) => boolean = () => true) =>
        records.filter(filter).reduce((total, r) => total + pick(r), 0);
      const all = (await tg.gateway.store.usageAggregates.get('all', ['all'])).get('all')!;
      expect(all.requests).to.equal(records.length);
      expect(all.inputTokens).to.equal(sum((r) => r.usage.inputTokens));
      expect(all.cacheWrite1hTokens).to.equal(sum((r) => r.usage.cacheWrite1hTokens));
      expect(all.costMicros).to.equal(sum((r) => r.costMicros));
      expect(all.ratedCostMicros).to.equal(sum((r) => r.ratedCostMicros ?? 0));
      expect(all.errors).to.equal(records.filter((r) => r.status >= 400).length);
      const alice = (await tg.gateway.store.usageAggregates.get(`key:${tg.keyIds['alice']}`, ['all'])).get('all')!;
      expect(alice.ratedCostMicros).to.equal(
        sum(
          (r) => r.ratedCostMicros ?? 0,
          (r) => r.keyId === tg.keyIds['alice'],
        ),
      );
      const account = (await tg.gateway.store.usageAggregates.get(`account:${tg.accountIds[0]}`, ['all'])).get('all')!;
      expect(account.requests).to.equal(records.filter((r) => r.accountId === tg.accountIds[0]).length);
      const day = `d:${new Date().toISOString().slice(0, 10)}`;
      const big = (await tg.gateway.store.usageAggregates.get('model:meter-big', [day])).get(day)!;
      expect(big.cacheReadTokens).to.equal(10_000);
      expect(await tg.gateway.store.usageAggregates.scopes('all', 'model:')).to.include.members([
        'model:meter-big',
        'model:meter-small',
        'model:mystery-9',
      ]);
      expect(await tg.gateway.store.usageAggregates.scopes('all', 'unpriced:')).to.deep.equal(['unpriced:mystery-9']);
    });

    it('stops and resumes recording at runtime (setUsageRecording), as the bench does', async () => {
      try {
        tg.gateway.setUsageRecording(false);
        const unrecorded = requestId(await send({ model: 'meter-small', usage: { input: 1, output: 1 } }));
        tg.gateway.setUsageRecording(true);
        const recorded = requestId(await send({ model: 'meter-small', usage: { input: 2, output: 2 } }));
        await tg.gateway.flushUsage();
        const ids = (await tg.gateway.store.usage.list({ limit: 1000 })).map((r) => r.id);
        expect(ids).to.include(recorded).and.not.include(unrecorded);
      } finally {
        tg.gateway.setUsageRecording(true);
      }
    });
  });
}
