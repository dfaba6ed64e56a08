/**
 * Key holders read their own usage, cost, limits and what remains (Switchyard's shape, the
 * key-usage page's endpoints), with only their key; never anyone else's. The reference
 * relay's paths and shapes: reference-stats.test.ts.
 */
import { expect } from 'chai';
import { createTestGateway, sendRequest, type FakeUpstream, type TestGateway } from '@switchyard/core/testing';
import { meterPlugin } from '../usage/fixtures/meter-plugin.js';
import { startMeterUpstream } from '../usage/fixtures/meter-upstream.js';

interface PeriodUsage {
  period: string;
  requests: number;
  inputTokens: number;
  costMicros: number;
  ratedCostMicros: number;
  costUsd: number;
}

for (const store of ['embedded', 'redis'] as const) {
  describe(`self-service endpoints (${store})`, () => {
    let upstream: FakeUpstream;
    let tg: TestGateway;

    before(async () => {
      upstream = await startMeterUpstream();
      tg = await createTestGateway({
        plugins: [meterPlugin],
        store,
        keys: [
          {
            name: 'alice',
            limits: { costMultiplier: 2, costUsd: { daily: 1, total: 5 }, windows: [{ period: '1h', requests: 100 }] },
          },
          { name: 'bob' },
        ],
        accounts: [{ type: 'meter-upstream', name: 'one', credentials: { token: 'meter-token', baseUrl: upstream.url } }],
      });
      // One at a time, each recorded before the next (key limits reserve for requests in flight).
      let sent = 0;
      const send = async (key: string, model: string, usage: object) => {
        const res = await sendRequest(`${tg.url}/meter/v1/meter`, { headers: { 'x-api-key': key }, body: { model, usage } });
        expect(res.status, res.text()).to.equal(200);
        sent += 1;
        // Recorded and charged (limits, aggregates) before the next one.
        await tg.gateway.settled();
        expect(await tg.gateway.store.usage.count()).to.equal(sent);
      };
      // alice: 2 x meter-big (1000 in, 100 out) = 2 x 4500 micros, rated x2 = 18000
      await send(tg.keys['alice']!, 'meter-big', { input: 1000, output: 100 });
      await send(tg.keys['alice']!, 'meter-big', { input: 1000, output: 100 });
      await send(tg.keys['alice']!, 'meter-small', { input: 1000, output: 0 });
      await send(tg.keys['bob']!, 'meter-big', { input: 99_999, output: 0 });
      expect((await tg.gateway.store.usageAggregates.get('all', ['all'])).get('all')?.requests).to.equal(4);
    });
    after(async () => {
      await tg?.close();
      await upstream?.close();
    });

    it('GET /self-service/v1/usage answers the caller key only: today, month, lifetime, by model', async () => {
      const res = await sendRequest(`${tg.url}/self-service/v1/usage`, {
        headers: { authorization: `Bearer ${tg.keys['alice']}` },
      });
      expect(res.status).to.equal(200);
      const body = res.json<{
        keyId: string;
        timeZone: string;
        today: PeriodUsage;
        lifetime: PeriodUsage;
        daily: PeriodUsage[];
        models: (PeriodUsage & { model: string })[];
      }>();
      expect(body.keyId).to.equal(tg.keyIds['alice']);
      expect(body.timeZone).to.equal('UTC');
      expect(body.lifetime).to.include({ requests: 3, inputTokens: 3000, costMicros: 9000 + 800, ratedCostMicros: 2 * 9800 });
      expect(body.today.requests).to.equal(3);
      expect(body.lifetime.costUsd).to.equal(0.0196);
      expect(body.daily).to.have.length(7);
      expect(body.models.map((m) => m.model)).to.deep.equal(['meter-big', 'meter-small']);
      expect(JSON.stringify(body)).not.to.contain(tg.keyIds['bob']);
    });

    it('GET /self-service/v1/key-info gives identity, limits, used and remaining, never the hash', async () => {
      const res = await sendRequest(`${tg.url}/self-service/v1/key-info`, { headers: { 'x-api-key': tg.keys['alice']! } });
      expect(res.status).to.equal(200);
      const body = res.json<{
        key: Record<string, unknown>;
        limits: Record<string, unknown>;
        budgets: { path: string; used: number; remaining: number; limit: number }[];
      }>();
      expect(body.key).to.include({ id: tg.keyIds['alice'], name: 'alice', status: 'active' });
      expect(body.key).not.to.have.property('hash');
      expect(body.limits).to.deep.include({ costMultiplier: 2 });
      const daily = body.budgets.find((b) => b.path === 'costUsd.daily');
      expect(daily?.limit).to.equal(1_000_000);
      expect(daily!.remaining).to.equal(daily!.limit - daily!.used);
      expect(body.budgets.map((b) => b.path)).to.include.members(['costUsd.daily', 'costUsd.total', 'windows[0].requests']);
    });

    it('refuses a request without a key, with a wrong key or with a key id in the key header', async () => {
      const cases: Record<string, string>[] = [
        {},
        { 'x-api-key': 'sy_nope-nope-nope-nope' },
        { 'x-api-key': tg.keyIds['alice']! },
      ];
      for (const headers of cases) {
        for (const path of ['/self-service/v1/usage', '/self-service/v1/key-info']) {
          const res = await sendRequest(`${tg.url}${path}`, { headers });
          expect(res.status, path).to.equal(401);
          expect(res.json<{ error: { type: string } }>().error.type).to.match(/^(missing|invalid)_api_key$/);
        }
      }
    });
  });
}
