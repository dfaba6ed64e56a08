/** Usage aggregates in the embedded store's SQLite file (`usage_aggregates`, schema v2). */
import type { Database, Statement } from 'better-sqlite3';
import type { ScopeRank, UsageAggregateDelta, UsageAggregateRepository, UsageTotals } from '../types.js';
import type { UsageWriter } from './usage-writer.js';
import { AGGREGATE_COLUMNS as COLUMNS } from './usage-writes.js';

/** Scopes per query of {@link EmbeddedUsageAggregates.sumScopes}. */
const SCOPES_PER_QUERY = 2000;

interface Row extends Record<string, number | string | null> {
  period: string;
}

/**
 * {@link UsageAggregateRepository} over one SQLite table keyed by (period, scope): each
 * batch is one transaction of UPSERTs adding to the counters, run by the store's
 * {@link UsageWriter}. Rows carry their expiry; {@link purgeExpired} (run by the usage
 * retention job) deletes the old ones.
 */
export class EmbeddedUsageAggregates implements UsageAggregateRepository {
  private readonly scopesStmt: Statement;

  constructor(
    private readonly db: Database,
    private readonly writer: UsageWriter,
  ) {
    this.scopesStmt = db
      .prepare('SELECT scope FROM usage_aggregates WHERE period = ? AND scope >= ? AND scope < ? ORDER BY scope')
      .pluck();
  }

  async add(deltas: readonly UsageAggregateDelta[]): Promise<void> {
    if (!deltas.length) return;
    const values: unknown[] = [];
    for (const delta of deltas) {
      values.push(delta.period, delta.scope, delta.expiresAtMs ?? null);
      for (const [field] of COLUMNS) values.push(delta.totals[field]);
    }
    await this.writer.run('addAggregates', values);
  }

  async get(scope: string, periods: readonly string[]): Promise<Map<string, UsageTotals>> {
    const out = new Map<string, UsageTotals>();
    if (!periods.length) return out;
    const sql = `SELECT period, ${COLUMNS.map(([, c]) => c).join(', ')} FROM usage_aggregates
      WHERE scope = ? AND period IN (${periods.map(() => '?').join(', ')})`;
    for (const row of this.db.prepare(sql).all(scope, ...periods) as Row[]) {
      const totals = {} as UsageTotals;
      for (const [field, column] of COLUMNS) totals[field] = Number(row[column] ?? 0);
      out.set(row.period, totals);
    }
    return out;
  }

  async scopes(period: string, prefix = ''): Promise<string[]> {
    return this.scopesStmt.all(period, prefix, `${prefix}\uffff`) as string[];
  }

  async scopeRanks(prefix: string, periods: readonly string[]): Promise<Map<string, ScopeRank>> {
    if (!periods.length) return new Map();
    // The primary key (period, scope) bounds the read to the prefix's rows of each period.
    const sql = `SELECT scope, SUM(cost_micros), SUM(requests) FROM usage_aggregates
      WHERE period IN (${periods.map(() => '?').join(', ')}) AND scope >= ? AND scope < ? GROUP BY scope`;
    const rows = this.db
      .prepare(sql)
      .raw()
      .all(...periods, prefix, `${prefix}\uffff`) as [string, number, number][];
    return new Map(rows.map(([scope, cost, requests]) => [scope, { costMicros: Number(cost), requests: Number(requests) }]));
  }

  async sumScopes(scopes: readonly string[], periods: readonly string[]): Promise<Map<string, UsageTotals>> {
    const out = new Map<string, UsageTotals>();
    if (!scopes.length || !periods.length) return out;
    // Chunked: SQLite bounds the number of parameters of one statement.
    for (let i = 0; i < scopes.length; i += SCOPES_PER_QUERY) {
      const chunk = scopes.slice(i, i + SCOPES_PER_QUERY);
      const sql = `SELECT scope, ${COLUMNS.map(([, c]) => `SUM(${c}) AS ${c}`).join(', ')} FROM usage_aggregates
        WHERE period IN (${periods.map(() => '?').join(', ')}) AND scope IN (${chunk.map(() => '?').join(', ')})
        GROUP BY scope`;
      for (const row of this.db.prepare(sql).all(...periods, ...chunk) as (Row & { scope: string })[]) {
        const totals = {} as UsageTotals;
        for (const [field, column] of COLUMNS) totals[field] = Number(row[column] ?? 0);
        out.set(row.scope, totals);
      }
    }
    return out;
  }

  purgeExpired(nowMs: number): Promise<number> {
    return this.writer.run('purgeExpiredAggregates', nowMs);
  }
}
