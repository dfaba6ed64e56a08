import { expect } from 'chai';
import {
  createTestGateway,
  ManualClock,
  sendRequest,
  startFakeUpstream,
  waitFor,
  writeSse,
  type FakeUpstream,
  type TestGateway,
} from '@switchyard/core/testing';
import { tickPlugin } from '../fixtures/tick-plugin.js';

for (const store of ['embedded', 'redis'] as const) {
  describe(`a stream longer than the lease TTL keeps its key slot (${store} store)`, function () {
    this.timeout(30_000);
    let upstream: FakeUpstream;
    let tg: TestGateway;
    const clock = new ManualClock();
    /** The stream holds after its first frame until the test releases it. */
    let release: () => void = () => {};
    /**
     * Lets `ms` pass for the lease: the embedded store's TTLs and the heartbeat run on the
     * gateway's clock; Redis keeps TTLs on its server clock, so there time really passes.
     */
    const pass = (ms: number) => (store === 'redis' ? new Promise((resolve) => setTimeout(resolve, ms)) : clock.advance(ms));

    before(async () => {
      upstream = await startFakeUpstream(async (req, res) => {
        const body = req.json<{ stream?: boolean; count?: number }>();
        const count = body.count ?? 1;
        const usage = { in: 0, out: count };
        if (!body.stream) {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ ticks: count, usage }));
          return;
        }
        const held = new Promise<void>((resolve) => (release = resolve));
        const frames = Array.from({ length: count }, (_, index) => ({ data: { n: index + 1 } }));
        await writeSse(res, frames.slice(0, 1), { intervalMs: 0, end: false });
        await held;
        await writeSse(res, [...frames.slice(1), { data: { usage } }], { intervalMs: 0 });
      });
      tg = await createTestGateway({
        store,
        ...(store === 'embedded' ? { clock } : {}),
        plugins: [tickPlugin],
        accounts: [{ type: 'tick-upstream', name: 'one', credentials: { token: 'tick-token-one', baseUrl: upstream.url } }],
        keys: [{ name: 'single', limits: { concurrency: 1 } }],
        config: { logging: { level: 'warn' }, scheduling: { leaseTtlMs: 1000 } },
      });
    });
    after(async () => {
      release();
      await tg?.close();
      await upstream?.close();
    });

    it('holds the slot for the whole stream (renewed by its heartbeat), then frees it', async () => {
      const stream = sendRequest(`${tg.url}/tick/v1/ticks`, {
        headers: { 'x-api-key': tg.key },
        body: { model: 'tick-1', stream: true, count: 30 },
      });
      await waitFor(() => upstream.requests.length === 1, { what: 'the stream to start' });
      await pass(2200);
      const meanwhile = await sendRequest(`${tg.url}/tick/v1/ticks`, {
        headers: { 'x-api-key': tg.key },
        body: { model: 'tick-1', count: 1 },
      });
      expect(meanwhile.status).to.equal(429, 'the slot is still held after twice the lease TTL');
      release();
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
