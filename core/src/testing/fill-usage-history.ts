/**
 * Pre-fills a gateway's store with a usage history (request log records and the
 * aggregates they add up to), written in bulk through the store's own repositories (one
 * SQLite transaction or a few Redis script calls per batch) instead of through the HTTP
 * path: what the bench's `--usage-rows` and the scale tests use to give the admin and
 * the hot path months of usage to live beside.
 */
import Database from 'better-sqlite3';
import type { UsageRecord } from '@switchyard/plugin-api';
import type { GatewayConfig } from '../config/schema.js';
import type { Store, UsageAggregateDelta, UsageTotals } from '../store/types.js';
import { TimeBuckets } from '../usage/time-buckets.js';
import { addTotals } from '../store/usage-totals.js';
import { encodeJson } from '../store/records.js';
import { AGGREGATE_COLUMNS, prepareUsageWrites, type UsageWrites } from '../store/embedded/usage-writes.js';

/** Options of {@link fillUsageHistory}. */
export interface FillUsageHistoryOptions {
  /** Records to make, spread evenly over `spanMs` before `nowMs`, oldest first. */
  rows: number;
  spanMs: number;
  /** The end of the history (epoch ms); default `Date.now()`. */
  nowMs?: number;
  /** Keys the records are spread over (skewed: a few keys make most of the traffic, as in real teams). */
  keyIds: readonly string[];
  /** Accounts the records are spread over. */
  accounts: readonly { id: string; type: string }[];
  /** Models the records name (each key mostly uses one of them). */
  models: readonly string[];
  /**
   * Only the newest this many records go to the request log (the Redis store keeps a
   * bounded number of records; writing older ones would only be trimmed again); the
   * aggregates always count every row. Default: all.
   */
  maxRecords?: number;
  /**
   * The embedded store's SQLite file: when given, the history is written over a
   * connection of its own with a large page cache and no fsync (the store's writer
   * thread keeps SQLite's small default cache, with which millions of rows in random
   * key order take an hour), with the store's own prepared writes. The gateway must be
   * idle meanwhile.
   */
  sqliteFile?: string;
  /** Records per write; default 10,000. */
  batch?: number;
  /** Told after each batch (rows done so far). */
  progress?: (done: number) => void;
}

/** What {@link fillUsageHistory} wrote. */
export interface FilledUsageHistory {
  records: number;
  aggregateRows: number;
  ms: number;
}

/** A small deterministic generator (mulberry32), so two runs fill the same history. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

type Level = 'hour' | 'day' | 'month' | 'all';

/**
 * Rolls the history up as the aggregates sink would (same scopes, periods and expiry),
 * but level by level: the records come in time order, so each record adds to one
 * (key, model) cell of its hour, and an hour's cells are added to its day when the hour
 * ends, a day's to its month, a month's to the lifetime. A record costs one map update,
 * not one per scope and period (5 x 4), which is what makes millions of rows quick.
 */
class HistoryRollup {
  readonly deltas: UsageAggregateDelta[] = [];
  private readonly cells: Record<Level, Map<string, UsageTotals>> = {
    hour: new Map(),
    day: new Map(),
    month: new Map(),
    all: new Map(),
  };
  private readonly labels: Record<Level, string> = { hour: '', day: '', month: '', all: 'all' };
  private readonly lastAt: Record<Level, number> = { hour: 0, day: 0, month: 0, all: 0 };

  constructor(
    private readonly buckets: TimeBuckets,
    private readonly retention: { hourlyDays: number; dailyDays: number; monthlyDays: number },
    private readonly nowMs: number,
    private readonly accountOf: (keyId: string) => string,
  ) {}

  add(atMs: number, keyId: string, model: string, totals: UsageTotals): void {
    const labels = this.buckets.labels(atMs);
    if (labels.hour !== this.labels.hour) this.close('hour', labels.hour);
    if (labels.day !== this.labels.day) this.close('day', labels.day);
    if (labels.month !== this.labels.month) this.close('month', labels.month);
    const cell = `${keyId}\u0000${model}`;
    const into = this.cells.hour.get(cell);
    if (into) addTotals(into, totals);
    else this.cells.hour.set(cell, { ...totals });
    this.lastAt.hour = atMs;
  }

  /** Emits the rest (every level, the lifetime rows included). */
  finish(): void {
    this.close('hour', '');
    this.close('day', '');
    this.close('month', '');
    this.emit('all', this.cells.all, 'all', undefined);
  }

  /** Ends the current period of `level`: emits its rows and adds its cells to the level above. */
  private close(level: Exclude<Level, 'all'>, next: string): void {
    const cells = this.cells[level];
    if (cells.size > 0) {
      const days = { hour: this.retention.hourlyDays, day: this.retention.dailyDays, month: this.retention.monthlyDays }[level];
      const expiresAtMs = this.lastAt[level] + days * 86_400_000;
      // Rows the retention job would already have removed are left out.
      if (expiresAtMs > this.nowMs) this.emit(this.labels[level], cells, level, expiresAtMs);
      const up = ({ hour: 'day', day: 'month', month: 'all' } as const)[level];
      for (const [cell, totals] of cells) {
        const into = this.cells[up].get(cell);
        if (into) addTotals(into, totals);
        else this.cells[up].set(cell, totals);
      }
      this.lastAt[up] = Math.max(this.lastAt[up], this.lastAt[level]);
    }
    this.cells[level] = new Map();
    this.labels[level] = next;
  }

  private emit(period: string, cells: Map<string, UsageTotals>, _level: Level, expiresAtMs: number | undefined): void {
    const rows = new Map<string, UsageTotals>();
    const add = (scope: string, totals: UsageTotals) => {
      const into = rows.get(scope);
      if (into) addTotals(into, totals);
      else rows.set(scope, { ...totals });
    };
    for (const [cell, totals] of cells) {
      const [keyId, model] = cell.split('\u0000') as [string, string];
      add('all', totals);
      add(`model:${model}`, totals);
      add(`key:${keyId}`, totals);
      add(`key-model:${keyId}:${model}`, totals);
      add(`account:${this.accountOf(keyId)}`, totals);
    }
    for (const [scope, totals] of rows)
      this.deltas.push({ scope, period, totals, ...(expiresAtMs === undefined ? {} : { expiresAtMs }) });
  }
}

/**
 * Writes `rows` usage records (and their aggregates, with the expiry the config's
 * retention gives them; rows already expired are left out, as the retention job would
 * have removed them) to `gateway.store`.
 */
export async function fillUsageHistory(
  gateway: { readonly store: Store; readonly config: GatewayConfig },
  options: FillUsageHistoryOptions,
): Promise<FilledUsageHistory> {
  const started = performance.now();
  const { store, config } = gateway;
  if (options.keyIds.length === 0 || options.accounts.length === 0) throw new Error('fillUsageHistory needs keys and accounts');
  const now = options.nowMs ?? Date.now();
  const models = options.models;
  const batch = options.batch ?? 10_000;
  const firstRecord = options.rows - Math.min(options.rows, options.maxRecords ?? options.rows);
  const step = options.spanMs / Math.max(1, options.rows);
  const next = random(22);
  const accountOfKey = new Map<string, { id: string; type: string }>();
  options.keyIds.forEach((keyId, index) => accountOfKey.set(keyId, options.accounts[index % options.accounts.length]!));
  const rollup = new HistoryRollup(
    new TimeBuckets(config.usage.timeZone),
    config.usage.aggregates,
    now,
    (keyId) => accountOfKey.get(keyId)!.id,
  );
  let records = 0;
  let direct: { db: Database.Database; writes: UsageWrites } | undefined;
  if (options.sqliteFile) {
    const db = new Database(options.sqliteFile);
    db.pragma('busy_timeout = 5000');
    db.pragma('cache_size = -1000000');
    db.pragma('synchronous = OFF');
    direct = { db, writes: prepareUsageWrites(db) };
  }
  const append = async (chunk: readonly UsageRecord[]) => {
    if (!direct) return store.usage.append(chunk);
    const values: unknown[] = [];
    for (const record of chunk) values.push(record.id, Date.parse(record.at), record.keyId, encodeJson(record));
    direct.writes.appendUsage(values);
  };
  const addAggregates = async (deltas: readonly UsageAggregateDelta[]) => {
    if (!direct) return store.usageAggregates.add(deltas);
    const values: unknown[] = [];
    for (const delta of deltas) {
      values.push(delta.period, delta.scope, delta.expiresAtMs ?? null);
      for (const [field] of AGGREGATE_COLUMNS) values.push(delta.totals[field]);
    }
    direct.writes.addAggregates(values);
  };
  try {
    let chunk: UsageRecord[] = [];
    for (let i = 0; i < options.rows; i++) {
      const atMs = Math.round(now - options.spanMs + i * step);
      // Cubed: about half the traffic comes from the first eighth of the keys. A key keeps
      // to one account and mostly one model, as a client program does.
      const keyIndex = Math.floor(options.keyIds.length * next() ** 3);
      const keyId = options.keyIds[keyIndex]!;
      const model = models[next() < 0.9 ? keyIndex % models.length : Math.floor(models.length * next())]!;
      const failed = next() < 0.02;
      const usage = {
        inputTokens: 20 + Math.floor(next() * 2000),
        outputTokens: failed ? 0 : 10 + Math.floor(next() * 800),
        cacheWrite5mTokens: 0,
        cacheWrite1hTokens: 0,
        cacheReadTokens: failed ? 0 : Math.floor(next() * 4000),
      };
      const costMicros = failed ? 0 : usage.inputTokens * 3 + usage.outputTokens * 15;
      rollup.add(atMs, keyId, model, {
        requests: 1,
        errors: failed ? 1 : 0,
        ...usage,
        costMicros,
        ratedCostMicros: costMicros,
      });
      if (i < firstRecord) continue;
      const account = accountOfKey.get(keyId)!;
      chunk.push({
        id: `hist-${i.toString(36)}`,
        at: new Date(atMs).toISOString(),
        keyId,
        accountId: account.id,
        accountType: account.type,
        protocol: 'history',
        model,
        status: failed ? 529 : 200,
        stream: true,
        latencyMs: 300 + Math.floor(next() * 5000),
        usage,
        costMicros,
      });
      if (chunk.length >= batch) {
        await append(chunk);
        records += chunk.length;
        chunk = [];
        options.progress?.(i + 1);
      }
    }
    if (chunk.length) await append(chunk);
    records += chunk.length;
    rollup.finish();
    for (let i = 0; i < rollup.deltas.length; i += 20_000) await addAggregates(rollup.deltas.slice(i, i + 20_000));
  } finally {
    direct?.db.close();
  }
  return { records, aggregateRows: rollup.deltas.length, ms: performance.now() - started };
}
