/**
 * @switchyard/plugin-bedrock: Claude on AWS Bedrock. The `bedrock` account type serves
 * the Anthropic Messages protocol (defined by the Claude plugin, which must be loaded
 * too): requests are signed with SigV4 or a Bedrock API key, sent to Bedrock's
 * InvokeModel endpoints, and answered in Anthropic's wire format (the event stream
 * re-emitted as Anthropic SSE), so usage is read by the Claude plugin's codec and priced
 * by its table, except regional endpoints of Sonnet 4.5 and later, priced 10% above list
 * by this plugin's table (the adapter's `priceModel`).
 *
 * @packageDocumentation
 */
import { PLUGIN_API_VERSION, definePlugin } from '@switchyard/plugin-api';
import { createBedrockAccountType } from './bedrock-account-type.js';
import { bedrockPricing } from './bedrock-pricing.js';

/** The Bedrock plugin (the package's default export). It holds no state. */
export const bedrockPlugin = definePlugin({
  id: 'bedrock',
  apiVersion: PLUGIN_API_VERSION,
  description: 'Claude on AWS Bedrock (SigV4 or Bedrock API key) for Claude Code and the Anthropic SDKs.',
  accountTypes: [createBedrockAccountType()],
  // Regional endpoints' premium over list price; everything else is priced by the Claude plugin's table.
  pricing: bedrockPricing,
});

export default bedrockPlugin;

export { createBedrockAccountType, sendToBedrock } from './bedrock-account-type.js';
export {
  bedrockCredentialsSchema,
  bedrockSettingsSchema,
  defaultBedrockUrl,
  INFERENCE_PROFILES,
  type BedrockCredentials,
  type BedrockSettings,
} from './bedrock-credentials.js';
export { BEDROCK_MODEL_IDS, BEDROCK_MODEL_CATALOG, bedrockModelId } from './bedrock-models.js';
export { classifyBedrockError, rewriteBedrockError, exceptionName } from './bedrock-errors.js';
export {
  bedrockBody,
  bedrockUrl,
  authorizedHeaders,
  BEDROCK_ANTHROPIC_VERSION,
  BEDROCK_SIGNING_SERVICE,
} from './bedrock-request.js';
export { eventStreamToSse, EventStreamDecodeError } from './event-stream-to-sse.js';
export { probeBedrock } from './bedrock-probe.js';
export { countTokensOnBedrock, countTokensModelId } from './bedrock-count-tokens.js';
export { bedrockPricing, bedrockPriceModel, regionalPrice, REGIONAL_PREFIXES, REGIONAL_PREMIUM } from './bedrock-pricing.js';
export {
  InvocationMetricsCheck,
  compareInvocationMetrics,
  invocationMetricsOf,
  invocationMetricsFromHeaders,
  INVOCATION_METRICS_KEY,
  USAGE_MISMATCH_FLAG,
  type InvocationMetrics,
  type UsageDisagreement,
} from './invocation-metrics-check.js';
