import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { expect } from 'chai';
import { createStore } from '../../src/store/create-store.js';
import { createEmbeddedStore } from '../../src/store/embedded/create-embedded-store.js';
import { SQLITE_FILE_NAME } from '../../src/store/embedded/sqlite-database.js';
import { emptyTotals } from '../../src/store/usage-totals.js';
import { ManualClock, waitFor } from '@switchyard/core/testing';
import { accountRecord, keyRecord, rejectsWith, usageRecord } from './conformance/fixtures.js';
import { describeStoreConformance } from './store-conformance.js';

describeStoreConformance('embedded', (clock) => createEmbeddedStore({ path: ':memory:', ...(clock ? { clock } : {}) }), 'manual');

// On disk the usage writes run on a worker thread with a connection of its own.
describe('embedded store on disk', () => {
  const dirs: string[] = [];
  after(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  describeStoreConformance(
    'embedded (file)',
    (clock) => {
      const dir = mkdtempSync(join(tmpdir(), 'switchyard-conformance-'));
      dirs.push(dir);
      return createEmbeddedStore({ path: dir, ...(clock ? { clock } : {}) });
    },
    'manual',
  );
});

describe('embedded store on disk', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'switchyard-store-'));
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates the directory and a WAL database file with 16 KiB pages in it', async () => {
    const dataDir = join(dir, 'nested', 'data');
    const store = await createEmbeddedStore({ path: dataDir });
    await store.close();
    expect(existsSync(join(dataDir, SQLITE_FILE_NAME))).to.equal(true);
    const db = new BetterSqlite3(join(dataDir, SQLITE_FILE_NAME), { readonly: true });
    try {
      expect(db.pragma('journal_mode', { simple: true })).to.equal('wal');
      expect(db.pragma('page_size', { simple: true })).to.equal(16_384);
    } finally {
      db.close();
    }
  });

  it('keeps durable data across a reopen (and not ephemeral state)', async () => {
    const first = await createEmbeddedStore({ path: dir });
    await first.keys.create(keyRecord('k1'));
    await first.accounts.create(accountRecord('a1'));
    await first.usage.append([usageRecord('u1', Date.parse('2025-01-01T00:00:00Z'))]);
    await first.settings.set('s', { on: true });
    await first.pluginKv.set('p', 'k', 'v');
    await first.sticky.set('sess', 'a1', 60_000);
    await first.close();

    const second = await createEmbeddedStore({ path: dir });
    try {
      expect(await second.keys.findByHash('hash-k1')).to.deep.equal(keyRecord('k1'));
      expect(await second.accounts.get('a1')).to.deep.equal(accountRecord('a1'));
      expect(await second.usage.count()).to.equal(1);
      expect(await second.settings.get('s')).to.deep.equal({ on: true });
      expect(await second.pluginKv.get('p', 'k')).to.equal('v');
      expect(await second.sticky.get('sess')).to.equal(undefined);
      expect(await second.schemaVersion()).to.equal(7);
    } finally {
      await second.close();
    }
  });

  it('keeps the page size of a database file that exists', async () => {
    const legacy = new BetterSqlite3(join(dir, SQLITE_FILE_NAME));
    legacy.pragma('page_size = 4096');
    legacy.exec('CREATE TABLE earlier (x)');
    legacy.close();
    const store = await createEmbeddedStore({ path: dir });
    await store.usage.append([usageRecord('u1', Date.parse('2025-01-01T00:00:00Z'))]);
    expect(await store.usage.count()).to.equal(1);
    await store.close();
    const db = new BetterSqlite3(join(dir, SQLITE_FILE_NAME), { readonly: true });
    try {
      expect(db.pragma('page_size', { simple: true })).to.equal(4096);
    } finally {
      db.close();
    }
  });

  it('refuses a database written at a newer schema version', async () => {
    const store = await createEmbeddedStore({ path: dir });
    await store.close();
    const db = new BetterSqlite3(join(dir, SQLITE_FILE_NAME));
    db.prepare(`UPDATE meta SET value = '99' WHERE key = 'schema_version'`).run();
    db.close();
    const err = await rejectsWith(createEmbeddedStore({ path: dir }), 'StoreSchemaError');
    expect(err.message)
      .to.match(/schema version 99/)
      .and.match(/up to 7/);
  });

  it('deletes an expired plugin KV row when it is read', async () => {
    const clock = new ManualClock();
    const store = await createEmbeddedStore({ path: dir, clock });
    await store.pluginKv.set('p', 'k', 'v', 50);
    await clock.advance(50);
    expect(await store.pluginKv.get('p', 'k')).to.equal(undefined);
    await store.close();
    const db = new BetterSqlite3(join(dir, SQLITE_FILE_NAME), { readonly: true });
    try {
      expect(db.prepare('SELECT COUNT(*) FROM plugin_kv').pluck().get()).to.equal(0);
    } finally {
      db.close();
    }
  });

  it('purges expired ephemeral entries and plugin KV rows on its sweep', async () => {
    const clock = new ManualClock();
    const store = await createEmbeddedStore({ path: dir, sweepIntervalMs: 20, clock });
    await store.pluginKv.set('p', 'k', 'v', 20);
    await clock.advance(20);
    const db = new BetterSqlite3(join(dir, SQLITE_FILE_NAME), { readonly: true });
    try {
      // The sweep runs on a real timer and reads the injected clock: the row goes at its next pass.
      await waitFor(() => db.prepare('SELECT COUNT(*) FROM plugin_kv').pluck().get() === 0, { what: 'the sweep' });
    } finally {
      db.close();
      await store.close();
    }
  });

  it('writes usage on a thread of its own: the event loop keeps turning while a large batch is written', async () => {
    const store = await createEmbeddedStore({ path: dir });
    try {
      const at = Date.parse('2025-01-01T00:00:00Z');
      const batch = Array.from({ length: 20_000 }, (_, i) => usageRecord(`u${i}`, at + i));
      let turns = 0;
      let written = false;
      const spin = (): void => {
        turns++;
        if (!written) setImmediate(spin);
      };
      setImmediate(spin);
      await store.usage.append(batch);
      written = true;
      expect(turns).to.be.greaterThan(0);
      expect(await store.usage.count()).to.equal(20_000);
    } finally {
      await store.close();
    }
  });

  it("rejects a usage write the thread's SQLite refuses, and takes the next one", async () => {
    const store = await createEmbeddedStore({ path: dir });
    try {
      const at = Date.parse('2025-01-01T00:00:00Z');
      const unbindable = usageRecord('bad', at, { not: 'a string' } as unknown as string);
      const err = await rejectsWith(store.usage.append([unbindable]), 'TypeError');
      expect(err.message).to.match(/can only bind/);
      await store.usage.append([usageRecord('good', at)]);
      expect((await store.usage.list()).map((r) => r.id)).to.deep.equal(['good']);
    } finally {
      await store.close();
    }
  });

  it('close() finishes the usage writes already asked for, then refuses new ones', async () => {
    const store = await createEmbeddedStore({ path: dir });
    const at = Date.parse('2025-01-01T00:00:00Z');
    const appended = store.usage.append(Array.from({ length: 500 }, (_, i) => usageRecord(`u${i}`, at + i)));
    const aggregated = store.usageAggregates.add([{ scope: 'all', period: 'all', totals: { ...emptyTotals(), requests: 500 } }]);
    await store.close();
    await Promise.all([appended, aggregated]);
    await rejectsWith(store.usage.append([usageRecord('late', at)]), 'Error');

    const reopened = await createEmbeddedStore({ path: dir });
    try {
      expect(await reopened.usage.count()).to.equal(500);
      expect((await reopened.usageAggregates.get('all', ['all'])).get('all')?.requests).to.equal(500);
    } finally {
      await reopened.close();
    }
  });

  it('createStore resolves a relative path against baseDir', async () => {
    const store = await createStore({ type: 'embedded', path: 'data' }, { baseDir: dir });
    try {
      expect(store.kind).to.equal('embedded');
      expect(existsSync(join(dir, 'data', SQLITE_FILE_NAME))).to.equal(true);
    } finally {
      await store.close();
    }
  });
});
