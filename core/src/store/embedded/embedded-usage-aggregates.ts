/** Usage aggregates in the embedded store's SQLite file (`usage_aggregates`, schema v2). */
import type { Database, Statement } from 'better-sqlite3';
import type { UsageAggregateDelta, UsageAggregateRepository, UsageTotals } from '../types.js';

const COLUMNS = [
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

interface Row extends Record<string, number | string | null> {
  period: string;
}

/**
 * {@link UsageAggregateRepository} over one SQLite table keyed by (period, scope): each
 * batch is one transaction of UPSERTs adding to the counters. Rows carry their expiry;
 * {@link purgeExpired} (run by the usage retention job) deletes the old ones.
 */
export class EmbeddedUsageAggregates implements UsageAggregateRepository {
  private readonly upsert: Statement;
  private readonly purge: Statement;
  private readonly scopesStmt: Statement;

  constructor(private readonly db: Database) {
    const names = COLUMNS.map(([, column]) => column);
    this.upsert = db.prepare(
      `INSERT INTO usage_aggregates (period, scope, expires_at, ${names.join(', ')})
       VALUES (?, ?, ?, ${names.map(() => '?').join(', ')})
       ON CONFLICT (period, scope) DO UPDATE SET
         expires_at = excluded.expires_at,
         ${names.map((n) => `${n} = ${n} + excluded.${n}`).join(',\n         ')}`,
    );
    this.purge = db.prepare('DELETE FROM usage_aggregates WHERE expires_at IS NOT NULL AND expires_at < ?');
    this.scopesStmt = db.prepare('SELECT scope FROM usage_aggregates WHERE period = ? AND scope >= ? AND scope < ? ORDER BY scope').pluck();
  }

  async add(deltas: readonly UsageAggregateDelta[]): Promise<void> {
    if (!deltas.length) return;
    this.db.transaction(() => {
      for (const delta of deltas) {
        this.upsert.run(delta.period, delta.scope, delta.expiresAtMs ?? null, ...COLUMNS.map(([field]) => delta.totals[field]));
      }
    })();
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

  async purgeExpired(nowMs: number): Promise<number> {
    return this.purge.run(nowMs).changes;
  }
}
