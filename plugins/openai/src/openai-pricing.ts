/**
 * OpenAI list prices, US dollars per million tokens (standard tier). `cacheRead` is the
 * cached-input price. Exact ids first, then family patterns (the longest pattern wins).
 * Priority-tier prices are in {@link openAiPriorityPricing}.
 */
import type { ModelPrice, PriceTable } from '@switchyard/plugin-api';

const p = (input: number, cacheRead: number, output: number): ModelPrice => ({ input, cacheRead, output });

/** Standard-tier prices. */
export const openAiPricing: PriceTable = {
  'gpt-5.1': p(1.25, 0.125, 10),
  'gpt-5': p(1.25, 0.125, 10),
  'gpt-5-mini': p(0.25, 0.025, 2),
  'gpt-5-nano': p(0.05, 0.005, 0.4),
  'gpt-5-codex': p(1.25, 0.125, 10),
  'gpt-5.1-codex': p(1.25, 0.125, 10),
  'gpt-5.1-codex-mini': p(0.25, 0.025, 2),
  'gpt-4.1': p(2, 0.5, 8),
  'gpt-4.1-mini': p(0.4, 0.1, 1.6),
  'gpt-4.1-nano': p(0.1, 0.025, 0.4),
  'gpt-4o': p(2.5, 1.25, 10),
  'gpt-4o-mini': p(0.15, 0.075, 0.6),
  o3: p(2, 0.5, 8),
  'o3-mini': p(1.1, 0.55, 4.4),
  'o4-mini': p(1.1, 0.275, 4.4),
  o1: p(15, 7.5, 60),
  'gpt-5*': p(1.25, 0.125, 10),
  'gpt-5-mini*': p(0.25, 0.025, 2),
  'gpt-5-nano*': p(0.05, 0.005, 0.4),
  'gpt-5.1-codex-mini*': p(0.25, 0.025, 2),
  'gpt-4.1*': p(2, 0.5, 8),
  'gpt-4.1-mini*': p(0.4, 0.1, 1.6),
  'gpt-4.1-nano*': p(0.1, 0.025, 0.4),
  'gpt-4o*': p(2.5, 1.25, 10),
  'gpt-4o-mini*': p(0.15, 0.075, 0.6),
  'o3-*': p(2, 0.5, 8),
  'o3-mini*': p(1.1, 0.55, 4.4),
  'o4-mini*': p(1.1, 0.275, 4.4),
};

/**
 * Priority-tier prices (requests answered with `service_tier: "priority"`), keyed like
 * {@link openAiPricing}: a model is repriced by the priority price of the standard entry
 * that prices it, so a standard entry without one here (e.g. `gpt-5-nano*`) keeps its
 * standard price.
 */
export const openAiPriorityPricing: PriceTable = {
  'gpt-5.1': p(2.5, 0.25, 20),
  'gpt-5': p(2.5, 0.25, 20),
  'gpt-5-mini': p(0.45, 0.045, 3.6),
  'gpt-5-codex': p(2.5, 0.25, 20),
  'gpt-5.1-codex': p(2.5, 0.25, 20),
  'gpt-4.1': p(3.5, 0.875, 14),
  'gpt-4.1-mini': p(0.7, 0.175, 2.8),
  'gpt-4.1-nano': p(0.2, 0.05, 0.8),
  'gpt-4o': p(4.25, 2.125, 17),
  'gpt-4o-mini': p(0.25, 0.125, 1),
  o3: p(3.5, 0.875, 14),
  'o4-mini': p(2, 0.5, 8),
  'gpt-5*': p(2.5, 0.25, 20),
  'gpt-5-mini*': p(0.45, 0.045, 3.6),
  'gpt-4.1*': p(3.5, 0.875, 14),
  'gpt-4.1-mini*': p(0.7, 0.175, 2.8),
  'gpt-4.1-nano*': p(0.2, 0.05, 0.8),
  'gpt-4o*': p(4.25, 2.125, 17),
  'gpt-4o-mini*': p(0.25, 0.125, 1),
  'o3-*': p(3.5, 0.875, 14),
  'o4-mini*': p(2, 0.5, 8),
};
