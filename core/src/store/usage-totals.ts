/** Helpers for {@link UsageTotals}: the zero value, adding, and the list of counted fields. */
import type { UsageTotals } from './types.js';

/** Every counted field of {@link UsageTotals}, in storage order. */
export const USAGE_TOTAL_FIELDS = [
  'requests',
  'errors',
  'inputTokens',
  'outputTokens',
  'cacheWrite5mTokens',
  'cacheWrite1hTokens',
  'cacheReadTokens',
  'costMicros',
  'ratedCostMicros',
] as const satisfies readonly (keyof UsageTotals)[];

/** Totals with every count at zero. */
export function emptyTotals(): UsageTotals {
  return {
    requests: 0,
    errors: 0,
    inputTokens: 0,
    outputTokens: 0,
    cacheWrite5mTokens: 0,
    cacheWrite1hTokens: 0,
    cacheReadTokens: 0,
    costMicros: 0,
    ratedCostMicros: 0,
  };
}

/** Adds `delta` into `into` (mutating it) and returns it. */
export function addTotals(into: UsageTotals, delta: UsageTotals): UsageTotals {
  for (const field of USAGE_TOTAL_FIELDS) into[field] += delta[field];
  return into;
}

/** Sum of every token count (input, output, cache writes and reads). */
export function totalTokens(totals: UsageTotals): number {
  return (
    totals.inputTokens + totals.outputTokens + totals.cacheWrite5mTokens + totals.cacheWrite1hTokens + totals.cacheReadTokens
  );
}
