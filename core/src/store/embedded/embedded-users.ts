/** Users (admins and portal users) in the embedded store's SQLite file. */
import type { Database } from 'better-sqlite3';
import type { UserRecord, UserRepository } from '../types.js';
import { SqliteDocuments } from './sqlite-documents.js';

/** {@link UserRepository} over the `users` table; `list()` is ordered by username. */
export class EmbeddedUsers implements UserRepository {
  private readonly docs: SqliteDocuments<UserRecord>;

  constructor(db: Database) {
    this.docs = new SqliteDocuments<UserRecord>(db, { table: 'users', idColumn: 'username', idField: 'username' });
  }

  async put(record: UserRecord): Promise<void> {
    this.docs.put(record);
  }

  async get(username: string): Promise<UserRecord | undefined> {
    return this.docs.get(username);
  }

  async list(): Promise<UserRecord[]> {
    return this.docs.list().sort((a, b) => (a.username < b.username ? -1 : a.username > b.username ? 1 : 0));
  }

  async delete(username: string): Promise<boolean> {
    return this.docs.delete(username);
  }
}
