import { expect } from 'chai';
import { createTestGateway, sendRequest, waitFor, type FakeUpstream, type TestGateway } from '@switchyard/core/testing';
import { tickPlugin } from '../fixtures/tick-plugin.js';
import { startTickUpstream } from '../fixtures/tick-upstream.js';

for (const store of ['embedded', 'redis'] as const) {
  describe(`a stream longer than the lease TTL keeps its key slot (${store} store)`, function () {
    this.timeout(30_000);
    let upstream: FakeUpstream;
    let tg: TestGateway;

    before(async () => {
      upstream = await startTickUpstream({ intervalMs: 100 });
      tg = await createTestGateway({
        store,
        plugins: [tickPlugin],
        accounts: [{ type: 'tick-upstream', name: 'one', credentials: { token: 'tick-token-one', baseUrl: upstream.url } }],
        keys: [{ name: 'single', limits: { concurrency: 1 } }],
        config: { logging: { level: 'warn' }, scheduling: { leaseTtlMs: 1000 } },
      });
    });
    after(async () => {
      await tg?.close();
      await upstream?.close();
    });

    it('holds the slot for the whole stream (renewed by its heartbeat), then frees it', async () => {
      const stream = sendRequest(`${tg.url}/tick/v1/ticks`, {
        headers: { 'x-api-key': tg.key },
        body: { model: 'tick-1', stream: true, count: 30 },
      });
      await new Promise((resolve) => setTimeout(resolve, 2200));
      const meanwhile = await sendRequest(`${tg.url}/tick/v1/ticks`, {
        headers: { 'x-api-key': tg.key },
        body: { model: 'tick-1', count: 1 },
      });
      expect(meanwhile.status).to.equal(429, 'the slot is still held after twice the lease TTL');
      const done = await stream;
      expect(done.status).to.equal(200);
      expect(done.text()).to.contain('"n":30');
      await waitFor(async () => (await tg.gateway.store.leases.count(`key:${tg.keyId}`)) === 0);
      const after = await sendRequest(`${tg.url}/tick/v1/ticks`, {
        headers: { 'x-api-key': tg.key },
        body: { model: 'tick-1', count: 1 },
      });
      expect(after.status).to.equal(200);
    });
  });
}
