/** Runtime settings in the embedded store's SQLite file. */
import type { Database, Statement } from 'better-sqlite3';
import type { SettingsRepository } from '../types.js';
import { decodeJson, encodeJson } from '../records.js';

/** {@link SettingsRepository} over the `settings` table; setting `undefined` removes a setting. */
export class EmbeddedSettings implements SettingsRepository {
  private readonly getStmt: Statement;
  private readonly setStmt: Statement;
  private readonly deleteStmt: Statement;
  private readonly allStmt: Statement;

  constructor(db: Database) {
    this.getStmt = db.prepare('SELECT value FROM settings WHERE name = ?').pluck();
    this.setStmt = db.prepare(
      'INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value',
    );
    this.deleteStmt = db.prepare('DELETE FROM settings WHERE name = ?');
    this.allStmt = db.prepare('SELECT name, value FROM settings ORDER BY name');
  }

  async get<T = unknown>(name: string): Promise<T | undefined> {
    const json = this.getStmt.get(name) as string | undefined;
    return json === undefined ? undefined : decodeJson<T>(json);
  }

  async set(name: string, value: unknown): Promise<void> {
    if (value === undefined) this.deleteStmt.run(name);
    else this.setStmt.run(name, encodeJson(value));
  }

  async all(): Promise<Record<string, unknown>> {
    const out: Record<string, unknown> = {};
    for (const row of this.allStmt.all() as { name: string; value: string }[]) out[row.name] = decodeJson(row.value);
    return out;
  }
}
