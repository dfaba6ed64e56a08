/** Conformance tests of settings, plugin KV and the store's own lifecycle methods. */
import { expect } from 'chai';
import { PAST_SHORT_TTL_MS, SHORT_TTL_MS, type StoreAccess, type TimeAccess } from './fixtures.js';

export function describeSettingsKvTests(store: StoreAccess, time: TimeAccess): void {
  describe('settings', () => {
    it('sets, gets, overwrites, removes and lists JSON values', async () => {
      expect(await store().settings.get('missing')).to.equal(undefined);
      await store().settings.set('b', { nested: [1, { x: null }], empty: [] });
      await store().settings.set('a', 'text');
      await store().settings.set('n', 0);
      await store().settings.set('f', false);
      expect(await store().settings.get('b')).to.deep.equal({ nested: [1, { x: null }], empty: [] });
      await store().settings.set('a', 42);
      expect(await store().settings.get<number>('a')).to.equal(42);
      expect(await store().settings.all()).to.deep.equal({ a: 42, b: { nested: [1, { x: null }], empty: [] }, f: false, n: 0 });
      await store().settings.set('a', undefined);
      expect(await store().settings.get('a')).to.equal(undefined);
      expect(Object.keys(await store().settings.all())).to.deep.equal(['b', 'f', 'n']);
    });
  });

  describe('pluginKv', () => {
    it('keeps namespaces apart and deletes', async () => {
      await store().pluginKv.set('p1', 'k', { v: 1 });
      await store().pluginKv.set('p2', 'k', 'two');
      expect(await store().pluginKv.get('p1', 'k')).to.deep.equal({ v: 1 });
      expect(await store().pluginKv.get('p2', 'k')).to.equal('two');
      expect(await store().pluginKv.get('p3', 'k')).to.equal(undefined);
      await store().pluginKv.delete('p1', 'k');
      await store().pluginKv.delete('p1', 'never');
      expect(await store().pluginKv.get('p1', 'k')).to.equal(undefined);
      expect(await store().pluginKv.get('p2', 'k')).to.equal('two');
    });

    it('expires entries written with a TTL', async () => {
      await store().pluginKv.set('p', 'short', 1, SHORT_TTL_MS);
      await store().pluginKv.set('p', 'long', 2, 60_000);
      await store().pluginKv.set('p', 'forever', 3);
      expect(await store().pluginKv.get('p', 'short')).to.equal(1);
      await time().pass(PAST_SHORT_TTL_MS);
      expect(await store().pluginKv.get('p', 'short')).to.equal(undefined);
      expect(await store().pluginKv.get('p', 'long')).to.equal(2);
      expect(await store().pluginKv.get('p', 'forever')).to.equal(3);
    });

    it('drops the TTL when an entry is rewritten without one', async () => {
      await store().pluginKv.set('p', 'k', 'v1', SHORT_TTL_MS);
      await store().pluginKv.set('p', 'k', 'v2');
      await time().pass(PAST_SHORT_TTL_MS);
      expect(await store().pluginKv.get('p', 'k')).to.equal('v2');
    });
  });

  describe('lifecycle', () => {
    it('reports schema version 7 and answers ping', async () => {
      expect(await store().schemaVersion()).to.equal(7);
      await store().ping();
      expect(store().kind).to.be.oneOf(['embedded', 'redis']);
    });

    it('rejects invalid TTLs and non-integer increments', async () => {
      for (const attempt of [
        () => store().leases.acquire('s', 'h', 1, 0),
        () => store().counters.incr('c', 1.5, 1000),
        () => store().sticky.set('k', 'a', -5),
        () => store().pluginKv.set('p', 'k', 1, 0),
      ]) {
        let failed = false;
        try {
          await attempt();
        } catch (err) {
          failed = err instanceof RangeError;
        }
        expect(failed, attempt.toString()).to.equal(true);
      }
    });
  });
}
