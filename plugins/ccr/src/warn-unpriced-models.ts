/**
 * A usage enricher that tells the operator, once per model and gateway, that a CCR
 * request was recorded unpriced: the router served a model no price table knows. The
 * record itself already says so (`priced: false`, the `unpriced:<model>` aggregate); a
 * price for the model in the price file (`usage.priceFile`) or the admin prices it.
 */
import type { Logger, UsageEnricher } from '@switchyard/plugin-api';

/** The most models warned about per gateway (clients name models: the set must not grow without end). */
export const MAX_WARNED_MODELS = 1000;

/** The enricher for records served by the plugin `pluginId`; it never changes a record. */
export function warnUnpricedModels(pluginId: string, log: Logger): UsageEnricher {
  const warned = new Set<string>();
  return (record) => {
    if (record.plugin !== pluginId || record.priced !== false || record.reason !== undefined) return record;
    // An answer without tokens (count_tokens, an error) had nothing to price.
    if (record.usage.inputTokens + record.usage.outputTokens === 0) return record;
    const model = record.upstreamModel ?? record.model ?? 'unknown';
    if (!warned.has(model) && warned.size < MAX_WARNED_MODELS) {
      warned.add(model);
      log.warn('CCR model without a price: the request was recorded unpriced; add a price for it to the price file', {
        model,
        requested: record.model,
      });
    }
    return record;
  };
}
