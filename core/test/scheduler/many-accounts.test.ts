/**
 * Planning looks only at the accounts that can serve the request's protocol and model
 * (issue 22): with hundreds that cannot (other models, disabled, rate-limited), of better priority,
 * the request goes to the one that can; the index of serving accounts follows the
 * account list (an account added later serves at once).
 */
import { expect } from 'chai';
import { createTestGateway, sendRequest, type TestGateway } from '@switchyard/core/testing';
import { z } from 'zod';
import type { SwitchyardPlugin } from '@switchyard/plugin-api';
import { tickPlugin } from '../fixtures/tick-plugin.js';
import { startCountingUpstream, type CountingUpstream } from '../limits/fixtures/counting-upstream.js';

/** The tick plugin whose accounts take a model list (`settings.models`), as real account types do. */
const tickWithModels: SwitchyardPlugin = {
  ...tickPlugin,
  accountTypes: tickPlugin.accountTypes!.map((type) => ({
    ...type,
    settings: z.object({ models: z.array(z.string()).optional() }),
  })),
};

for (const store of ['embedded', 'redis'] as const) {
  describe(`scheduler with many accounts that cannot serve (${store} store)`, function () {
    this.timeout(120_000);
    let upstream: CountingUpstream;
    let tg: TestGateway;

    before(async () => {
      upstream = await startCountingUpstream();
      const account = (id: string, extra: Record<string, unknown> = {}) => ({
        id,
        type: 'tick-upstream',
        name: id,
        priority: 1,
        credentials: { token: `token-${id}`, baseUrl: upstream.url },
        ...extra,
      });
      tg = await createTestGateway({
        store,
        plugins: [tickWithModels],
        accounts: [
          account('serving', { priority: 50 }),
          ...Array.from({ length: 200 }, (_, i) => account(`other-${i}`, { settings: { models: ['other-model-*'] } })),
          ...Array.from({ length: 50 }, (_, i) => account(`off-${i}`, { enabled: false })),
          ...Array.from({ length: 50 }, (_, i) => account(`cool-${i}`)),
        ],
        keys: [{ name: 'k' }],
        config: { logging: { level: 'warn' } },
      });
      for (let i = 0; i < 50; i++)
        await tg.gateway.store.accountState.setCooldown(`cool-${i}`, Date.now() + 3_600_000, 'rate_limit', 'test');
    });
    after(async () => {
      await tg?.close();
      await upstream?.close();
    });

    const send = (model: string) =>
      sendRequest(`${tg.url}/tick/v1/ticks`, { headers: { 'x-api-key': tg.keys.k! }, body: { model } });
    const servedBy = () => upstream.tokens.at(-1)!.replace('token-', '');

    it('serves from the one account that can, request after request', async () => {
      // The rate-limited ones (read once, then known to cool down) are skipped as well.
      for (let i = 0; i < 5; i++) {
        expect((await send('tick-1')).status).to.equal(200);
        expect(servedBy()).to.equal('serving');
      }
    });

    it('serves a model the others list from them (of better priority)', async () => {
      expect((await send('other-model-7')).status).to.equal(200);
      expect(servedBy()).to.match(/^other-\d+$/);
    });

    it('uses an account added later at once (the index follows the account list)', async () => {
      await tg.gateway.createAccount({
        id: 'late',
        type: 'tick-upstream',
        name: 'late',
        priority: 1,
        credentials: { token: 'token-late', baseUrl: upstream.url },
      });
      expect((await send('tick-1')).status).to.equal(200);
      expect(servedBy()).to.equal('late');
    });
  });
}
