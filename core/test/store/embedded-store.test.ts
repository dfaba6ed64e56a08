import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { expect } from 'chai';
import { createStore } from '../../src/store/create-store.js';
import { createEmbeddedStore } from '../../src/store/embedded/create-embedded-store.js';
import { SQLITE_FILE_NAME } from '../../src/store/embedded/sqlite-database.js';
import { accountRecord, keyRecord, rejectsWith, usageRecord, wait } from './conformance/fixtures.js';
import { describeStoreConformance } from './store-conformance.js';

describeStoreConformance('embedded', () => createEmbeddedStore({ path: ':memory:' }));

describe('embedded store on disk', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'switchyard-store-'));
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates the directory and a WAL database file in it', async () => {
    const dataDir = join(dir, 'nested', 'data');
    const store = await createEmbeddedStore({ path: dataDir });
    await store.close();
    expect(existsSync(join(dataDir, SQLITE_FILE_NAME))).to.equal(true);
    const db = new BetterSqlite3(join(dataDir, SQLITE_FILE_NAME), { readonly: true });
    try {
      expect(db.pragma('journal_mode', { simple: true })).to.equal('wal');
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
      expect(await second.schemaVersion()).to.equal(2);
    } finally {
      await second.close();
    }
  });

  it('refuses a database written at a newer schema version', async () => {
    const store = await createEmbeddedStore({ path: dir });
    await store.close();
    const db = new BetterSqlite3(join(dir, SQLITE_FILE_NAME));
    db.prepare(`UPDATE meta SET value = '99' WHERE key = 'schema_version'`).run();
    db.close();
    const err = await rejectsWith(createEmbeddedStore({ path: dir }), 'StoreSchemaError');
    expect(err.message).to.match(/schema version 99/).and.match(/up to 2/);
  });

  it('deletes an expired plugin KV row when it is read', async () => {
    const store = await createEmbeddedStore({ path: dir });
    await store.pluginKv.set('p', 'k', 'v', 50);
    await wait(100);
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
    const store = await createEmbeddedStore({ path: dir, sweepIntervalMs: 50 });
    await store.pluginKv.set('p', 'k', 'v', 20);
    await wait(200);
    const db = new BetterSqlite3(join(dir, SQLITE_FILE_NAME), { readonly: true });
    try {
      expect(db.prepare('SELECT COUNT(*) FROM plugin_kv').pluck().get()).to.equal(0);
    } finally {
      db.close();
      await store.close();
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
