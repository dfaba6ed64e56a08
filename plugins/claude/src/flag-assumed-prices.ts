/**
 * A usage enricher flagging records of Claude models that only an assumed price entry
 * priced (a model newer than the price table): the record gets `priced: false`, like
 * any unpriced model, and the operator is told once per model in the logs.
 */
import type { Logger, UsageEnricher } from '@switchyard/plugin-api';
import { ASSUMED_PRICE_ENTRIES } from './claude-pricing.js';

/** The enricher for records served by the plugin `pluginId`. */
export function flagAssumedPrices(pluginId: string, log: Logger): UsageEnricher {
  const warned = new Set<string>();
  return (record) => {
    if (record.plugin !== pluginId || !record.pricedAs || !ASSUMED_PRICE_ENTRIES.has(record.pricedAs)) return record;
    const model = record.upstreamModel ?? record.model ?? 'unknown';
    if (!warned.has(model)) {
      warned.add(model);
      log.warn('Claude model without a known list price, priced by assumption: add it to the price file', {
        model,
        pricedAs: record.pricedAs,
      });
    }
    return Object.assign({}, record, { priced: false });
  };
}
