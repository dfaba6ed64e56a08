/**
 * Gemini API list prices (paid tier), US dollars per million tokens. Pro models have
 * a long-context tier: above 200k prompt tokens the tier's prices apply to the whole
 * request. `cacheRead` is the context-cache price. Output includes thinking tokens.
 */
import type { ModelPrice, PriceTable } from '@switchyard/plugin-api';

const pro25: ModelPrice = {
  input: 1.25,
  cacheRead: 0.125,
  output: 10,
  tiers: [{ aboveInputTokens: 200_000, input: 2.5, cacheRead: 0.25, output: 15 }],
};
const pro3: ModelPrice = {
  input: 2,
  cacheRead: 0.2,
  output: 12,
  tiers: [{ aboveInputTokens: 200_000, input: 4, cacheRead: 0.4, output: 18 }],
};
const flash25: ModelPrice = { input: 0.3, cacheRead: 0.03, output: 2.5 };
const flashLite25: ModelPrice = { input: 0.1, cacheRead: 0.01, output: 0.4 };
const flash20: ModelPrice = { input: 0.1, cacheRead: 0.025, output: 0.4 };
const flashLite20: ModelPrice = { input: 0.075, cacheRead: 0.075, output: 0.3 };

/** Gemini prices: exact ids, then family patterns (longest pattern wins). */
export const geminiPricing: PriceTable = {
  'gemini-3-pro-preview': pro3,
  'gemini-2.5-pro': pro25,
  'gemini-2.5-flash': flash25,
  'gemini-2.5-flash-lite': flashLite25,
  'gemini-2.0-flash': flash20,
  'gemini-2.0-flash-lite': flashLite20,
  'gemini-3*-pro*': pro3,
  'gemini-2.5-pro*': pro25,
  'gemini-2.5-flash*': flash25,
  'gemini-2.5-flash-lite*': flashLite25,
  'gemini-2.0-flash*': flash20,
  'gemini-2.0-flash-lite*': flashLite20,
  'gemini-*-flash-lite*': flashLite25,
  'gemini-*-flash*': flash25,
  'gemini-*-pro*': pro3,
};
