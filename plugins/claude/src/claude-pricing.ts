/**
 * Prices of Claude models in US dollars per million tokens (Anthropic's list prices).
 * Cache writes cost 1.25x the input price for the 5-minute cache and 2x for the 1-hour
 * cache; cache reads 0.1x. Sonnet 4.x and Opus 4.6 have a long-context tier: above
 * 200k prompt tokens (1M-context beta) the request's prices are higher.
 *
 * Keys are exact ids, or family patterns whose `*` stands for a date or version suffix
 * (`claude-sonnet-4-5*`); the core prefers exact ids, then the longest pattern. There
 * is no fuzzy matching. Models without a known list price fall to an explicit,
 * assumed price ({@link ASSUMED_PRICE_ENTRIES}: the family's latest known price, else
 * Sonnet's), and their usage records are flagged `priced: false` by the plugin.
 */
import type { ModelPrice, PriceTable } from '@switchyard/plugin-api';

/** A Claude price from input and output list prices, with Anthropic's cache multipliers. */
export function claudePrice(input: number, output: number): Omit<ModelPrice, 'tiers'> {
  return { input, output, cacheWrite5m: input * 1.25, cacheWrite1h: input * 2, cacheRead: input / 10 };
}

/** Prompt size above which the long-context prices apply. */
export const LONG_CONTEXT_TOKENS = 200_000;

const opusLegacy = claudePrice(15, 75);
const opus45 = claudePrice(5, 25);
const opus46: ModelPrice = { ...opus45, tiers: [{ aboveInputTokens: LONG_CONTEXT_TOKENS, ...claudePrice(10, 37.5) }] };
const sonnet4: ModelPrice = {
  ...claudePrice(3, 15),
  tiers: [{ aboveInputTokens: LONG_CONTEXT_TOKENS, ...claudePrice(6, 22.5) }],
};
const haiku45 = claudePrice(1, 5);

/** Entries that price models by assumption (no known list price); records they price are flagged. */
export const ASSUMED_PRICE_ENTRIES: ReadonlySet<string> = new Set([
  'claude-opus-*',
  'claude-sonnet-*',
  'claude-haiku-*',
  'claude-*',
]);

/** The Claude price table. */
export const claudePricing: PriceTable = {
  'claude-opus-4-0': opusLegacy,
  'claude-opus-4-2025*': opusLegacy,
  'claude-opus-4-1*': opusLegacy,
  'claude-opus-4-5*': opus45,
  'claude-opus-4-6*': opus46,
  'claude-sonnet-4-0': sonnet4,
  'claude-sonnet-4-2025*': sonnet4,
  'claude-sonnet-4-5*': sonnet4,
  'claude-sonnet-4-6*': sonnet4,
  'claude-haiku-4-5*': haiku45,
  'claude-3-opus*': opusLegacy,
  'claude-3-7-sonnet*': claudePrice(3, 15),
  'claude-3-5-sonnet*': claudePrice(3, 15),
  'claude-3-5-haiku*': claudePrice(0.8, 4),
  'claude-3-haiku*': { input: 0.25, output: 1.25, cacheWrite5m: 0.3, cacheWrite1h: 0.5, cacheRead: 0.03 },
  // Assumed prices (flagged): newer models of a family at the family's latest known price.
  'claude-opus-*': opus45,
  'claude-sonnet-*': sonnet4,
  'claude-haiku-*': haiku45,
  'claude-*': claudePrice(3, 15),
};

/**
 * Exact ids of current Claude models (Anthropic's model list, and the defaults of Claude
 * Code 2.1.197 and 2.1.332), for model lists: the price table's keys are mostly family
 * patterns, so these are the ids `claude-*` catalogs expand to. Every one resolves in
 * {@link claudePricing} as before (listing them changes no price): `claude-opus-4-8` and
 * `claude-opus-5-5` by the assumed `claude-opus-*` entry, the others by their family's
 * list price. Add an id here only when the model exists.
 */
export const CLAUDE_MODEL_IDS: readonly string[] = [
  'claude-opus-5-5',
  'claude-opus-4-8',
  'claude-opus-4-6',
  'claude-opus-4-5',
  'claude-opus-4-5-20251101',
  'claude-opus-4-1',
  'claude-opus-4-1-20250805',
  'claude-opus-4-0',
  'claude-opus-4-20250514',
  'claude-sonnet-4-6',
  'claude-sonnet-4-5',
  'claude-sonnet-4-5-20250929',
  'claude-sonnet-4-0',
  'claude-sonnet-4-20250514',
  'claude-haiku-4-5',
  'claude-haiku-4-5-20251001',
  'claude-3-7-sonnet-20250219',
  'claude-3-5-sonnet-20241022',
  'claude-3-5-haiku-20241022',
  'claude-3-opus-20240229',
  'claude-3-haiku-20240307',
];
