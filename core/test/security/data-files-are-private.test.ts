/**
 * Issue 14, item 10 (file modes): the embedded store's data folder is 0700 and every file
 * in it that holds data or secrets (the database and its -wal/-shm, the usage journal,
 * the generated encryption key) is 0600, also for files an older version left readable:
 * those are tightened at start, with one warning.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import BetterSqlite3 from 'better-sqlite3';
import { createTestGateway } from '@switchyard/core/testing';
import { createEmbeddedStore } from '../../src/store/embedded/create-embedded-store.js';
import { resolveEncryptionKey } from '../../src/security/resolve-encryption-key.js';
import { UsageJournal } from '../../src/usage/usage-journal.js';
import { captureLogger } from '../auth/capture-logger.js';
import { tickPlugin } from '../fixtures/tick-plugin.js';
import { usageRecord } from '../store/conformance/fixtures.js';

const modeOf = (path: string): number => statSync(path).mode & 0o777;
const octal = (mode: number): string => `0${mode.toString(8)}`;

describe('the embedded store keeps its files private to the gateway user', function () {
  let root: string;
  let previousUmask: number;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'switchyard-modes-'));
    // The usual umask: without care, folders come out 0755 and files 0644.
    previousUmask = process.umask(0o022);
  });
  afterEach(() => {
    process.umask(previousUmask);
    rmSync(root, { recursive: true, force: true });
  });

  it('creates the data folder 0700 and the database, its -wal and -shm 0600', async () => {
    const dir = join(root, 'nested', 'data');
    const store = await createEmbeddedStore({ path: dir });
    try {
      await store.settings.set('motd', 'hello');
      await store.usage.append([usageRecord('r-1', Date.now())]);
      expect(octal(modeOf(dir)), 'data folder').to.equal('0700');
      for (const name of ['switchyard.db', 'switchyard.db-wal', 'switchyard.db-shm']) {
        expect(existsSync(join(dir, name)), name).to.equal(true);
        expect(octal(modeOf(join(dir, name))), name).to.equal('0600');
      }
    } finally {
      await store.close();
    }
  });

  it('creates the usage journal 0600 (in a 0700 folder when it has one of its own)', () => {
    const dir = join(root, 'journal');
    const { log } = captureLogger();
    const journal = UsageJournal.open(dir, log);
    journal.append(usageRecord('r-1', Date.now()));
    journal.close();
    expect(octal(modeOf(dir))).to.equal('0700');
    expect(octal(modeOf(join(dir, 'usage-journal-1.jsonl')))).to.equal('0600');
  });

  it('leaves the mode of an existing folder named as usage.journalPath alone (it may be shared)', () => {
    const shared = join(root, 'shared');
    mkdirSync(shared, { mode: 0o755 });
    chmodSync(shared, 0o755);
    const { log } = captureLogger();
    const journal = UsageJournal.open(shared, log);
    journal.append(usageRecord('r-1', Date.now()));
    journal.close();
    expect(octal(modeOf(shared))).to.equal('0755');
    expect(octal(modeOf(join(shared, 'usage-journal-1.jsonl')))).to.equal('0600');
  });

  it('creates the generated encryption key 0600', async () => {
    const dir = join(root, 'data');
    const { log } = captureLogger();
    await resolveEncryptionKey({ storeKind: 'embedded', dataDir: dir, log });
    expect(octal(modeOf(join(dir, 'encryption.key')))).to.equal('0600');
    expect(octal(modeOf(dir))).to.equal('0700');
  });

  it('tightens a folder and files an older version left readable by others, and says so once', async () => {
    const dir = join(root, 'data');
    mkdirSync(dir, { mode: 0o755 });
    chmodSync(dir, 0o755);
    const old = new BetterSqlite3(join(dir, 'switchyard.db'));
    old.pragma('journal_mode = WAL');
    old.exec('CREATE TABLE leftover (x)');
    // Closing the last connection removes -wal/-shm; keep a second one open so they stay.
    const holder = new BetterSqlite3(join(dir, 'switchyard.db'));
    holder.prepare('SELECT 1').get();
    for (const name of ['switchyard.db', 'switchyard.db-wal', 'switchyard.db-shm']) chmodSync(join(dir, name), 0o644);
    // Not ours: left as it is.
    writeFileSync(join(dir, 'README.txt'), 'operator notes\n');
    chmodSync(join(dir, 'README.txt'), 0o644);

    const tg = await createTestGateway({ plugins: [tickPlugin], config: { store: { type: 'embedded', path: dir } } });
    try {
      expect(octal(modeOf(dir)), 'data folder').to.equal('0700');
      for (const name of ['switchyard.db', 'switchyard.db-wal', 'switchyard.db-shm']) {
        expect(octal(modeOf(join(dir, name))), name).to.equal('0600');
      }
      expect(octal(modeOf(join(dir, 'README.txt'))), 'a file of the operator').to.equal('0644');
      const warnings = tg.logs.filter(
        (line) => line['level'] === 'warn' && /permissions|readable by other/i.test(String(line['message'])),
      );
      expect(warnings, JSON.stringify(warnings)).to.have.length(1);
    } finally {
      await tg.close();
      holder.close();
      old.close();
    }
  });

  it('tightens a generated encryption key left readable by others', async () => {
    const dir = join(root, 'data');
    mkdirSync(dir, { mode: 0o700 });
    writeFileSync(join(dir, 'encryption.key'), `${'k'.repeat(64)}\n`, { mode: 0o644 });
    chmodSync(join(dir, 'encryption.key'), 0o644);
    const { log, lines } = captureLogger();
    await resolveEncryptionKey({ storeKind: 'embedded', dataDir: dir, log });
    expect(octal(modeOf(join(dir, 'encryption.key')))).to.equal('0600');
    expect(lines.filter((line) => line.level === 'warn')).to.have.length(1);
  });
});
