/**
 * Looks up model prices in the merged price table and turns usage into integer
 * micro-dollars. Prices are USD per million tokens, so one token at $1/M costs one
 * micro-dollar: cost in micros = tokens x price.
 */
import type { ModelPrice, PriceTable, Usage } from '@switchyard/plugin-api';

/** What {@link PriceBook.cost} answers. */
export interface PriceQuote {
  /** Real cost in integer micro-dollars. */
  micros: number;
  /** False when no entry matched and the fallback price (or nothing: 0) was used. */
  priced: boolean;
  /** The entry used: a model id, a pattern, or `fallback`; absent when nothing priced it. */
  pricedAs?: string;
  /** The price book version the quote comes from. */
  version: number;
}

/** Options of {@link PriceBook}. */
export interface PriceBookOptions {
  /** Price of models no entry matches; without it they cost 0. Either way the quote says `priced: false`. */
  fallback?: ModelPrice;
  /** Version of `table` (see PriceBookService); 0 when unversioned. */
  version?: number;
}

function patternToRegExp(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`);
}

/** How many model ids {@link PriceBook.entryFor} remembers. */
const MAX_REMEMBERED_MODELS = 1024;

/**
 * A price table ready for lookups: exact ids first, then patterns, longest pattern
 * first; never fuzzy. Its table can be replaced at run time ({@link replace}), which is
 * how a new version published by the price book service takes effect.
 */
export class PriceBook {
  private exact = new Map<string, ModelPrice>();
  private patterns: { pattern: string; regexp: RegExp; price: ModelPrice }[] = [];
  private current: PriceTable = {};
  private fallback: ModelPrice | undefined;
  private currentVersion = 0;
  private multipliers: Readonly<Record<string, number>> = {};
  /**
   * Lookups by model id, kept until the table is replaced: a provider's own ids (a
   * regional or a dated id) miss the exact table and would scan every pattern on each request.
   */
  private found = new Map<string, { entry: string; price: ModelPrice } | null>();

  constructor(table: PriceTable, options: PriceBookOptions = {}) {
    this.replace(table, options.version ?? 0, options.fallback);
  }

  /** The version of the table in use. */
  get version(): number {
    return this.currentVersion;
  }

  /** The table in use. */
  get table(): PriceTable {
    return this.current;
  }

  /** Swaps in another table (and fallback), e.g. a newly published version. */
  replace(table: PriceTable, version: number, fallback: ModelPrice | undefined = this.fallback): void {
    const exact = new Map<string, ModelPrice>();
    const patterns: { pattern: string; regexp: RegExp; price: ModelPrice }[] = [];
    for (const [model, price] of Object.entries(table)) {
      if (model.includes('*')) patterns.push({ pattern: model, regexp: patternToRegExp(model), price });
      else exact.set(model, price);
    }
    patterns.sort((a, b) => b.pattern.length - a.pattern.length);
    this.exact = exact;
    this.patterns = patterns;
    this.found = new Map();
    this.current = table;
    this.currentVersion = version;
    this.fallback = fallback;
  }

  /** Sets the service multipliers: `*` for every request, a plugin id for its requests. */
  setServiceMultipliers(multipliers: Readonly<Record<string, number>>): void {
    this.multipliers = { ...multipliers };
  }

  /** Service multiplier of requests served by `pluginId` (global x per-plugin; 1 by default). */
  serviceMultiplier(pluginId: string | undefined): number {
    const own = pluginId === undefined ? undefined : this.multipliers[pluginId];
    return (this.multipliers['*'] ?? 1) * (own ?? 1);
  }

  /** The matching entry of `model`, or undefined. */
  entryFor(model: string | undefined): { entry: string; price: ModelPrice } | undefined {
    if (!model) return undefined;
    const known = this.found.get(model);
    if (known !== undefined) return known ?? undefined;
    const exact = this.exact.get(model);
    const pattern = exact ? undefined : this.patterns.find((candidate) => candidate.regexp.test(model));
    const entry = exact ? { entry: model, price: exact } : pattern ? { entry: pattern.pattern, price: pattern.price } : null;
    // Model ids come from upstream answers: the memo is bounded, and starts over when full.
    if (this.found.size >= MAX_REMEMBERED_MODELS) this.found.clear();
    this.found.set(model, entry);
    return entry ?? undefined;
  }

  /** The price of `model`, or undefined when no entry matches. */
  priceFor(model: string | undefined): ModelPrice | undefined {
    return this.entryFor(model)?.price;
  }

  /** Cost of `usage` for `model`; an unknown model is priced by the fallback and flagged. */
  cost(model: string | undefined, usage: Usage): PriceQuote {
    const found = this.entryFor(model);
    if (found)
      return { micros: costMicros(found.price, usage), priced: true, pricedAs: found.entry, version: this.currentVersion };
    if (this.fallback)
      return { micros: costMicros(this.fallback, usage), priced: false, pricedAs: 'fallback', version: this.currentVersion };
    return { micros: 0, priced: false, version: this.currentVersion };
  }
}

/** A price in USD per million tokens as an integer count of 1e-12 USD per token. */
function picoPerToken(price: number): number {
  return Math.round(price * 1_000_000);
}

/**
 * Cost of `usage` at `price` in integer micro-dollars, long-context tiers applied. The
 * sum is exact (integer picodollars) and rounded once, half up, at the end.
 */
export function costMicros(price: ModelPrice, usage: Usage): number {
  const prompt = usage.inputTokens + usage.cacheReadTokens + usage.cacheWrite5mTokens + usage.cacheWrite1hTokens;
  // The highest tier the prompt is above (tiers may be listed in any order).
  let rates: ModelPrice | NonNullable<ModelPrice['tiers']>[number] = price;
  let tierFloor = -1;
  for (const tier of price.tiers ?? []) {
    if (prompt > tier.aboveInputTokens && tier.aboveInputTokens > tierFloor) {
      rates = tier;
      tierFloor = tier.aboveInputTokens;
    }
  }
  const pico =
    usage.inputTokens * picoPerToken(rates.input) +
    usage.outputTokens * picoPerToken(rates.output) +
    usage.cacheWrite5mTokens * picoPerToken(rates.cacheWrite5m ?? rates.input) +
    usage.cacheWrite1hTokens * picoPerToken(rates.cacheWrite1h ?? rates.input) +
    usage.cacheReadTokens * picoPerToken(rates.cacheRead ?? rates.input);
  return Math.floor((pico + 500_000) / 1_000_000);
}
