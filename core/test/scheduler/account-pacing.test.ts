import { expect } from 'chai';
import { createTestGateway, sendRequest, waitFor, type TestGateway } from '@switchyard/core/testing';
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
      // Sent one after the other once the previous one is in line: t1 holds the turn (it
      // reached upstream); each later one waits in the pacing line or was let through.
      const line = tg.gateway.store.leaseQueues;
      const sent: Promise<Awaited<ReturnType<typeof send>>>[] = [];
      for (const [i, input] of ['t1', 't2', 't3', 't4'].entries()) {
        sent.push(send({ input, turn: 'user' }));
        await waitFor(
          async () =>
            i === 0
              ? upstream.inputs.includes('t1')
              : (await line.length('pace:paced')) + Math.max(0, upstream.inputs.length - 1) >= i,
          { what: `${input} in line` },
        );
      }
      const results = await Promise.all(sent);
      expect(results.map((res) => res.status)).to.deep.equal([200, 200, 200, 200]);
      expect(upstream.maxInFlight).to.equal(1);
      expect(upstream.inputs).to.deep.equal(['t1', 't2', 't3', 't4']);
      expect(Date.now() - started).to.be.at.least(3 * 250);
    });

    it('does not pace follow-ups (tool results)', async () => {
      // Each is held upstream until all three are there: paced, the second would never arrive.
      const sent = ['f1', 'f2', 'f3'].map((input) => send({ input, hold: true }));
      await waitFor(() => upstream.inFlight === 3, { what: 'three follow-ups upstream at once' });
      upstream.releaseHeld();
      const results = await Promise.all(sent);
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
