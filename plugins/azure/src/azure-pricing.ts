/**
 * Prices the Azure plugin adds: OpenAI's embedding models, which the OpenAI plugin's
 * table does not price (yet). Chat and Responses usage is priced by the OpenAI plugin's
 * table, by the model name (see azure-usage-tap.ts). US dollars per million tokens,
 * OpenAI list prices (Azure's global standard deployments bill the same).
 */
import type { PriceTable } from '@switchyard/plugin-api';

/** Embedding model prices. */
export const azureEmbeddingPricing: PriceTable = {
  'text-embedding-3-small': { input: 0.02, output: 0 },
  'text-embedding-3-large': { input: 0.13, output: 0 },
  'text-embedding-ada-002': { input: 0.1, output: 0 },
};
