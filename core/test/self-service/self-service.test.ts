/** Key holders read their own usage, cost, limits and what remains, with only their key; never anyone else's. */
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

    it('GET /api/v1/usage answers the caller key only: today, month, lifetime, by model', async () => {
      const res = await sendRequest(`${tg.url}/api/v1/usage`, { headers: { authorization: `Bearer ${tg.keys['alice']}` } });
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

    it('GET /api/v1/key-info gives identity, limits, used and remaining, never the hash', async () => {
      const res = await sendRequest(`${tg.url}/api/v1/key-info`, { headers: { 'x-api-key': tg.keys['alice']! } });
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

    it('POST /apiStats/api/user-stats takes the key in the body and refuses a key id or a wrong key', async () => {
      const ok = await sendRequest(`${tg.url}/apiStats/api/user-stats`, { body: { apiKey: tg.keys['bob'] } });
      expect(ok.status).to.equal(200);
      const body = ok.json<{ success: boolean; data: { key: { id: string }; usage: { lifetime: PeriodUsage } } }>();
      expect(body.data.key.id).to.equal(tg.keyIds['bob']);
      expect(body.data.usage.lifetime.requests).to.equal(1);
      expect((await sendRequest(`${tg.url}/apiStats/api/user-stats`, { body: { apiKey: tg.keyIds['alice'] } })).status).to.equal(
        401,
      );
      expect((await sendRequest(`${tg.url}/apiStats/api/user-stats`, { body: { apiId: tg.keyIds['alice'] } })).status).to.equal(
        401,
      );
      expect((await sendRequest(`${tg.url}/api/v1/usage`)).status).to.equal(401);
    });

    it('POST /apiStats/api/user-model-stats lists the caller key usage by model', async () => {
      const res = await sendRequest(`${tg.url}/apiStats/api/user-model-stats`, {
        body: { apiKey: tg.keys['alice'], period: 'daily' },
      });
      expect(res.status).to.equal(200);
      const body = res.json<{ period: string; data: (PeriodUsage & { model: string })[] }>();
      expect(body.period).to.match(/^d:\d{4}-\d{2}-\d{2}$/);
      expect(body.data.find((m) => m.model === 'meter-big')).to.include({ requests: 2, costMicros: 9000 });
    });
  });
}
