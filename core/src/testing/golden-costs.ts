/**
 * Golden cost fixtures: a provider's real usage payloads (a unary JSON body or a
 * recorded SSE stream), read by the plugin's own usage codec and priced by its own price
 * table, must cost exactly the expected number of micro-dollars. Any plugin can run
 * them with {@link describeGoldenCosts}.
 */
import assert from 'node:assert/strict';
import type { PriceTable, Usage, UsageCodec } from '@switchyard/plugin-api';
import { PriceBook } from '../usage/price-book.js';
import { resolveTestFunctions, type TestFunctions } from './test-functions.js';

/** One fixture: a payload as the provider sent it and what it must cost. */
export interface GoldenCostCase {
  name: string;
  /** The model the request asked for (the payload's own model, when present, wins). */
  model: string;
  /**
   * The price key the adapter gives the answer (`UpstreamResponse.priceModel`), looked up
   * before the model as the gateway does; absent: priced by the model.
   */
  priceModel?: string;
  /** A unary answer body, as parsed JSON ... */
  json?: unknown;
  /** ... or a streamed answer, as the raw bytes (SSE text) upstream sent. */
  stream?: string;
  /** Expected real cost in integer micro-dollars. */
  expectedMicros: number;
  /** Token counts the codec must read (only the fields given are compared). */
  expectedUsage?: Partial<Omit<Usage, 'raw'>>;
}

/** The outcome of one fixture. */
export interface GoldenCostResult {
  name: string;
  usage: Usage | null;
  micros: number;
  priced: boolean;
}

/** Runs every fixture through `codec` and `prices` (streams are fed in small chunks, as a network would). */
export function computeGoldenCosts(codec: UsageCodec, prices: PriceTable, cases: readonly GoldenCostCase[]): GoldenCostResult[] {
  const book = new PriceBook(prices);
  return cases.map((fixture) => {
    let usage: Usage | null;
    if (fixture.stream !== undefined) {
      const tap = codec.createStreamTap();
      const bytes = Buffer.from(fixture.stream, 'utf8');
      for (let i = 0; i < bytes.length; i += 7) tap.push(bytes.subarray(i, i + 7));
      usage = tap.end();
    } else {
      usage = codec.fromJson(fixture.json);
    }
    const priceKey =
      fixture.priceModel !== undefined && book.entryFor(fixture.priceModel)
        ? fixture.priceModel
        : (usage?.model ?? fixture.model);
    const quote = usage ? book.cost(priceKey, usage) : { micros: 0, priced: false };
    return { name: fixture.name, usage, micros: quote.micros, priced: quote.priced };
  });
}

/**
 * Registers one test per fixture asserting usage and cost to the micro-dollar, with the
 * running mocha's `describe`/`it` (its globals, or `options.testFunctions`).
 *
 * @example
 * describeGoldenCosts('echo', { codec: echoUsageCodec, prices: echoPricing, cases: [
 *   { name: 'unary', model: 'echo-1', json: { usage: { input_tokens: 3, output_tokens: 5 } }, expectedMicros: 13 },
 * ] });
 */
export function describeGoldenCosts(
  title: string,
  options: {
    codec: UsageCodec;
    prices: PriceTable;
    cases: readonly GoldenCostCase[];
    testFunctions?: Partial<TestFunctions>;
  },
): void {
  const { describe, it } = resolveTestFunctions(options.testFunctions);
  describe(`golden costs: ${title}`, () => {
    for (const fixture of options.cases) {
      it(fixture.name, () => {
        const [result] = computeGoldenCosts(options.codec, options.prices, [fixture]);
        assert.ok(result?.usage, `${fixture.name}: the codec read no usage`);
        for (const [field, value] of Object.entries(fixture.expectedUsage ?? {})) {
          assert.equal((result.usage as unknown as Record<string, unknown>)[field], value, `${fixture.name}: usage.${field}`);
        }
        assert.equal(
          result.priced,
          true,
          `${fixture.name}: model ${result.usage.model ?? fixture.model} is not in the price table`,
        );
        assert.equal(result.micros, fixture.expectedMicros, `${fixture.name}: cost in micro-dollars`);
      });
    }
  });
}
