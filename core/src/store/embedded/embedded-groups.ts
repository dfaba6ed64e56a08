/** Account groups in the embedded store's SQLite file. */
import type { Database } from 'better-sqlite3';
import type { GroupRecord, GroupRepository } from '../types.js';
import { compareCreated } from '../records.js';
import { SqliteDocuments } from './sqlite-documents.js';

/** {@link GroupRepository} over the `account_groups` table. */
export class EmbeddedGroups implements GroupRepository {
  private readonly docs: SqliteDocuments<GroupRecord>;

  constructor(db: Database) {
    this.docs = new SqliteDocuments<GroupRecord>(db, { table: 'account_groups', idColumn: 'id', idField: 'id' });
  }

  async put(record: GroupRecord): Promise<void> {
    this.docs.put(record);
  }

  async get(id: string): Promise<GroupRecord | undefined> {
    return this.docs.get(id);
  }

  async list(): Promise<GroupRecord[]> {
    return this.docs.list().sort(compareCreated);
  }

  async delete(id: string): Promise<boolean> {
    return this.docs.delete(id);
  }
}
