/**
 * The aggregates and metrics sinks group a batch's records (reusing the previous record's
 * group when they match): a mixed batch must give exactly what its records give one at a time.
 */
import { expect } from 'chai';
import { emptyUsage, type UsageRecord } from '@switchyard/plugin-api';
import { aggregateDeltas } from '../../src/usage/aggregate-deltas.js';
import { TimeBuckets } from '../../src/usage/time-buckets.js';
import { addTotals } from '../../src/store/usage-totals.js';
import { GatewayMetrics } from '../../src/metrics/gateway-metrics.js';
import { metricsSink } from '../../src/metrics/metrics-sink.js';
import type { UsageAggregateDelta } from '../../src/store/types.js';

const RETENTION = { hourlyDays: 1, dailyDays: 2, monthlyDays: 3 };

/** A batch whose neighbours differ in one field at a time (key, model, account, quarter hour, protocol, status, stream, pricing). */
function mixedBatch(): UsageRecord[] {
  const shapes: Partial<UsageRecord>[] = [
    {},
    {},
    { keyId: 'k2' },
    { model: 'm2' },
    { upstreamModel: 'm2' },
    { accountId: 'acc2' },
    { accountId: undefined },
    { at: '2026-11-26T10:15:00.000Z' },
    { protocol: 'p2' },
    { status: 499 },
    { status: 429 },
    {},
    { stream: true },
    { priced: false, model: 'mystery' },
    {},
    { keyId: 'k2' },
  ];
  return shapes.map((shape, i) => ({
    id: `r${i}`,
    at: '2026-11-26T10:14:59.000Z',
    keyId: 'k1',
    protocol: 'p1',
    model: 'm1',
    accountId: 'acc1',
    status: 200,
    stream: false,
    latencyMs: 10 + i,
    firstByteMs: 5,
    overheadMs: 1,
    queueWaitMs: 0,
    costMicros: 100 + i,
    ratedCostMicros: 200 + i,
    usage: { ...emptyUsage(), inputTokens: 1 + i, outputTokens: 2 * i, cacheReadTokens: i % 3 },
    ...shape,
  }));
}

function merged(deltas: readonly UsageAggregateDelta[]): Map<string, UsageAggregateDelta['totals']> {
  const out = new Map<string, UsageAggregateDelta['totals']>();
  for (const delta of deltas) {
    const id = `${delta.period} ${delta.scope}`;
    const row = out.get(id);
    if (row) addTotals(row, delta.totals);
    else out.set(id, { ...delta.totals });
  }
  return out;
}

describe('batch grouping in the usage sinks', () => {
  it('aggregates a mixed batch exactly as its records one at a time', () => {
    const records = mixedBatch();
    const buckets = new TimeBuckets();
    const whole = merged(aggregateDeltas(records, buckets, RETENTION));
    const single = merged(records.flatMap((record) => aggregateDeltas([record], buckets, RETENTION)));
    expect([...whole.keys()].sort()).to.deep.equal([...single.keys()].sort());
    for (const [id, totals] of single) expect(whole.get(id), id).to.deep.equal(totals);
  });

  it('counts a mixed batch in the metrics exactly as its records one at a time', async () => {
    const records = mixedBatch();
    const batched = new GatewayMetrics({ realtimeWindowMinutes: 5, processMetrics: false });
    const oneByOne = new GatewayMetrics({ realtimeWindowMinutes: 5, processMetrics: false });
    await metricsSink(batched).write(records);
    for (const record of records) await metricsSink(oneByOne).write([record]);
    const sorted = (text: string) => text.split('\n').sort().join('\n');
    const text = (await batched.render()).body;
    expect(sorted(text)).to.equal(sorted((await oneByOne.render()).body));
    expect(text).to.match(/switchyard_requests_total\{protocol="p2",model="m1",status="200"\} 1/);
    expect(text).to.match(/switchyard_request_duration_seconds_count\{protocol="p1",stream="true"\} 1/);
  });
});
