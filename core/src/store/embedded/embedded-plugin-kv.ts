/** Plugin key/value storage in the embedded store's SQLite file. */
import { systemClock, type Clock } from '../../time/clock.js';
import type { Database, Statement } from 'better-sqlite3';
import type { PluginKvRepository } from '../types.js';
import { assertTtlMs, decodeJson, encodeJson } from '../records.js';

/**
 * {@link PluginKvRepository} over the `plugin_kv` table. An entry written with a TTL
 * stores `expires_at` (epoch ms); once past it the entry reads as absent and is deleted
 * on that read, or by {@link EmbeddedPluginKv.purgeExpired} (the store's sweep).
 */
export class EmbeddedPluginKv implements PluginKvRepository {
  private readonly getStmt: Statement;
  private readonly setStmt: Statement;
  private readonly deleteStmt: Statement;
  private readonly deleteExpiredOneStmt: Statement;
  private readonly purgeStmt: Statement;

  constructor(
    db: Database,
    private readonly clock: Clock = systemClock,
  ) {
    this.getStmt = db.prepare('SELECT value, expires_at AS expiresAt FROM plugin_kv WHERE namespace = ? AND key = ?');
    this.setStmt = db.prepare(`INSERT INTO plugin_kv (namespace, key, value, expires_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (namespace, key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at`);
    this.deleteStmt = db.prepare('DELETE FROM plugin_kv WHERE namespace = ? AND key = ?');
    this.deleteExpiredOneStmt = db.prepare('DELETE FROM plugin_kv WHERE namespace = ? AND key = ? AND expires_at <= ?');
    this.purgeStmt = db.prepare('DELETE FROM plugin_kv WHERE expires_at IS NOT NULL AND expires_at <= ?');
  }

  async get<T = unknown>(namespace: string, key: string): Promise<T | undefined> {
    const row = this.getStmt.get(namespace, key) as { value: string; expiresAt: number | null } | undefined;
    if (row === undefined) return undefined;
    const now = this.clock.now();
    if (row.expiresAt !== null && row.expiresAt <= now) {
      this.deleteExpiredOneStmt.run(namespace, key, now);
      return undefined;
    }
    return decodeJson<T>(row.value);
  }

  async set(namespace: string, key: string, value: unknown, ttlMs?: number): Promise<void> {
    if (value === undefined) {
      this.deleteStmt.run(namespace, key);
      return;
    }
    if (ttlMs !== undefined) assertTtlMs(ttlMs);
    this.setStmt.run(namespace, key, encodeJson(value), ttlMs === undefined ? null : this.clock.now() + ttlMs);
  }

  async delete(namespace: string, key: string): Promise<void> {
    this.deleteStmt.run(namespace, key);
  }

  /** Deletes every expired entry; returns how many went. */
  purgeExpired(now = this.clock.now()): number {
    return this.purgeStmt.run(now).changes;
  }
}
