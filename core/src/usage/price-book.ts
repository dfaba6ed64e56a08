/**
 * Looks up model prices in the merged price table and turns usage into integer
 * micro-dollars. Prices are USD per million tokens, so one token at $1/M costs one
 * micro-dollar: cost in micros = tokens x price.
 */
import type { ModelPrice, PriceTable, Usage } from '../plugin-api/index.js';

function patternToRegExp(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`);
}

/** Exact ids first, then patterns, longest pattern first. */
export class PriceBook {
  private readonly exact = new Map<string, ModelPrice>();
  private readonly patterns: { pattern: string; regexp: RegExp; price: ModelPrice }[] = [];

  constructor(table: PriceTable) {
    for (const [model, price] of Object.entries(table)) {
      if (model.includes('*')) this.patterns.push({ pattern: model, regexp: patternToRegExp(model), price });
      else this.exact.set(model, price);
    }
    this.patterns.sort((a, b) => b.pattern.length - a.pattern.length);
  }

  /** The price of `model`, or undefined when no entry matches. */
  priceFor(model: string | undefined): ModelPrice | undefined {
    if (!model) return undefined;
    const exact = this.exact.get(model);
    if (exact) return exact;
    return this.patterns.find((entry) => entry.regexp.test(model))?.price;
  }

  /** Cost of `usage` in integer micro-dollars; 0 with `priced: false` when the model is unknown. */
  cost(model: string | undefined, usage: Usage): { micros: number; priced: boolean } {
    const price = this.priceFor(model);
    if (!price) return { micros: 0, priced: false };
    return { micros: costMicros(price, usage), priced: true };
  }
}

/** Cost of `usage` at `price` in integer micro-dollars, long-context tiers applied. */
export function costMicros(price: ModelPrice, usage: Usage): number {
  const prompt = usage.inputTokens + usage.cacheReadTokens + usage.cacheWrite5mTokens + usage.cacheWrite1hTokens;
  const tier = [...(price.tiers ?? [])]
    .sort((a, b) => b.aboveInputTokens - a.aboveInputTokens)
    .find((candidate) => prompt > candidate.aboveInputTokens);
  const rates = tier ?? price;
  const micros =
    usage.inputTokens * rates.input +
    usage.outputTokens * rates.output +
    usage.cacheWrite5mTokens * (rates.cacheWrite5m ?? rates.input) +
    usage.cacheWrite1hTokens * (rates.cacheWrite1h ?? rates.input) +
    usage.cacheReadTokens * (rates.cacheRead ?? rates.input);
  return Math.round(micros);
}
