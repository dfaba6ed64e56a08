/** The aggregates sink: merged in memory, written in one go, kept on a failed write, flushed by the recorder. */
import { expect } from 'chai';
import { emptyUsage, type Logger, type UsageRecord } from '@switchyard/plugin-api';
import type { ScopeRank, UsageAggregateDelta, UsageAggregateRepository, UsageTotals } from '../../src/store/types.js';
import { AggregatesSink } from '../../src/usage/aggregates-sink.js';
import { TimeBuckets } from '../../src/usage/time-buckets.js';
import { UsageRecorder } from '../../src/usage/usage-recorder.js';

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent } as unknown as Logger;

function record(id: string, input: number): UsageRecord {
  return {
    id,
    at: new Date().toISOString(),
    keyId: 'k',
    protocol: 'p',
    model: 'm',
    status: 200,
    stream: false,
    latencyMs: 1,
    costMicros: input,
    usage: { ...emptyUsage(), inputTokens: input },
  };
}

class FlakyRepository implements UsageAggregateRepository {
  calls: UsageAggregateDelta[][] = [];
  failNext = false;
  async add(deltas: readonly UsageAggregateDelta[]): Promise<void> {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('store down');
    }
    this.calls.push(deltas.map((d) => ({ ...d, totals: { ...d.totals } })));
  }
  async get(): Promise<Map<string, UsageTotals>> {
    return new Map();
  }
  async scopes(): Promise<string[]> {
    return [];
  }
  async scopeRanks(): Promise<Map<string, ScopeRank>> {
    return new Map();
  }
  async sumScopes(): Promise<Map<string, UsageTotals>> {
    return new Map();
  }
  async purgeExpired(): Promise<number> {
    return 0;
  }
}

describe('aggregates sink', () => {
  const retention = { hourlyDays: 1, dailyDays: 1, monthlyDays: 1 };

  it('merges batches in memory and writes each row once per flush', async () => {
    const repository = new FlakyRepository();
    const sink = new AggregatesSink({ repository, buckets: new TimeBuckets(), retention, log: silent, flushIntervalMs: 60_000 });
    sink.write([record('a', 1), record('b', 2)]);
    sink.write([record('c', 4)]);
    expect(repository.calls).to.have.length(0);
    await sink.flush();
    expect(repository.calls).to.have.length(1);
    const lifetime = repository.calls[0]!.find((d) => d.scope === 'all' && d.period === 'all');
    expect(lifetime?.totals).to.include({ requests: 3, inputTokens: 7 });
    // 4 scopes (all, model, key, key-model) x 4 periods
    expect(repository.calls[0]).to.have.length(16);
  });

  it('keeps the deltas when the store refuses them, and writes them with the next ones', async () => {
    const repository = new FlakyRepository();
    const sink = new AggregatesSink({ repository, buckets: new TimeBuckets(), retention, log: silent, flushIntervalMs: 60_000 });
    sink.write([record('a', 1)]);
    repository.failNext = true;
    await sink.flush();
    sink.write([record('b', 10)]);
    await sink.flush();
    expect(repository.calls).to.have.length(1);
    expect(repository.calls[0]!.find((d) => d.scope === 'all' && d.period === 'all')?.totals.inputTokens).to.equal(11);
  });

  it('is flushed by the recorder (as at shutdown)', async () => {
    const repository = new FlakyRepository();
    const sink = new AggregatesSink({ repository, buckets: new TimeBuckets(), retention, log: silent, flushIntervalMs: 60_000 });
    const stored: UsageRecord[] = [];
    const recorder = new UsageRecorder({
      repository: {
        append: async (r) => void stored.push(...r),
        storedIds: async () => new Set(),
        list: async () => [],
        count: async () => 0,
      },
      enrichers: [],
      sinks: [sink],
      log: silent,
    });
    recorder.record(record('a', 5));
    await recorder.flush();
    expect(stored).to.have.length(1);
    expect(repository.calls).to.have.length(1);
  });
});
