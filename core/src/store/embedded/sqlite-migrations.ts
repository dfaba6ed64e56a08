/**
 * The embedded store's SQLite schema, as an ordered list of forward migrations.
 *
 * To change the schema, append a migration (`version: 2`, …) with the DDL/DML that
 * brings a version-1 database to version 2; never edit a migration that has shipped.
 * Each migration runs in its own transaction together with the version bump.
 */
import type { Database } from 'better-sqlite3';
import type { Migration } from '../migrations.js';

/** Every schema step of the SQLite file, oldest first. */
export const SQLITE_MIGRATIONS: readonly Migration<Database>[] = [
  {
    version: 1,
    description: 'create entity, usage, settings and plugin kv tables',
    up(db) {
      db.exec(`
        CREATE TABLE api_keys (
          id TEXT PRIMARY KEY,
          hash TEXT NOT NULL UNIQUE,
          data TEXT NOT NULL
        );
        CREATE TABLE accounts (
          id TEXT PRIMARY KEY,
          data TEXT NOT NULL
        );
        CREATE TABLE account_groups (
          id TEXT PRIMARY KEY,
          data TEXT NOT NULL
        );
        CREATE TABLE admins (
          username TEXT PRIMARY KEY,
          data TEXT NOT NULL
        );
        CREATE TABLE usage_records (
          seq INTEGER PRIMARY KEY AUTOINCREMENT,
          id TEXT NOT NULL UNIQUE,
          at_ms INTEGER NOT NULL,
          key_id TEXT NOT NULL,
          data TEXT NOT NULL
        );
        CREATE INDEX usage_records_at ON usage_records (at_ms);
        CREATE INDEX usage_records_key_at ON usage_records (key_id, at_ms);
        CREATE TABLE settings (
          name TEXT PRIMARY KEY,
          value TEXT NOT NULL
        );
        CREATE TABLE plugin_kv (
          namespace TEXT NOT NULL,
          key TEXT NOT NULL,
          value TEXT NOT NULL,
          expires_at INTEGER,
          PRIMARY KEY (namespace, key)
        );
        CREATE INDEX plugin_kv_expires ON plugin_kv (expires_at) WHERE expires_at IS NOT NULL;
      `);
    },
  },
];
