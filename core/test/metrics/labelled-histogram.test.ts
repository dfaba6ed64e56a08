/** LabelledHistogram exposes exactly what prom-client's own Histogram exposes for the same observations. */
import { expect } from 'chai';
import { Histogram, Registry } from 'prom-client';
import { LabelledHistogram } from '../../src/metrics/labelled-histogram.js';

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
});
