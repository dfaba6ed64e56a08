/**
 * `@switchyard/plugin-azure`: Azure OpenAI accounts. An `azure-openai` account serves
 * the OpenAI plugin's `openai-chat` and `openai-responses` protocols (so the OpenAI
 * routes reach it for the models its deployments map) and this plugin's
 * `openai-embeddings`; the `/azure/*` routes serve clients written against Azure.
 *
 * It needs `@switchyard/plugin-openai` loaded: its routes and account type refer to the
 * OpenAI protocols by id (plain ids, not "when available": without them the Azure routes
 * could not exist, so the gateway refuses to start and names the missing protocol), and
 * OpenAI's price table prices the chat and Responses usage.
 */
import { PLUGIN_API_VERSION, definePlugin } from '@switchyard/plugin-api';
import { azureOpenAiAccountType } from './azure-openai-account-type.js';
import { azureEmbeddingPricing } from './azure-pricing.js';
import { azureRouteFilter } from './azure-route-filter.js';
import { azureRoutes } from './azure-routes.js';
import { openAiEmbeddingsProtocol } from './embeddings-protocol.js';

export { AZURE_OPENAI } from './azure-openai-account-type.js';
export { OPENAI_EMBEDDINGS } from './protocol-ids.js';
export type { AzureOpenAiCredentials } from './azure-settings.js';
export {
  COGNITIVE_SERVICES_SCOPE,
  DEFAULT_AUTHORITY_HOST,
  REFRESH_AHEAD_MS,
  authModeOf,
  entraTokenRefresher,
  entraTokenUrl,
  fetchEntraToken,
  isEntraTokenDue,
  type AzureAuthMode,
  type EntraToken,
} from './entra-client-credentials.js';

/**
 * The Azure plugin (the package's default export). It holds no state and takes no
 * options; its setup keeps the `/azure` routes to Azure accounts.
 */
export const azurePlugin = definePlugin({
  id: 'azure',
  apiVersion: PLUGIN_API_VERSION,
  description:
    'Azure OpenAI resources (deployments, api-version or the v1 API) for OpenAI chat, Responses and embeddings; the /azure routes.',
  protocols: [openAiEmbeddingsProtocol],
  accountTypes: [azureOpenAiAccountType],
  routes: azureRoutes,
  pricing: azureEmbeddingPricing,
  setup(env) {
    env.scheduler.addFilter(azureRouteFilter);
  },
});
export default azurePlugin;
