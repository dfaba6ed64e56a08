/** Client API keys in the embedded store's SQLite file. */
import type { Database } from 'better-sqlite3';
import type { KeyRecord, KeyRepository } from '../types.js';
import { compareCreated } from '../records.js';
import { SqliteDocuments } from './sqlite-documents.js';

/** {@link KeyRepository} over the `api_keys` table (unique `hash` column). */
export class EmbeddedKeys implements KeyRepository {
  private readonly docs: SqliteDocuments<KeyRecord>;

  constructor(db: Database) {
    this.docs = new SqliteDocuments<KeyRecord>(db, {
      table: 'api_keys',
      idColumn: 'id',
      idField: 'id',
      unique: { column: 'hash', field: 'hash' },
    });
  }

  async create(record: KeyRecord): Promise<void> {
    this.docs.create(record);
  }

  async get(id: string): Promise<KeyRecord | undefined> {
    return this.docs.get(id);
  }

  async findByHash(hash: string): Promise<KeyRecord | undefined> {
    return this.docs.findByUnique(hash);
  }

  async list(): Promise<KeyRecord[]> {
    return this.docs.list().sort(compareCreated);
  }

  async update(id: string, patch: Partial<Omit<KeyRecord, 'id'>>): Promise<KeyRecord | undefined> {
    return this.docs.update(id, patch);
  }

  async delete(id: string): Promise<boolean> {
    return this.docs.delete(id);
  }
}
