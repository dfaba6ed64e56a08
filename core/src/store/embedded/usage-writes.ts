/**
 * The embedded store's usage writes as prepared statements over one SQLite connection:
 * request-log rows, aggregate upserts and the retention deletes. They are the writes
 * that grow with traffic, so a file-backed store runs them on a thread of their own
 * (see usage-writer.ts); an in-memory store runs them inline. Each write takes flat
 * values (cheap to hand to another thread) and returns how many rows it changed.
 */
import type { Database } from 'better-sqlite3';
import type { UsageTotals } from '../types.js';

/** Rows per multi-row INSERT (4 parameters each; SQLite allows 32,766). */
const ROWS_PER_INSERT = 32;

/** Values per request-log row: id, at_ms, key_id, data (the record's JSON). */
export const USAGE_ROW_VALUES = 4;

/** Aggregate counters: field of {@link UsageTotals} and its column in `usage_aggregates`. */
export const AGGREGATE_COLUMNS = [
  ['requests', 'requests'],
  ['errors', 'errors'],
  ['inputTokens', 'input_tokens'],
  ['outputTokens', 'output_tokens'],
  ['cacheWrite5mTokens', 'cache_write_5m_tokens'],
  ['cacheWrite1hTokens', 'cache_write_1h_tokens'],
  ['cacheReadTokens', 'cache_read_tokens'],
  ['costMicros', 'cost_micros'],
  ['ratedCostMicros', 'rated_cost_micros'],
] as const satisfies readonly (readonly [keyof UsageTotals, string])[];

/** Values per aggregate row: period, scope, expires_at (or null), then the counters in {@link AGGREGATE_COLUMNS} order. */
export const AGGREGATE_ROW_VALUES = 3 + AGGREGATE_COLUMNS.length;

/** Rows deleted per retention statement, so a large purge never holds the write lock for long. */
const PURGE_CHUNK = 5000;
/** Chunks per purge at most (bounded loop); the next run continues. */
const MAX_PURGE_CHUNKS = 200;

/** The writes, by name; every one runs in a transaction of its own. */
export interface UsageWrites {
  /** Inserts request-log rows ({@link USAGE_ROW_VALUES} values each); an id already stored is skipped. */
  appendUsage(values: readonly unknown[]): number;
  /** Adds aggregate rows ({@link AGGREGATE_ROW_VALUES} values each) to the stored counters. */
  addAggregates(values: readonly unknown[]): number;
  /** Deletes request-log rows older than the given epoch ms, in chunks. */
  purgeUsageBefore(beforeMs: number): number;
  /** Deletes aggregate rows whose expiry is before the given epoch ms. */
  purgeExpiredAggregates(nowMs: number): number;
}

/** Name of one of the {@link UsageWrites}. */
export type UsageWriteName = keyof UsageWrites;

/** Prepares the usage writes on a connection (one set per connection). */
export function prepareUsageWrites(db: Database): UsageWrites {
  const insert = 'INSERT OR IGNORE INTO usage_records (id, at_ms, key_id, data) VALUES ';
  const insertOne = db.prepare(`${insert}(?, ?, ?, ?)`);
  // One statement for many rows: a third fewer steps into SQLite per record.
  const insertMany = db.prepare(insert + Array.from({ length: ROWS_PER_INSERT }, () => '(?, ?, ?, ?)').join(', '));
  const names = AGGREGATE_COLUMNS.map(([, column]) => column);
  const upsert = db.prepare(
    `INSERT INTO usage_aggregates (period, scope, expires_at, ${names.join(', ')})
     VALUES (?, ?, ?, ${names.map(() => '?').join(', ')})
     ON CONFLICT (period, scope) DO UPDATE SET
       expires_at = excluded.expires_at,
       ${names.map((n) => `${n} = ${n} + excluded.${n}`).join(',\n       ')}`,
  );
  const purgeUsage = db.prepare(
    `DELETE FROM usage_records WHERE seq IN (SELECT seq FROM usage_records WHERE at_ms < ? ORDER BY at_ms LIMIT ${PURGE_CHUNK})`,
  );
  const purgeAggregates = db.prepare('DELETE FROM usage_aggregates WHERE expires_at IS NOT NULL AND expires_at < ?');

  return {
    // better-sqlite3 builds a wrapper per transaction() call: built once here.
    appendUsage: db.transaction((values: readonly unknown[]) => {
      const perStatement = ROWS_PER_INSERT * USAGE_ROW_VALUES;
      const whole = values.length - (values.length % perStatement);
      let changes = 0;
      for (let i = 0; i < whole; i += perStatement) changes += insertMany.run(values.slice(i, i + perStatement)).changes;
      for (let i = whole; i < values.length; i += USAGE_ROW_VALUES)
        changes += insertOne.run(values.slice(i, i + USAGE_ROW_VALUES)).changes;
      return changes;
    }),
    addAggregates: db.transaction((values: readonly unknown[]) => {
      for (let i = 0; i < values.length; i += AGGREGATE_ROW_VALUES) upsert.run(values.slice(i, i + AGGREGATE_ROW_VALUES));
      return values.length / AGGREGATE_ROW_VALUES;
    }),
    purgeUsageBefore: (beforeMs: number) => {
      let total = 0;
      for (let i = 0; i < MAX_PURGE_CHUNKS; i++) {
        const deleted = purgeUsage.run(beforeMs).changes;
        total += deleted;
        if (deleted < PURGE_CHUNK) break;
      }
      return total;
    },
    purgeExpiredAggregates: (nowMs: number) => purgeAggregates.run(nowMs).changes,
  };
}

/** Runs one of the writes by name (what the writer thread receives). */
export function runUsageWrite(writes: UsageWrites, name: UsageWriteName, arg: unknown): number {
  switch (name) {
    case 'appendUsage':
      return writes.appendUsage(arg as unknown[]);
    case 'addAggregates':
      return writes.addAggregates(arg as unknown[]);
    case 'purgeUsageBefore':
      return writes.purgeUsageBefore(arg as number);
    case 'purgeExpiredAggregates':
      return writes.purgeExpiredAggregates(arg as number);
    default:
      throw new Error(`unknown usage write: ${String(name)}`);
  }
}
