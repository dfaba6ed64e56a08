/**
 * Opens the embedded store's SQLite file: creates its directory, sets WAL and
 * synchronous=NORMAL, and runs pending schema migrations.
 */
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { Database } from 'better-sqlite3';
import { pendingMigrations, type Migration } from '../migrations.js';
import { SQLITE_MIGRATIONS } from './sqlite-migrations.js';
import { createPrivateFile, securePrivateDir } from './private-files.js';

/** Name of the database file inside the embedded store's data directory. */
export const SQLITE_FILE_NAME = 'switchyard.db';

/** Page size of a new database file, in bytes. */
const PAGE_SIZE = 16_384;

/** `path` value that keeps the database in memory (tests). */
export const IN_MEMORY_PATH = ':memory:';

/**
 * Opens (creating if needed, with 16 KiB pages) `<dir>/switchyard.db`, or an in-memory
 * database for `':memory:'`, and migrates it to the newest schema. The folder is made
 * 0700 and the files in it 0600 first (see private-files.ts); `onTightened` hears of
 * those that were looser.
 *
 * @example
 * ```ts
 * const db = openSqliteDatabase('./data');
 * ```
 * @throws StoreSchemaError when the file was written by a newer Switchyard.
 */
export function openSqliteDatabase(
  dir: string,
  migrations: readonly Migration<Database>[] = SQLITE_MIGRATIONS,
  onTightened?: (paths: string[]) => void,
): Database {
  let file = IN_MEMORY_PATH;
  if (dir !== IN_MEMORY_PATH) {
    const tightened = securePrivateDir(dir);
    file = join(dir, SQLITE_FILE_NAME);
    // Created 0600 before SQLite opens it: SQLite would create it 0644, and its -wal and -shm like it.
    createPrivateFile(file);
    if (tightened.length > 0) onTightened?.(tightened);
  }
  const db = new BetterSqlite3(file);
  try {
    // Takes effect for a new file only (an existing one keeps its page size). 16 KiB pages:
    // a batch of usage rows is a quarter of the WAL frames and write calls of 4 KiB pages,
    // about a quarter less CPU per stored record (bench/README.md).
    db.pragma(`page_size = ${PAGE_SIZE}`);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrateSqlite(db, file, migrations);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/** The schema version recorded in the `meta` table (0 for a new database). */
export function readSqliteSchemaVersion(db: Database): number {
  const row = db.prepare(`SELECT value FROM meta WHERE key = 'schema_version'`).get() as { value: string } | undefined;
  return row === undefined ? 0 : Number(row.value);
}

function migrateSqlite(db: Database, file: string, migrations: readonly Migration<Database>[]): void {
  db.exec('CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
  const setVersion = db.prepare(`INSERT INTO meta (key, value) VALUES ('schema_version', ?)
    ON CONFLICT (key) DO UPDATE SET value = excluded.value`);
  const label = `embedded store (${file})`;
  // IMMEDIATE: a second process opening the same file waits instead of migrating twice.
  const step = db.transaction((migration: Migration<Database>) => {
    if (readSqliteSchemaVersion(db) >= migration.version) return;
    const result = migration.up(db);
    if (result instanceof Promise) throw new Error(`${label}: SQLite migration ${migration.version} must be synchronous`);
    setVersion.run(String(migration.version));
  });
  for (const migration of pendingMigrations(label, readSqliteSchemaVersion(db), migrations)) {
    step.immediate(migration);
  }
}
