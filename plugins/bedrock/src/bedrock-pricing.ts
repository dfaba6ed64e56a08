/**
 * Bedrock's on-demand prices of Claude where they differ from Anthropic's list prices,
 * keyed by the Bedrock id a request called (the adapter's `priceModel`). The core looks
 * these keys up first and falls back to the model Bedrock names in its answer, which the
 * Claude plugin's table prices at list price: so only what differs is listed here.
 *
 * The facts (checked 2026-12-07 with the stored copies of these pages):
 * - AWS, Bedrock user guide, "Global cross-Region inference"
 *   (https://docs.aws.amazon.com/bedrock/latest/userguide/global-cross-region-inference.html):
 *   global cross-Region inference for Claude Sonnet 4.5 "offers approximately 10% savings on
 *   both input and output token pricing compared to geographic cross-Region inference".
 *   "Increase throughput with cross-Region inference" (same guide, cross-region-inference.html)
 *   lists geographic profiles at "Standard pricing" and global ones at about 10% less.
 * - Anthropic, "Claude on Amazon Bedrock (legacy)", section "Global vs regional endpoints"
 *   (https://platform.claude.com/docs/en/build-with-claude/claude-on-amazon-bedrock-legacy):
 *   the two endpoint types (global, and regional: the `us.`/`eu.`/`jp.`/`au.`/`apac.`
 *   profiles and in-region ids) exist "starting with Claude Sonnet 4.5 and all future
 *   models"; its model table lists the profiles of Haiku 4.5, Opus 4.5, Opus 4.6 and Sonnet 4.6.
 * - The global profile is at Anthropic's list price (Sonnet 4.5: $3 / $15 per MTok), so a
 *   regional one is 1.1x every rate (Sonnet 4.5: $3.30 / $16.50). The premium is applied to
 *   cache writes and reads and the long-context tier too (the pages above state the 10%
 *   for input and output tokens; Claude's cache rates are fixed multiples of the input rate).
 * - Models before Sonnet 4.5 (Sonnet 4, Opus 4.1, Claude 3.x) cost the list price on every
 *   endpoint: they are not listed. Neither are Bedrock's batch, provisioned-throughput,
 *   priority or flex tiers, GovCloud (`us-gov.`) or application inference profiles (an
 *   ARN without the model in it): those are priced at list price.
 */
import type { ModelPrice, PriceTable } from '@switchyard/plugin-api';

/** A Claude price from input and output list prices, with Anthropic's cache multipliers (5m 1.25x, 1h 2x, reads 0.1x). */
function claudeListPrice(input: number, output: number): Omit<ModelPrice, 'tiers'> {
  return { input, output, cacheWrite5m: input * 1.25, cacheWrite1h: input * 2, cacheRead: input / 10 };
}

/** Prompt size above which the long-context (1M-context beta) prices apply. */
const LONG_CONTEXT_TOKENS = 200_000;

/** Anthropic's list prices (https://platform.claude.com/docs/en/about-claude/pricing) of the models with a regional premium. */
const LIST_PRICES: Readonly<Record<string, ModelPrice>> = {
  'claude-sonnet-4-5': {
    ...claudeListPrice(3, 15),
    tiers: [{ aboveInputTokens: LONG_CONTEXT_TOKENS, ...claudeListPrice(6, 22.5) }],
  },
  'claude-sonnet-4-6': {
    ...claudeListPrice(3, 15),
    tiers: [{ aboveInputTokens: LONG_CONTEXT_TOKENS, ...claudeListPrice(6, 22.5) }],
  },
  'claude-haiku-4-5': claudeListPrice(1, 5),
  'claude-opus-4-5': claudeListPrice(5, 25),
  'claude-opus-4-6': {
    ...claudeListPrice(5, 25),
    tiers: [{ aboveInputTokens: LONG_CONTEXT_TOKENS, ...claudeListPrice(10, 37.5) }],
  },
  'claude-opus-4-7': claudeListPrice(5, 25),
  'claude-opus-4-8': claudeListPrice(5, 25),
};

/** The premium of regional endpoints over the global profile. */
export const REGIONAL_PREMIUM = 1.1;

/**
 * The regional endpoint families: the geographic inference profiles, and `''` for the
 * in-region model id (no profile). `global.` is absent: it is at list price.
 */
export const REGIONAL_PREFIXES: readonly string[] = ['', 'us.', 'eu.', 'apac.', 'jp.', 'au.'];

/** `rate` x 1.1, rounded to a millionth of a dollar per MTok (3 x 1.1 is 3.3, not 3.3000000000000003). */
function premium(rate: number | undefined): number | undefined {
  return rate === undefined ? undefined : Math.round(rate * REGIONAL_PREMIUM * 1e6) / 1e6;
}

function withPremium<P extends Omit<ModelPrice, 'tiers'>>(price: P): P {
  const out = { ...price, input: premium(price.input)!, output: premium(price.output)! };
  for (const field of ['cacheWrite5m', 'cacheWrite1h', 'cacheRead'] as const) {
    const rate = premium(price[field]);
    if (rate !== undefined) out[field] = rate;
  }
  return out;
}

/** A list price with the regional premium on every rate, tiers included. */
export function regionalPrice(price: ModelPrice): ModelPrice {
  const { tiers, ...base } = price;
  const out: ModelPrice = withPremium(base);
  if (tiers) return { ...out, tiers: tiers.map((tier) => withPremium(tier)) };
  return out;
}

/**
 * The Bedrock price table: `<prefix>anthropic.<model>*` for each regional prefix and each
 * model with a regional premium (e.g. `us.anthropic.claude-sonnet-4-5*`, `anthropic.claude-opus-4-6*`).
 */
export const bedrockPricing: PriceTable = Object.fromEntries(
  Object.entries(LIST_PRICES).flatMap(([model, price]) =>
    REGIONAL_PREFIXES.map((prefix) => [`${prefix}anthropic.${model}*`, regionalPrice(price)] as const),
  ),
);

const ARN = /^arn:aws[a-z-]*:bedrock:[^:]*:[^:]*:(?:inference-profile|foundation-model)\/(.+)$/;

/**
 * The price key of a Bedrock id as called: the id itself, or the model or profile id an
 * ARN of a system-defined inference profile or a foundation model names. An application
 * inference profile's ARN names no model: it is returned as it is and matches no entry
 * (list price).
 */
export function bedrockPriceModel(modelId: string): string {
  const match = ARN.exec(modelId);
  return match ? match[1]! : modelId;
}
