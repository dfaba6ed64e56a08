/** Usage records in the embedded store's SQLite file. */
import type { Database, Statement } from 'better-sqlite3';
import type { UsageRecord } from '../../plugin-api/index.js';
import type { UsageQuery, UsageRepository } from '../types.js';
import { DEFAULT_USAGE_LIMIT, decodeJson, encodeJson, queryTimeMs, usageTimeMs } from '../records.js';

/** Rows per multi-row INSERT (4 parameters each; SQLite allows 32,766). */
const ROWS_PER_INSERT = 32;

/**
 * {@link UsageRepository} over the `usage_records` table, indexed by time and by key.
 * Appending a record whose id exists is a no-op (appends are idempotent). Retention
 * (deleting old raw records) is the usage module's job, not the store's.
 */
export class EmbeddedUsage implements UsageRepository {
  private readonly insertOne: Statement;
  /** Inserts {@link ROWS_PER_INSERT} rows in one statement: a third fewer steps into SQLite per record. */
  private readonly insertMany: Statement;
  /** One transaction per batch, built once (better-sqlite3 builds a wrapper per `transaction()` call). */
  private readonly insertAll: (values: readonly unknown[]) => void;
  /** Prepared queries by SQL text (a handful: one per combination of filters). */
  private readonly queries = new Map<string, Statement>();

  constructor(private readonly db: Database) {
    const insert = 'INSERT OR IGNORE INTO usage_records (id, at_ms, key_id, data) VALUES ';
    this.insertOne = db.prepare(`${insert}(?, ?, ?, ?)`);
    this.insertMany = db.prepare(insert + Array.from({ length: ROWS_PER_INSERT }, () => '(?, ?, ?, ?)').join(', '));
    this.insertAll = db.transaction((values: readonly unknown[]) => {
      const whole = values.length - (values.length % (ROWS_PER_INSERT * 4));
      for (let i = 0; i < whole; i += ROWS_PER_INSERT * 4) this.insertMany.run(values.slice(i, i + ROWS_PER_INSERT * 4));
      for (let i = whole; i < values.length; i += 4) this.insertOne.run(values[i], values[i + 1], values[i + 2], values[i + 3]);
    });
  }

  async append(records: readonly UsageRecord[]): Promise<void> {
    if (records.length === 0) return;
    const values: unknown[] = [];
    for (const record of records) values.push(record.id, usageTimeMs(record), record.keyId, encodeJson(record));
    this.insertAll(values);
  }

  async list(query: UsageQuery = {}): Promise<UsageRecord[]> {
    const limit = query.limit ?? DEFAULT_USAGE_LIMIT;
    if (limit <= 0) return [];
    const { where, params } = this.filter(query);
    const sql = `SELECT data FROM usage_records ${where} ORDER BY at_ms DESC, seq DESC LIMIT ?`;
    const rows = this.query(sql).all(...params, Math.floor(limit)) as string[];
    return rows.map((json) => decodeJson<UsageRecord>(json));
  }

  async count(query: Omit<UsageQuery, 'limit'> = {}): Promise<number> {
    const { where, params } = this.filter(query);
    return this.query(`SELECT COUNT(*) FROM usage_records ${where}`).get(...params) as number;
  }

  private query(sql: string): Statement {
    let statement = this.queries.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare(sql).pluck();
      this.queries.set(sql, statement);
    }
    return statement;
  }

  private filter(query: Omit<UsageQuery, 'limit'>): { where: string; params: unknown[] } {
    const clauses: string[] = [];
    const params: unknown[] = [];
    if (query.keyId !== undefined) {
      clauses.push('key_id = ?');
      params.push(query.keyId);
    }
    const since = queryTimeMs('since', query.since);
    if (since !== undefined) {
      clauses.push('at_ms >= ?');
      params.push(since);
    }
    const until = queryTimeMs('until', query.until);
    if (until !== undefined) {
      clauses.push('at_ms < ?');
      params.push(until);
    }
    return { where: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
  }
}
