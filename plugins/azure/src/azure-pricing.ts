/**
 * Prices the Azure plugin adds: OpenAI's embedding models, which the OpenAI plugin's
 * table does not price (yet). Chat and Responses usage is priced by the OpenAI plugin's
 * table, by the model name (see azure-usage-tap.ts). US dollars per million tokens,
 * pay-as-you-go (standard deployments); checked 2026-12-07: Azure's prices per 1,000
 * tokens are $0.00002 (text-embedding-3-small), $0.00013 (3-large) and $0.0001 (ada-002)
 * (Microsoft's Azure OpenAI pricing page, azure.microsoft.com/pricing/details/cognitive-services/openai-service,
 * as quoted by Microsoft's announcement of the text-embedding-3 models and by an independent
 * tracker, embeddingcost.com/azure-openai, verified May 2026), which are OpenAI's list
 * prices. Azure offers no batch discount on embeddings; provisioned throughput is not priced.
 */
import type { PriceTable } from '@switchyard/plugin-api';

/** Embedding model prices. */
export const azureEmbeddingPricing: PriceTable = {
  'text-embedding-3-small': { input: 0.02, output: 0 },
  'text-embedding-3-large': { input: 0.13, output: 0 },
  'text-embedding-ada-002': { input: 0.1, output: 0 },
};
