import { expect } from 'chai';
import { createTestGateway, ManualClock, sendRequest, waitFor, type TestGateway } from '@switchyard/core/testing';
import { tickPlugin } from '../fixtures/tick-plugin.js';
import { startCountingUpstream, type CountingUpstream } from './fixtures/counting-upstream.js';

type ErrorBody = { error: { code: string; message: string } };

for (const store of ['embedded', 'redis'] as const) {
  describe(`key rate windows and spending caps through HTTP (${store} store)`, function () {
    this.timeout(60_000);
    let upstream: CountingUpstream;
    let tg: TestGateway;
    /** Cost (micro-USD) of one `{ input: 'abcd', count: 6 }` request. */
    let unit: number;
    const clock = new ManualClock();
    /**
     * Lets `ms` pass for the windows: the embedded store slides them on the gateway's
     * clock; Redis slides them on its server clock, so there time really passes.
     */
    const pass = (ms: number) => (store === 'redis' ? new Promise((resolve) => setTimeout(resolve, ms)) : clock.advance(ms));

    before(async () => {
      upstream = await startCountingUpstream();
      tg = await createTestGateway({
        store,
        clock,
        plugins: [tickPlugin],
        accounts: [{ type: 'tick-upstream', name: 'one', credentials: { token: 'tick-token-one', baseUrl: upstream.url } }],
        keys: [{ name: 'probe' }],
        config: { logging: { level: 'warn' } },
      });
      expect((await send(tg.key, {})).status).to.equal(200);
      const [record] = await waitFor(async () => {
        const records = await tg.gateway.store.usage.list({ keyId: tg.keyId });
        return records.length ? records : undefined;
      });
      unit = record!.costMicros;
      expect(unit).to.be.greaterThan(0);
    });
    after(async () => {
      await tg?.close();
      await upstream?.close();
    });

    function send(key: string, body: Record<string, unknown>) {
      return sendRequest(`${tg.url}/tick/v1/ticks`, {
        headers: { 'x-api-key': key },
        body: { model: 'tick-1', input: 'abcd', count: 6, ...body },
        timeoutMs: 20_000,
      });
    }
    const newKey = (name: string, limits: Record<string, unknown>) => tg.gateway.createKey({ name, limits });
    const spent = async (keyId: string) => (await tg.gateway.store.meters.getTotals([`${keyId}:cost:total`]))[0]!;
    const charged = (keyId: string, micros: number) =>
      waitFor(async () => (await spent(keyId)) >= micros, { what: `${micros} µ$ charged` });
    const usd = (micros: number) => micros / 1e6;

    it('serves back-to-back requests of a fresh capped key before any of its usage was charged', async () => {
      const key = await newKey('fresh-cap', { costUsd: { daily: 1000 } });
      for (let i = 0; i < 3; i++) {
        const res = await send(key.key, {});
        expect(res.status, res.text()).to.equal(200);
      }
    });

    it('counts requests in a sliding window and answers 429 with Retry-After until it frees', async () => {
      const key = await newKey('requests', { windows: [{ period: '2s', requests: 3 }] });
      for (let i = 0; i < 3; i++) expect((await send(key.key, {})).status).to.equal(200);
      const refused = await send(key.key, {});
      expect(refused.status).to.equal(429);
      expect(refused.json<ErrorBody>().error.code).to.equal('rate_limited');
      expect(refused.json<ErrorBody>().error.message).to.contain('3 requests per 2s');
      const retryAfter = Number(refused.headers['retry-after']);
      expect(retryAfter).to.be.within(1, 2);
      await pass(retryAfter * 1000 + (store === 'redis' ? 100 : 0));
      expect((await send(key.key, {})).status).to.equal(200);
    });

    it('charges token windows from recorded usage', async () => {
      const key = await newKey('tokens', { windows: [{ period: '1h', tokens: 15 }] });
      expect((await send(key.key, { count: 8 })).status).to.equal(200); // 4 in + 8 out
      const refused = await waitFor(
        async () => {
          const res = await send(key.key, { count: 1 });
          return res.status === 429 && res.text().includes('reached its limit of 15 tokens per 1h') ? res : undefined;
        },
        { what: 'the token window to fill' },
      );
      expect(refused.json<ErrorBody>().error.message).to.contain('15 tokens per 1h');
      expect(Number(refused.headers['retry-after'])).to.be.greaterThan(3000);
    });

    it('charges cost windows from recorded usage', async () => {
      const key = await newKey('cost-window', { windows: [{ period: '30m', costUsd: usd(unit * 1.5) }] });
      expect((await send(key.key, {})).status).to.equal(200);
      await charged(key.id, unit);
      expect((await send(key.key, {})).status).to.equal(200);
      await charged(key.id, 2 * unit);
      const refused = await send(key.key, {});
      expect(refused.status).to.equal(429);
      expect(refused.json<ErrorBody>().error.message).to.match(/per 30m/);
    });

    it('answers 402 once the daily cap is spent, saying when it resets, without Retry-After', async () => {
      const key = await newKey('daily', { costUsd: { daily: usd(unit * 1.5) } });
      expect((await send(key.key, {})).status).to.equal(200);
      await charged(key.id, unit);
      expect((await send(key.key, {})).status).to.equal(200);
      await charged(key.id, 2 * unit);
      const refused = await send(key.key, {});
      expect(refused.status).to.equal(402);
      expect(refused.headers['retry-after']).to.equal(undefined);
      const error = refused.json<ErrorBody>().error;
      expect(error.code).to.equal('cost_limit_reached');
      expect(error.message).to.contain('daily spending cap');
      const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
      expect(error.message).to.contain(`resets at ${tomorrow}T00:00:00.000Z`);
    });

    it('applies weekly and total caps, and a weekly cap per model family only to its models', async () => {
      const weekly = await newKey('weekly', { costUsd: { weekly: usd(unit * 0.5), weeklyReset: { day: 3, hour: 6 } } });
      expect((await send(weekly.key, {})).status).to.equal(200);
      await charged(weekly.id, unit);
      const weeklyRefused = await send(weekly.key, {});
      expect(weeklyRefused.status).to.equal(402);
      expect(weeklyRefused.json<ErrorBody>().error.message).to.match(
        /weekly spending cap.*resets at \d{4}-\d\d-\d\dT06:00:00\.000Z/,
      );
      expect(new Date(weeklyRefused.json<ErrorBody>().error.message.match(/resets at (\S+)\./)![1]!).getUTCDay()).to.equal(3);

      const total = await newKey('total', { costUsd: { total: usd(unit * 0.5) } });
      expect((await send(total.key, {})).status).to.equal(200);
      await charged(total.id, unit);
      const totalRefused = await send(total.key, {});
      expect(totalRefused.status).to.equal(402);
      expect(totalRefused.json<ErrorBody>().error.message).to.contain('does not reset');

      const family = await newKey('family', {
        costUsd: { weeklyByModel: [{ name: 'tick-one', models: ['tick-1*'], usd: usd(unit * 0.5) }] },
      });
      expect((await send(family.key, {})).status).to.equal(200);
      await charged(family.id, unit);
      const familyRefused = await send(family.key, {});
      expect(familyRefused.status).to.equal(402);
      expect(familyRefused.json<ErrorBody>().error.message).to.contain('tick-one models');
      expect((await send(family.key, { model: 'tick-2' })).status).to.equal(200);
    });

    it("charges the key's rated cost (its costMultiplier applied) against its caps", async () => {
      const key = await newKey('multiplied', { costMultiplier: 2, costUsd: { daily: usd(unit * 1.5) } });
      expect((await send(key.key, {})).status).to.equal(200);
      await charged(key.id, 2 * unit);
      const refused = await send(key.key, {});
      expect(refused.status).to.equal(402);
    });

    it('keeps requests in flight together from overshooting a cap by more than one request', async () => {
      const key = await newKey('in-flight', { costUsd: { total: usd(unit * 2.5) } });
      expect((await send(key.key, {})).status).to.equal(200);
      await charged(key.id, unit);
      const parallel = await Promise.all(Array.from({ length: 5 }, () => send(key.key, { delayMs: 400 })));
      const served = parallel.filter((res) => res.status === 200);
      const waiting = parallel.filter((res) => res.status === 429);
      expect(served).to.have.length(2);
      expect(waiting).to.have.length(3);
      expect(waiting[0]!.json<ErrorBody>().error.message).to.contain('in flight');
      await charged(key.id, 3 * unit);
      const after = await send(key.key, {});
      expect(after.status).to.equal(402);
      expect(await spent(key.id)).to.be.at.most(unit * 2.5 + unit);
      expect(await tg.gateway.store.leases.count(`budget:${key.id}`)).to.equal(0);
    });
  });
}
