/** LabelledHistogram exposes exactly what prom-client's own Histogram exposes for the same observations. */
import { expect } from 'chai';
import { Histogram, Registry } from 'prom-client';
import { GatewayMetrics } from '../../src/metrics/gateway-metrics.js';
import { LabelledHistogram } from '../../src/metrics/labelled-histogram.js';

/** mulberry32: a small deterministic PRNG, so every run observes the same values. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const BUCKETS = [0.005, 0.05, 0.5, 1, 5];

function pair<L extends string>(labelNames: readonly L[]) {
  const ours = new Registry();
  const theirs = new Registry();
  const options = { name: 'test_seconds', help: 'A test histogram.', buckets: BUCKETS };
  return {
    ours,
    theirs,
    fast: new LabelledHistogram<L>({ ...options, labelNames, registers: [ours] }),
    reference: new Histogram<L>({ ...options, labelNames, registers: [theirs] }),
  };
}

describe('LabelledHistogram', () => {
  it('renders the same exposition text as prom-client for labelled series', async () => {
    const { ours, theirs, fast, reference } = pair(['protocol', 'stream'] as const);
    const values = [0, 0.005, 0.0051, 0.05, 0.3, 1, 4.99, 5, 7, 120, 0.0001];
    values.forEach((value, i) => {
      const labels = { protocol: i % 3 === 0 ? 'anthropic-messages' : 'openai-chat', stream: String(i % 2 === 0) };
      fast.observe(labels, value);
      reference.observe(labels, value);
    });
    expect(await ours.metrics()).to.equal(await theirs.metrics());
  });

  it('renders the same text without labels, and ignores values that are not finite numbers', async () => {
    const { ours, theirs, fast, reference } = pair<never>([]);
    for (const value of [0.2, 0.7, 3]) {
      fast.observe(value);
      reference.observe(value);
    }
    fast.observe(Number.NaN);
    fast.observe(Number.POSITIVE_INFINITY);
    expect(await ours.metrics()).to.equal(await theirs.metrics());
  });

  it('escapes label values like prom-client and forgets its series on reset', async () => {
    const { ours, theirs, fast, reference } = pair(['protocol'] as const);
    fast.observe({ protocol: 'a"b\\c\nd' }, 0.01);
    reference.observe({ protocol: 'a"b\\c\nd' }, 0.01);
    expect(await ours.metrics()).to.equal(await theirs.metrics());
    ours.resetMetrics();
    expect(await ours.metrics()).to.equal('# HELP test_seconds A test histogram.\n# TYPE test_seconds histogram\n');
  });

  it("exposes each of the gateway's histograms as prom-client's Histogram does, over 5000 seeded observations", async () => {
    const metrics = new GatewayMetrics({ realtimeWindowMinutes: 1, processMetrics: false });
    const histograms = Object.values(metrics).filter((value) => value instanceof LabelledHistogram);
    expect(histograms.map((histogram) => histogram.name)).to.include.members([
      'switchyard_time_to_first_byte_seconds',
      'switchyard_request_duration_seconds',
      'switchyard_gateway_overhead_seconds',
      'switchyard_queue_wait_seconds',
    ]);
    const random = prng(16);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const labelValues = ['anthropic-messages', 'openai-chat', 'true', 'false', 'key', 'account', '', 'a"b\\c\nd'];
    for (const histogram of histograms) {
      const theirs = new Registry();
      const reference = new Histogram<string>({
        name: histogram.name,
        help: histogram.help,
        labelNames: [...histogram.labelNames],
        buckets: [...histogram.bounds],
        registers: [theirs],
      });
      const bounds = histogram.bounds;
      for (let i = 0; i < 5000; i++) {
        const bound = pick(bounds);
        // On a bound (it counts in that bucket), just either side of one, zero, below zero, beyond the last, anywhere.
        const value = pick([
          bound,
          bound * (1 + 1e-12),
          bound * (1 - 1e-12),
          0,
          -random(),
          bounds.at(-1)! * (1 + random() * 10),
          random() * bounds.at(-1)!,
          random() * bound,
        ]);
        const labels = Object.fromEntries(histogram.labelNames.map((name) => [name, pick(labelValues)]));
        (histogram as LabelledHistogram<string>).observe(labels, value);
        reference.observe(labels, value);
      }
      expect(await metrics.registry.getSingleMetricAsString(histogram.name), histogram.name).to.equal(
        await theirs.getSingleMetricAsString(histogram.name),
      );
    }
  });
});
