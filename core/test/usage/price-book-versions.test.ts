/** The versioned price book: plugin tables, a price file, admin overrides; a record names its version; both backends. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { createTestGateway, sendRequest, waitFor, type FakeUpstream, type TestGateway } from '@switchyard/core/testing';
import { meterPlugin } from './fixtures/meter-plugin.js';
import { startMeterUpstream } from './fixtures/meter-upstream.js';
import { PriceBook } from '../../src/usage/price-book.js';
import { PriceBookService } from '../../src/usage/price-book-service.js';

for (const store of ['embedded', 'redis'] as const) {
  describe(`price book versions (${store})`, () => {
    let upstream: FakeUpstream;
    let tg: TestGateway;
    let dir: string;

    before(async () => {
      dir = await mkdtemp(path.join(os.tmpdir(), 'switchyard-prices-'));
      await writeFile(path.join(dir, 'prices.json'), JSON.stringify({ 'meter-small': { input: 2, output: 2 } }));
      upstream = await startMeterUpstream();
      tg = await createTestGateway({
        plugins: [meterPlugin],
        store,
        accounts: [{ type: 'meter-upstream', name: 'one', credentials: { token: 'meter-token', baseUrl: upstream.url } }],
        config: { usage: { priceFile: path.join(dir, 'prices.json') } },
      });
    });
    after(async () => {
      await tg?.close();
      await upstream?.close();
      await rm(dir, { recursive: true, force: true });
    });

    it('prices with the file over the plugin table and records the version used', async () => {
      const res = await sendRequest(`${tg.url}/meter/v1/meter`, {
        headers: { 'x-api-key': tg.key },
        body: { model: 'meter-small', usage: { input: 10, output: 10 } },
      });
      const id = String(res.headers['x-switchyard-request-id']);
      const record = await waitFor(async () => (await tg.gateway.store.usage.list()).find((r) => r.id === id));
      expect(record.costMicros).to.equal(40);
      const versions = await tg.gateway.store.priceBooks.list();
      expect(versions[0]?.version).to.equal(record.priceVersion);
      expect((await tg.gateway.store.priceBooks.get(record.priceVersion!))?.table['meter-small']).to.deep.equal({
        input: 2,
        output: 2,
      });
    });

    it('publishes a new version only when the merged table changes (admin overrides, then the same again)', async () => {
      const { store: s } = tg.gateway;
      const log = {
        info() {},
        warn() {},
        error() {},
        debug() {},
        child() {
          return log;
        },
      } as never;
      const book = new PriceBook({});
      const service = new PriceBookService({
        book,
        store: s,
        log,
        pluginPrices: { a: { input: 1, output: 1 } },
        costMultiplier: 1,
        pluginCostMultipliers: {},
      });
      const first = await service.reload();
      expect(await service.reload()).to.equal(first);
      const second = await service.setOverrides({ a: { input: 5, output: 5 } });
      expect(second).to.equal(first + 1);
      expect(book.version).to.equal(second);
      expect(book.priceFor('a')).to.deep.equal({ input: 5, output: 5 });
      await s.settings.set('usage.costMultipliers', { '*': 2, meter: 3 });
      await service.reload();
      expect(book.serviceMultiplier('meter')).to.equal(6);
      expect(book.serviceMultiplier('other')).to.equal(2);
      expect((await s.priceBooks.get(first))?.table['a']).to.deep.equal({ input: 1, output: 1 });
    });
  });
}
