/**
 * A table of JSON documents keyed by id, with an optional unique secondary column
 * (the key hash). The entity repositories of the embedded store are thin typings of it.
 */
import type { Database, Statement } from 'better-sqlite3';
import { StoreConflictError } from '../types.js';
import { decodeJson, encodeJson, mergePatch } from '../records.js';

/** Where a document collection lives in SQLite. */
export interface SqliteDocumentsOptions<T> {
  /** Table with columns `<idColumn> TEXT PRIMARY KEY`, `data TEXT` (and the unique column). */
  readonly table: string;
  readonly idColumn: string;
  readonly idField: keyof T & string;
  /** A UNIQUE column mirroring one string field of the document. */
  readonly unique?: { readonly column: string; readonly field: keyof T & string };
}

/** CRUD over one SQLite table of JSON documents. */
export class SqliteDocuments<T extends object> {
  private readonly insertStmt: Statement;
  private readonly upsertStmt: Statement;
  private readonly getStmt: Statement;
  private readonly findStmt: Statement | undefined;
  private readonly listStmt: Statement;
  private readonly updateStmt: Statement;
  private readonly deleteStmt: Statement;

  constructor(
    private readonly db: Database,
    private readonly options: SqliteDocumentsOptions<T>,
  ) {
    const { table, idColumn, unique } = options;
    const columns = unique ? `${idColumn}, ${unique.column}, data` : `${idColumn}, data`;
    const values = unique ? '?, ?, ?' : '?, ?';
    this.insertStmt = db.prepare(`INSERT INTO ${table} (${columns}) VALUES (${values})`);
    this.upsertStmt = db.prepare(`INSERT OR REPLACE INTO ${table} (${columns}) VALUES (${values})`);
    this.getStmt = db.prepare(`SELECT data FROM ${table} WHERE ${idColumn} = ?`).pluck();
    this.findStmt = unique ? db.prepare(`SELECT data FROM ${table} WHERE ${unique.column} = ?`).pluck() : undefined;
    this.listStmt = db.prepare(`SELECT data FROM ${table}`).pluck();
    this.updateStmt = unique
      ? db.prepare(`UPDATE ${table} SET ${unique.column} = ?, data = ? WHERE ${idColumn} = ?`)
      : db.prepare(`UPDATE ${table} SET data = ? WHERE ${idColumn} = ?`);
    this.deleteStmt = db.prepare(`DELETE FROM ${table} WHERE ${idColumn} = ?`);
  }

  /** Inserts; a taken id or unique value raises `StoreConflictError`. */
  create(record: T): void {
    try {
      this.insertStmt.run(...this.row(record));
    } catch (err) {
      throw this.conflictOr(err, record);
    }
  }

  /** Inserts or replaces by id. */
  put(record: T): void {
    this.upsertStmt.run(...this.row(record));
  }

  get(id: string): T | undefined {
    return this.decode(this.getStmt.get(id));
  }

  /** Looks a document up by its unique column. */
  findByUnique(value: string): T | undefined {
    return this.findStmt ? this.decode(this.findStmt.get(value)) : undefined;
  }

  list(): T[] {
    return (this.listStmt.all() as string[]).map((json) => decodeJson<T>(json));
  }

  /**
   * Merges `patch` into the stored document; undefined when the id is absent. IMMEDIATE:
   * the write lock is taken before the read, so a commit by the usage writer's own
   * connection in between cannot make the upgrade fail (SQLITE_BUSY_SNAPSHOT); a busy
   * lock is waited for (busy_timeout).
   */
  update(id: string, patch: Partial<T>): T | undefined {
    return this.db
      .transaction(() => {
        const existing = this.get(id);
        if (existing === undefined) return undefined;
        const next = mergePatch(existing, patch, this.options.idField);
        const unique = this.options.unique;
        try {
          if (unique) this.updateStmt.run(this.uniqueValue(next), encodeJson(next), id);
          else this.updateStmt.run(encodeJson(next), id);
        } catch (err) {
          throw this.conflictOr(err, next);
        }
        return next;
      })
      .immediate();
  }

  delete(id: string): boolean {
    return this.deleteStmt.run(id).changes > 0;
  }

  private row(record: T): unknown[] {
    const id = record[this.options.idField];
    if (typeof id !== 'string' || id === '')
      throw new TypeError(`store: ${this.options.table} record needs a string "${this.options.idField}"`);
    return this.options.unique ? [id, this.uniqueValue(record), encodeJson(record)] : [id, encodeJson(record)];
  }

  private uniqueValue(record: T): string {
    const field = this.options.unique!.field;
    const value = record[field];
    if (typeof value !== 'string') throw new TypeError(`store: ${this.options.table} record needs a string "${field}"`);
    return value;
  }

  private decode(json: unknown): T | undefined {
    return typeof json === 'string' ? decodeJson<T>(json) : undefined;
  }

  private conflictOr(err: unknown, record: T): unknown {
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string' && (code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE')) {
      const id = String(record[this.options.idField]);
      return new StoreConflictError(
        `${this.options.table}: a record with the same ${this.options.idField}${this.options.unique ? ` or ${this.options.unique.field}` : ''} exists (${id})`,
      );
    }
    return err;
  }
}
