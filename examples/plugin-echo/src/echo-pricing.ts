/**
 * Prices of the echo models, in US dollars per million tokens. Exact ids win over
 * patterns, so `echo-1` uses its own line and every other `echo-*` model the pattern.
 */
import type { PriceTable } from '@switchyard/plugin-api';

/** The echo plugin's price table. */
export const echoPricing: PriceTable = {
  'echo-1': { input: 1, output: 2 },
  'echo-*': { input: 1, output: 2 },
};
