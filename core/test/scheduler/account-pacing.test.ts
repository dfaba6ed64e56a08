import { expect } from 'chai';
import { createTestGateway, sendRequest, type TestGateway } from '@switchyard/core/testing';
import { startCountingUpstream, type CountingUpstream } from '../limits/fixtures/counting-upstream.js';
import { turnsPlugin } from './fixtures/turns-plugin.js';

for (const store of ['embedded', 'redis'] as const) {
  describe(`account pacing of new user turns through HTTP (${store} store)`, function () {
    this.timeout(30_000);
    let upstream: CountingUpstream;
    let tg: TestGateway;

    before(async () => {
      upstream = await startCountingUpstream({ delayMs: 50 });
      tg = await createTestGateway({
        store,
        plugins: [turnsPlugin],
        accounts: [
          { id: 'paced', type: 'tick-upstream', name: 'paced', credentials: { token: 'token-paced', baseUrl: upstream.url } },
        ],
        config: {
          logging: { level: 'warn' },
          scheduling: { accounts: { paced: { pacing: { minGapMs: 250, timeoutMs: 2000 } } } },
        },
      });
    });
    after(async () => {
      await tg?.close();
      await upstream?.close();
    });
    beforeEach(() => upstream.reset());

    const send = (body: Record<string, unknown>) =>
      sendRequest(`${tg.url}/tick/v1/ticks`, { headers: { 'x-api-key': tg.key }, body: { model: 'tick-1', ...body } });

    it('sends new user turns one at a time, in order, with the minimum gap between them', async () => {
      const started = Date.now();
      const stagger = (i: number) => new Promise((resolve) => setTimeout(resolve, i * 30));
      const results = await Promise.all(
        ['t1', 't2', 't3', 't4'].map(async (input, i) => (await stagger(i), send({ input, turn: 'user' }))),
      );
      expect(results.map((res) => res.status)).to.deep.equal([200, 200, 200, 200]);
      expect(upstream.maxInFlight).to.equal(1);
      expect(upstream.inputs).to.deep.equal(['t1', 't2', 't3', 't4']);
      expect(Date.now() - started).to.be.at.least(3 * 250);
    });

    it('does not pace follow-ups (tool results)', async () => {
      const results = await Promise.all(['f1', 'f2', 'f3'].map((input) => send({ input, delayMs: 200 })));
      expect(results.map((res) => res.status)).to.deep.equal([200, 200, 200]);
      expect(upstream.maxInFlight).to.equal(3);
    });

    it('answers 503 when a turn waited longer than the pacing timeout', async () => {
      const slow = Array.from({ length: 12 }, (_, i) => send({ input: `s${i}`, turn: 'user' }));
      const results = await Promise.all(slow);
      const statuses = results.map((res) => res.status);
      expect(statuses.filter((status) => status === 200).length).to.be.within(6, 10);
      expect(statuses.filter((status) => status === 503).length).to.be.at.least(2);
    });
  });
}
