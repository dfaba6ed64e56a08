/**
 * The relay plans a request while its key admits it (issue 22: the plan's reads share the
 * key slot's round trip), and plans again when admitting took longer than the scheduler
 * trusts its cached controls. That age is read on the gateway's clock, the one those
 * caches use: a request that waited in its key's queue while an account was paused must
 * not be sent to the paused account.
 */
import { expect } from 'chai';
import {
  createTestGateway,
  ManualClock,
  sendRequest,
  startFakeUpstream,
  waitFor,
  type FakeUpstream,
  type TestGateway,
} from '@switchyard/core/testing';
import { AccountControl } from '../../src/scheduler/account-control.js';
import { keyScope } from '../../src/limits/key-queue.js';
import { tickPlugin } from '../fixtures/tick-plugin.js';

const account = (id: string, priority: number, url: string) => ({
  id,
  type: 'tick-upstream',
  name: id,
  priority,
  credentials: { token: `token-${id}`, baseUrl: url },
});

for (const store of ['embedded', 'redis'] as const) {
  describe(`relay: the plan made during admission (${store} store)`, function () {
    this.timeout(30_000);
    const clock = new ManualClock();
    const served: string[] = [];
    let releaseHeld: () => void = () => undefined;
    let upstream: FakeUpstream;
    let tg: TestGateway;

    before(async () => {
      upstream = await startFakeUpstream(async (req, res) => {
        served.push(String(req.headers.authorization ?? '').replace(/^Bearer token-/, ''));
        const { input } = req.json<{ input?: string }>();
        if (input === 'hold') await new Promise<void>((resolve) => (releaseHeld = resolve));
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ticks: 1, usage: { in: 1, out: 1 } }));
      });
      tg = await createTestGateway({
        store,
        clock,
        plugins: [tickPlugin],
        accounts: [account('a-main', 10, upstream.url), account('b-side', 20, upstream.url)],
        keys: [{ name: 'single', limits: { concurrency: 1, queue: { size: 4, timeoutMs: 60_000 } } }],
        config: { logging: { level: 'warn' } },
      });
    });
    after(async () => {
      releaseHeld();
      await tg?.close();
      await upstream?.close();
    });

    const send = (input: string) =>
      sendRequest(`${tg.url}/tick/v1/ticks`, { headers: { 'x-api-key': tg.keys.single! }, body: { model: 'tick-1', input } });

    it('plans again for a request that waited in its key queue while an account was paused', async () => {
      const first = send('hold');
      await waitFor(() => served.length === 1, { what: 'the first request upstream' });
      expect(served).to.deep.equal(['a-main']);

      const second = send('queued');
      const queue = tg.gateway.store.leaseQueues;
      await waitFor(async () => (await queue.length(keyScope(tg.keyIds.single!))) === 1, { what: 'the second request in line' });

      await new AccountControl({ store: tg.gateway.store, config: tg.gateway.config, cacheMs: 0 }).pause('a-main');
      await clock.advance(1_000);
      releaseHeld();

      expect((await first).status).to.equal(200);
      expect((await second).status).to.equal(200);
      expect(served).to.deep.equal(['a-main', 'b-side']);
    });
  });
}
