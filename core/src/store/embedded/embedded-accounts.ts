/** Upstream accounts in the embedded store's SQLite file. */
import type { Database } from 'better-sqlite3';
import type { AccountRecord, AccountRepository } from '../types.js';
import { compareCreated } from '../records.js';
import { SqliteDocuments } from './sqlite-documents.js';

/** {@link AccountRepository} over the `accounts` table. */
export class EmbeddedAccounts implements AccountRepository {
  private readonly docs: SqliteDocuments<AccountRecord>;

  constructor(db: Database) {
    this.docs = new SqliteDocuments<AccountRecord>(db, { table: 'accounts', idColumn: 'id', idField: 'id' });
  }

  async create(record: AccountRecord): Promise<void> {
    this.docs.create(record);
  }

  async get(id: string): Promise<AccountRecord | undefined> {
    return this.docs.get(id);
  }

  async list(): Promise<AccountRecord[]> {
    return this.docs.list().sort(compareCreated);
  }

  async update(id: string, patch: Partial<Omit<AccountRecord, 'id'>>): Promise<AccountRecord | undefined> {
    return this.docs.update(id, patch);
  }

  async delete(id: string): Promise<boolean> {
    return this.docs.delete(id);
  }
}
