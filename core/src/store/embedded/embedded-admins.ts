/** Admin users in the embedded store's SQLite file. */
import type { Database } from 'better-sqlite3';
import type { AdminRecord, AdminRepository } from '../types.js';
import { SqliteDocuments } from './sqlite-documents.js';

/** {@link AdminRepository} over the `admins` table; `list()` is ordered by username. */
export class EmbeddedAdmins implements AdminRepository {
  private readonly docs: SqliteDocuments<AdminRecord>;

  constructor(db: Database) {
    this.docs = new SqliteDocuments<AdminRecord>(db, { table: 'admins', idColumn: 'username', idField: 'username' });
  }

  async put(record: AdminRecord): Promise<void> {
    this.docs.put(record);
  }

  async get(username: string): Promise<AdminRecord | undefined> {
    return this.docs.get(username);
  }

  async list(): Promise<AdminRecord[]> {
    return this.docs.list().sort((a, b) => (a.username < b.username ? -1 : a.username > b.username ? 1 : 0));
  }

  async delete(username: string): Promise<boolean> {
    return this.docs.delete(username);
  }
}
