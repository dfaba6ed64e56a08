/** Price book versions in the embedded store's SQLite file (`price_book_versions`, schema v2). */
import type { Database, Statement } from 'better-sqlite3';
import type { PriceTable } from '@switchyard/plugin-api';
import type { PriceBookRepository, PriceBookVersion } from '../types.js';

interface Row {
  version: number;
  digest: string;
  created_at: string;
  data?: string;
}

/** {@link PriceBookRepository} over SQLite; publishing is one IMMEDIATE transaction. */
export class EmbeddedPriceBooks implements PriceBookRepository {
  private readonly latest: Statement;
  private readonly insert: Statement;
  private readonly one: Statement;
  private readonly many: Statement;

  constructor(private readonly db: Database) {
    this.latest = db.prepare('SELECT version, digest FROM price_book_versions ORDER BY version DESC LIMIT 1');
    this.insert = db.prepare('INSERT INTO price_book_versions (version, digest, created_at, data) VALUES (?, ?, ?, ?)');
    this.one = db.prepare('SELECT version, digest, created_at, data FROM price_book_versions WHERE version = ?');
    this.many = db.prepare('SELECT version, digest, created_at FROM price_book_versions ORDER BY version DESC LIMIT ?');
  }

  async publish(digest: string, table: PriceTable, createdAt: string): Promise<number> {
    const step = this.db.transaction(() => {
      const latest = this.latest.get() as Row | undefined;
      if (latest?.digest === digest) return latest.version;
      const version = (latest?.version ?? 0) + 1;
      this.insert.run(version, digest, createdAt, JSON.stringify(table));
      return version;
    });
    return step.immediate();
  }

  async get(version: number): Promise<PriceBookVersion | undefined> {
    const row = this.one.get(version) as Row | undefined;
    if (!row) return undefined;
    return {
      version: row.version,
      digest: row.digest,
      createdAt: row.created_at,
      table: JSON.parse(row.data ?? '{}') as PriceTable,
    };
  }

  async list(limit = 50): Promise<Omit<PriceBookVersion, 'table'>[]> {
    return (this.many.all(Math.max(0, Math.floor(limit))) as Row[]).map((row) => ({
      version: row.version,
      digest: row.digest,
      createdAt: row.created_at,
    }));
  }
}
