/**
 * Priority-tier pricing. OpenAI bills requests served with `service_tier: "priority"`
 * at higher rates. The usage codecs copy the answer's `service_tier` into the usage's
 * `raw` object; this enricher reprices such records from {@link openAiPriorityPricing}.
 */
import { isRecord, matchesModel } from '@switchyard/plugin-api';
import type { ModelPrice, PriceTable, Usage, UsageEnricher, UsageRecord } from '@switchyard/plugin-api';
import { openAiPricing, openAiPriorityPricing } from './openai-pricing.js';

/** The entry of `table` pricing `model`: its exact id, else the longest matching pattern (the core's rule). */
function entryOf(table: PriceTable, model: string): string | undefined {
  if (table[model]) return model;
  return Object.keys(table)
    .filter((key) => key.includes('*') && matchesModel(key, model))
    .sort((a, b) => b.length - a.length)[0];
}

/**
 * The priority price of a model, with its entry: the priority price of the standard
 * entry that prices the model (exact id first, then the longest matching pattern).
 * Looking the model up in the standard table first keeps a dated snapshot of a smaller
 * model (`gpt-4o-mini-2024-07-18`) from matching a broader priority pattern (`gpt-4o*`);
 * a model whose entry has no priority price (`gpt-5-nano*`) keeps its standard price.
 */
export function priorityPrice(model: string): { entry: string; price: ModelPrice } | undefined {
  const entry = entryOf(openAiPricing, model) ?? entryOf(openAiPriorityPricing, model);
  const price = entry === undefined ? undefined : openAiPriorityPricing[entry];
  return entry !== undefined && price ? { entry, price } : undefined;
}

const pico = (price: number | undefined, fallback: number): number => Math.round((price ?? fallback) * 1_000_000);

/** Cost of `usage` at `price`, integer micro-dollars (exact sum in picodollars, rounded half up once). */
export function costMicrosAt(price: ModelPrice, usage: Usage): number {
  const total =
    usage.inputTokens * pico(price.input, 0) +
    usage.outputTokens * pico(price.output, 0) +
    usage.cacheReadTokens * pico(price.cacheRead, price.input) +
    usage.cacheWrite5mTokens * pico(price.cacheWrite5m, price.input) +
    usage.cacheWrite1hTokens * pico(price.cacheWrite1h, price.input);
  return Math.floor((total + 500_000) / 1_000_000);
}

/** The service tier upstream reported for a record, when the codec kept it. */
export function serviceTierOf(record: UsageRecord): string | undefined {
  const raw = record.usage.raw;
  return isRecord(raw) && typeof raw.service_tier === 'string' ? raw.service_tier : undefined;
}

/** Reprices records of priority-tier answers. */
export const priorityTierEnricher: UsageEnricher = (record) => {
  if (serviceTierOf(record) !== 'priority') return record;
  const model = record.usage.model ?? record.model;
  const found = model ? priorityPrice(model) : undefined;
  if (!found) return record;
  const costMicros = costMicrosAt(found.price, record.usage);
  return {
    ...record,
    costMicros,
    pricedAs: `${found.entry} (priority)`,
    ...(record.costMultiplier !== undefined ? { ratedCostMicros: Math.round(costMicros * record.costMultiplier) } : {}),
  };
};
