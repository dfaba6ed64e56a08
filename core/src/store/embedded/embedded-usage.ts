/** Usage records in the embedded store's SQLite file. */
import type { Database, Statement } from 'better-sqlite3';
import type { UsageRecord } from '@switchyard/plugin-api';
import type { UsageQuery, UsageRepository } from '../types.js';
import {
  asciiLower,
  DEFAULT_USAGE_LIMIT,
  decodeJson,
  encodeJson,
  queryTimeMs,
  USAGE_SEARCH_FIELDS,
  usageTimeMs,
} from '../records.js';

/** A field of the stored JSON (the same text as the expression indexes of migration 6). */
const field = (name: string) => `json_extract(data, '$.${name}')`;

/** Failed or cut short: the same text as the partial index of migration 6, so it is used. */
const IS_ERROR = `(${field('status')} >= 400 OR ${field('incomplete')} = 1)`;

/** The searched fields joined into one text (a separator no search can span). */
const SEARCHED = `lower(${USAGE_SEARCH_FIELDS.map((name) => `coalesce(${field(name)}, '')`).join(' || char(31) || ')})`;
import type { UsageWriter } from './usage-writer.js';

/**
 * {@link UsageRepository} over the `usage_records` table, indexed by time and by key.
 * Appending a record whose id exists is a no-op (appends are idempotent). Rows are
 * inserted by the store's {@link UsageWriter} (a thread of its own for a file); reads
 * run here. Retention (deleting old raw records) is the usage module's job, not the store's.
 */
export class EmbeddedUsage implements UsageRepository {
  /** Prepared queries by SQL text (a handful: one per combination of filters). */
  private readonly queries = new Map<string, Statement>();

  constructor(
    private readonly db: Database,
    private readonly writer: UsageWriter,
  ) {}

  async append(records: readonly UsageRecord[]): Promise<void> {
    if (records.length === 0) return;
    const values: unknown[] = [];
    for (const record of records) values.push(record.id, usageTimeMs(record), record.keyId, encodeJson(record));
    await this.writer.run('appendUsage', values);
  }

  async storedIds(ids: readonly string[]): Promise<Set<string>> {
    const stored = new Set<string>();
    if (ids.length === 0) return stored;
    // One statement for any number of ids: they arrive as one JSON array.
    const found = this.query('SELECT id FROM usage_records WHERE id IN (SELECT value FROM json_each(?))').all(
      JSON.stringify(ids),
    ) as string[];
    for (const id of found) stored.add(id);
    return stored;
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
    if (query.accountId !== undefined) {
      clauses.push(`${field('accountId')} = ?`);
      params.push(query.accountId);
    }
    if (query.model !== undefined) {
      clauses.push(`? IN (${field('model')}, ${field('requestedModel')}, ${field('upstreamModel')})`);
      params.push(query.model);
    }
    if (query.outcome !== undefined) clauses.push(query.outcome === 'error' ? IS_ERROR : `coalesce(${IS_ERROR}, 0) = 0`);
    if (query.status !== undefined) {
      clauses.push(`${field('status')} = ?`);
      params.push(query.status);
    }
    if (query.client !== undefined) {
      clauses.push(`${field('client')} = ?`);
      params.push(query.client);
    }
    if (query.search) {
      clauses.push(`instr(${SEARCHED}, ?) > 0`);
      params.push(asciiLower(query.search));
    }
    return { where: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
  }
}
