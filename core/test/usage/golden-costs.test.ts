/** Golden cost fixtures for every usage shape the installed plugins and core fixtures produce. */
import { expect } from 'chai';
import { describeGoldenCosts } from '@switchyard/core/testing';
import { echoPricing, echoUsageCodec } from 'switchyard-plugin-echo';
import { tickPlugin } from '../fixtures/tick-plugin.js';
import { meterPricing, meterUsageCodec } from './fixtures/meter-plugin.js';
import { PriceBook, costMicros } from '../../src/usage/price-book.js';
import { emptyUsage } from '@switchyard/plugin-api';

describeGoldenCosts('echo', {
  codec: echoUsageCodec,
  prices: echoPricing,
  cases: [
    {
      name: 'unary answer, exact model',
      model: 'echo-1',
      json: { model: 'echo-1', usage: { input_tokens: 9, output_tokens: 12 } },
      expectedMicros: 9 * 1 + 12 * 2,
    },
    {
      name: 'streamed answer, model from the start event, priced by the echo-* pattern',
      model: 'echo-7',
      stream:
        'event: start\ndata: {"model":"echo-7"}\n\nevent: delta\ndata: {"text":"hi"}\n\nevent: done\ndata: {"usage":{"input_tokens":4,"output_tokens":10}}\n\n',
      expectedMicros: 4 + 20,
      expectedUsage: { inputTokens: 4, outputTokens: 10, model: 'echo-7' },
    },
  ],
});

describeGoldenCosts('tick (core fixture)', {
  codec: tickPlugin.protocols![0]!.usage,
  prices: tickPlugin.pricing!,
  cases: [
    { name: 'unary', model: 'tick-1', json: { ticks: 3, usage: { in: 4, out: 3 } }, expectedMicros: 10 },
    { name: 'stream', model: 'tick-1', stream: 'data: {"n":1}\n\ndata: {"usage":{"in":4,"out":6}}\n\n', expectedMicros: 16 },
  ],
});

describeGoldenCosts('meter (every usage field: 5m and 1h cache writes, cache reads)', {
  codec: meterUsageCodec,
  prices: meterPricing,
  cases: [
    {
      name: 'all token kinds at their own prices',
      model: 'meter-big',
      json: { model: 'meter-big', usage: { input: 1000, output: 500, cache_5m: 2000, cache_1h: 1000, cache_read: 10_000 } },
      // 1000x3 + 500x15 + 2000x3.75 + 1000x6 + 10000x0.3
      expectedMicros: 3000 + 7500 + 7500 + 6000 + 3000,
      expectedUsage: { cacheWrite5mTokens: 2000, cacheWrite1hTokens: 1000, cacheReadTokens: 10_000 },
    },
    {
      name: 'fractions are summed exactly and rounded once',
      model: 'meter-small',
      // 1234x0.8 + 567x4 + 89x0.08 = 987.2 + 2268 + 7.12 = 3262.32
      json: { usage: { input: 1234, output: 567, cache_read: 89 } },
      expectedMicros: 3262,
    },
    {
      name: 'half a micro-dollar rounds up',
      model: 'meter-big',
      // 2 five-minute cache writes x 3.75 = 7.5
      json: { usage: { cache_5m: 2 } },
      expectedMicros: 8,
    },
    {
      name: 'long context: the tier applies to the whole request above 200k prompt tokens',
      model: 'meter-long-1',
      stream: `data: {"n":0}\n\ndata: ${JSON.stringify({ model: 'meter-long-1', usage: { input: 150_000, output: 1000, cache_read: 60_000 } })}\n\n`,
      // 150000x2.5 + 1000x15 + 60000x0.25
      expectedMicros: 375_000 + 15_000 + 15_000,
    },
    {
      name: 'long context model below the tier',
      model: 'meter-long-1',
      json: { usage: { input: 100_000, output: 1000 } },
      expectedMicros: 125_000 + 10_000,
    },
  ],
});

describe('price book', () => {
  it('applies the highest long-context tier the prompt is above, whatever order the tiers are listed in', () => {
    const tiers = [
      { aboveInputTokens: 500_000, input: 5, output: 0 },
      { aboveInputTokens: 200_000, input: 2, output: 0 },
    ];
    const price = { input: 1, output: 0, tiers };
    const reversed = { ...price, tiers: [...tiers].reverse() };
    const prompt = (inputTokens: number) => ({ ...emptyUsage(), inputTokens });
    for (const table of [price, reversed]) {
      expect(costMicros(table, prompt(200_000))).to.equal(200_000);
      expect(costMicros(table, prompt(200_001))).to.equal(400_002);
      expect(costMicros(table, prompt(500_001))).to.equal(2_500_005);
    }
    // Cache reads count toward the prompt size that picks the tier.
    expect(costMicros(price, { ...emptyUsage(), inputTokens: 1, cacheReadTokens: 200_000 })).to.equal(400_002);
  });

  it('rounds half a micro-dollar up and never drifts with floating point', () => {
    // 5 tokens at $0.1/M = 0.5 micro-dollars
    expect(costMicros({ input: 0.1, output: 0 }, { ...emptyUsage(), inputTokens: 5 })).to.equal(1);
    // 3 x 0.1 is 0.30000000000000004 in floating point; here it is exactly 0.3 -> 0
    expect(costMicros({ input: 0.1, output: 0 }, { ...emptyUsage(), inputTokens: 3 })).to.equal(0);
    expect(costMicros({ input: 3.75, output: 0 }, { ...emptyUsage(), inputTokens: 1_000_000 })).to.equal(3_750_000);
  });

  it('prices an unknown model with the explicit fallback and flags it; exact ids beat patterns', () => {
    const book = new PriceBook(
      { 'm-*': { input: 1, output: 1 }, 'm-exact': { input: 2, output: 2 } },
      { fallback: { input: 10, output: 20 }, version: 3 },
    );
    const usage = { ...emptyUsage(), inputTokens: 10, outputTokens: 10 };
    expect(book.cost('m-exact', usage)).to.deep.equal({ micros: 40, priced: true, pricedAs: 'm-exact', version: 3 });
    expect(book.cost('m-other', usage)).to.deep.equal({ micros: 20, priced: true, pricedAs: 'm-*', version: 3 });
    expect(book.cost('nope', usage)).to.deep.equal({ micros: 300, priced: false, pricedAs: 'fallback', version: 3 });
    expect(new PriceBook({}).cost('nope', usage)).to.deep.equal({ micros: 0, priced: false, version: 0 });
  });

  it('answers a repeated lookup as before, and a replaced table is looked up afresh (hits and misses)', () => {
    const book = new PriceBook({ 'm-*': { input: 1, output: 1 } });
    expect(book.entryFor('m-other')?.entry).to.equal('m-*');
    expect(book.entryFor('m-other')?.entry).to.equal('m-*');
    expect(book.entryFor('x-other')).to.equal(undefined);
    expect(book.entryFor('x-other')).to.equal(undefined);
    book.replace({ 'x-*': { input: 3, output: 3 }, 'm-other': { input: 2, output: 2 } }, 1);
    expect(book.entryFor('m-other')).to.deep.equal({ entry: 'm-other', price: { input: 2, output: 2 } });
    expect(book.entryFor('x-other')).to.deep.equal({ entry: 'x-*', price: { input: 3, output: 3 } });
    book.replace({}, 2);
    expect(book.entryFor('m-other')).to.equal(undefined);
  });
});
