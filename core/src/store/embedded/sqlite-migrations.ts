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
  {
    version: 2,
    description: 'create usage aggregate and price book version tables',
    up(db) {
      db.exec(`
        CREATE TABLE usage_aggregates (
          period TEXT NOT NULL,
          scope TEXT NOT NULL,
          expires_at INTEGER,
          requests INTEGER NOT NULL DEFAULT 0,
          errors INTEGER NOT NULL DEFAULT 0,
          input_tokens INTEGER NOT NULL DEFAULT 0,
          output_tokens INTEGER NOT NULL DEFAULT 0,
          cache_write_5m_tokens INTEGER NOT NULL DEFAULT 0,
          cache_write_1h_tokens INTEGER NOT NULL DEFAULT 0,
          cache_read_tokens INTEGER NOT NULL DEFAULT 0,
          cost_micros INTEGER NOT NULL DEFAULT 0,
          rated_cost_micros INTEGER NOT NULL DEFAULT 0,
          PRIMARY KEY (period, scope)
        );
        CREATE INDEX usage_aggregates_expires ON usage_aggregates (expires_at) WHERE expires_at IS NOT NULL;
        CREATE TABLE price_book_versions (
          version INTEGER PRIMARY KEY,
          digest TEXT NOT NULL,
          created_at TEXT NOT NULL,
          data TEXT NOT NULL
        );
      `);
    },
  },
  {
    version: 3,
    description: 'create quota card batch, card and redemption tables',
    up(db) {
      db.exec(`
        CREATE TABLE card_batches (
          id TEXT PRIMARY KEY,
          data TEXT NOT NULL
        );
        CREATE TABLE cards (
          id TEXT PRIMARY KEY,
          hash TEXT NOT NULL UNIQUE,
          batch_id TEXT NOT NULL,
          data TEXT NOT NULL
        );
        CREATE INDEX cards_batch ON cards (batch_id);
        CREATE TABLE card_redemptions (
          id TEXT PRIMARY KEY,
          key_id TEXT NOT NULL,
          batch_id TEXT NOT NULL,
          at_ms INTEGER NOT NULL,
          data TEXT NOT NULL
        );
        CREATE INDEX card_redemptions_at ON card_redemptions (at_ms);
        CREATE INDEX card_redemptions_key ON card_redemptions (key_id, at_ms);
        CREATE INDEX card_redemptions_batch ON card_redemptions (batch_id, at_ms);
      `);
    },
  },
  {
    version: 4,
    description: 'admins become users with role admin (users table replaces admins)',
    up(db) {
      db.exec(`
        CREATE TABLE users (
          username TEXT PRIMARY KEY,
          data TEXT NOT NULL
        );
        INSERT INTO users (username, data)
          SELECT username, json_set(data, '$.role', 'admin', '$.source', 'local', '$.enabled', json('true')) FROM admins;
        DROP TABLE admins;
      `);
    },
  },
  {
    version: 5,
    description: 'create the account check history table',
    up(db) {
      db.exec(`
        CREATE TABLE account_checks (
          seq INTEGER PRIMARY KEY AUTOINCREMENT,
          account_id TEXT NOT NULL,
          data TEXT NOT NULL
        );
        CREATE INDEX account_checks_account ON account_checks (account_id, seq);
      `);
    },
  },
  {
    version: 6,
    description: "index usage records by account and the failed ones by time (the request log's filters)",
    up(db) {
      // The expressions must stay the text embedded-usage.ts queries with, or SQLite ignores the indexes.
      db.exec(`
        CREATE INDEX usage_records_account_at ON usage_records (json_extract(data, '$.accountId'), at_ms);
        CREATE INDEX usage_records_errors_at ON usage_records (at_ms)
          WHERE (json_extract(data, '$.status') >= 400 OR json_extract(data, '$.incomplete') = 1);
      `);
    },
  },
  {
    version: 7,
    description:
      "usage summary rankings read the aggregates' primary key (period, scope) grouped by scope (no change; version kept in step with the redis store)",
    up() {},
  },
];
