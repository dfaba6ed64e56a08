import { expect } from 'chai';
import { createTestGateway, sendRequest, waitFor, type TestGateway } from '@switchyard/core/testing';
import { tickPlugin } from '../fixtures/tick-plugin.js';
import { startCountingUpstream, type CountingUpstream } from './fixtures/counting-upstream.js';

type ErrorBody = { error: { code: string; message: string } };

for (const store of ['embedded', 'redis'] as const) {
  describe(`key concurrency and fair queue through HTTP (${store} store)`, function () {
    this.timeout(60_000);
    let upstream: CountingUpstream;
    let tg: TestGateway;

    before(async () => {
      upstream = await startCountingUpstream();
      tg = await createTestGateway({
        store,
        plugins: [tickPlugin],
        accounts: [
          { id: 'acc-one', type: 'tick-upstream', name: 'one', credentials: { token: 'tick-token-one', baseUrl: upstream.url } },
        ],
        keys: [
          { name: 'no-queue', limits: { concurrency: 1 } },
          { name: 'small-queue', limits: { concurrency: 1, queue: { size: 1, timeoutMs: 400 } } },
          { name: 'waiting', limits: { concurrency: 1, queue: { size: 5, timeoutMs: 10_000 } } },
          { name: 'burst', limits: { concurrency: 4, queue: { size: 200, timeoutMs: 30_000 } } },
        ],
        config: { logging: { level: 'warn' } },
      });
    });
    after(async () => {
      await tg?.close();
      await upstream?.close();
    });
    beforeEach(() => upstream.reset());

    const send = (key: string, body: Record<string, unknown>, signal?: AbortSignal) =>
      sendRequest(`${tg.url}/tick/v1/ticks`, {
        headers: { 'x-api-key': tg.keys[key]! },
        body: { model: 'tick-1', ...body },
        timeoutMs: 40_000,
        ...(signal ? { signal } : {}),
      });
    const leasesLeft = async (key: string) => {
      const s = tg.gateway.store;
      return (
        (await s.leases.count(`key:${tg.keyIds[key]}`)) +
        (await s.leases.count('account:acc-one')) +
        (await s.leaseQueues.length(`key:${tg.keyIds[key]}`))
      );
    };

    it('refuses a request over the concurrency limit at once with 429 and Retry-After when queueing is off', async () => {
      const slow = send('no-queue', { input: 'a', delayMs: 500 });
      await waitFor(() => upstream.inFlight === 1);
      const refused = await send('no-queue', { input: 'b' });
      expect(refused.status).to.equal(429);
      expect(refused.headers['retry-after']).to.equal('1');
      expect(refused.json<ErrorBody>().error.code).to.equal('concurrency_limit');
      expect(refused.json<ErrorBody>().error.message).to.contain('concurrency limit');
      expect((await slow).status).to.equal(200);
    });

    it('queues one request, refuses the next as queue_full, and times the waiting one out with Retry-After', async () => {
      const slow = send('small-queue', { input: 'a', delayMs: 1500 });
      await waitFor(() => upstream.inFlight === 1);
      const started = Date.now();
      const waiting = send('small-queue', { input: 'b' });
      await waitFor(async () => (await tg.gateway.store.leaseQueues.length(`key:${tg.keyIds['small-queue']}`)) === 1);
      const full = await send('small-queue', { input: 'c' });
      expect(full.status).to.equal(429);
      expect(full.json<ErrorBody>().error.code).to.equal('queue_full');
      expect(Number(full.headers['retry-after'])).to.be.greaterThan(0);
      const timedOut = await waiting;
      expect(timedOut.status).to.equal(429);
      expect(timedOut.json<ErrorBody>().error.code).to.equal('queue_timeout');
      expect(timedOut.headers['retry-after']).to.equal('1');
      expect(Date.now() - started).to.be.within(350, 1400);
      expect((await slow).status).to.equal(200);
      expect(upstream.inputs).to.deep.equal(['a']);
    });

    it('serves queued requests first come, first served as slots free', async () => {
      const first = send('waiting', { input: 'first', delayMs: 300 });
      await waitFor(() => upstream.inFlight === 1);
      const order: Promise<unknown>[] = [];
      for (const name of ['q1', 'q2', 'q3']) {
        order.push(send('waiting', { input: name, delayMs: 50 }));
        await waitFor(async () => (await tg.gateway.store.leaseQueues.length(`key:${tg.keyIds['waiting']}`)) === order.length);
      }
      await Promise.all([first, ...order]);
      expect(upstream.inputs).to.deep.equal(['first', 'q1', 'q2', 'q3']);
      expect(upstream.maxInFlight).to.equal(1);
    });

    it('lets a waiting client that disconnects leave the queue at once, never reaching upstream', async () => {
      const slow = send('waiting', { input: 'holder', delayMs: 1500 });
      await waitFor(() => upstream.inFlight === 1);
      const scope = `key:${tg.keyIds['waiting']}`;
      const controller = new AbortController();
      const leaving = send('waiting', { input: 'leaver' }, controller.signal).catch(() => 'aborted');
      await waitFor(async () => (await tg.gateway.store.leaseQueues.length(scope)) === 1);
      controller.abort();
      await leaving;
      const left = Date.now();
      await waitFor(async () => (await tg.gateway.store.leaseQueues.length(scope)) === 0, { timeoutMs: 1000 });
      expect(Date.now() - left).to.be.lessThan(500);
      expect((await slow).status).to.equal(200);
      expect(upstream.inputs).to.deep.equal(['holder']);
      await waitFor(async () => (await leasesLeft('waiting')) === 0);
    });

    it('completes a burst of 200 requests at concurrency 4 with none lost or doubled and no lease left', async () => {
      const inputs = Array.from({ length: 200 }, (_, i) => `burst-${i}`);
      const results = await Promise.all(inputs.map((input) => send('burst', { input, delayMs: 10 })));
      expect(results.map((res) => res.status)).to.deep.equal(inputs.map(() => 200));
      expect([...upstream.inputs].sort()).to.deep.equal([...inputs].sort());
      expect(new Set(upstream.inputs).size).to.equal(200);
      expect(upstream.maxInFlight).to.be.at.most(4);
      expect(upstream.maxInFlight).to.equal(4);
      await waitFor(async () => (await leasesLeft('burst')) === 0, { what: 'no lease or queue entry left' });
      expect(await tg.gateway.store.leases.count(`budget:${tg.keyIds['burst']}`)).to.equal(0);
    });
  });
}
