/**
 * `@switchyard/plugin-ccr`: CCR accounts, an Anthropic-compatible upstream that routes by
 * model (a Claude Code Router instance, or any gateway that does the same), for requests
 * whose model is `ccr,<provider>,<model>`. Claude Code and the Anthropic SDKs reach it
 * through the Claude plugin's routes; the `ccr,` prefix is removed before forwarding.
 *
 * It needs `@switchyard/plugin-claude` loaded: the account type serves that plugin's
 * `anthropic-messages` protocol by id (a plain id: without it a CCR account could serve
 * nothing, so the gateway refuses to start and names the missing protocol). Usage is
 * priced by the model the router served, from the merged price table; a model no table
 * knows is recorded unpriced, and the operator is told once per model.
 *
 * @packageDocumentation
 */
import { PLUGIN_API_VERSION, definePlugin } from '@switchyard/plugin-api';
import { ccrAccountType } from './ccr-account-type.js';
import { warnUnpricedModels } from './warn-unpriced-models.js';

export {
  CCR,
  CCR_MODEL_CATALOG,
  ccrAccountType,
  ccrCredentialsSchema,
  ccrSettingsSchema,
  type CcrCredentials,
} from './ccr-account-type.js';
export { CCR_MODEL_PREFIX, pricedModel, upstreamModel } from './ccr-model.js';
export { anthropicStreamUsageTap, unaryAnthropicUsage } from './anthropic-usage.js';

/** The CCR plugin (the package's default export). It holds no state and takes no options. */
export const ccrPlugin = definePlugin({
  id: 'ccr',
  apiVersion: PLUGIN_API_VERSION,
  description: 'CCR accounts: an Anthropic-compatible router (Claude Code Router) for models named ccr,<provider>,<model>.',
  accountTypes: [ccrAccountType],
  setup(env) {
    env.usage.addEnricher(warnUnpricedModels(env.pluginId, env.log));
  },
});

export default ccrPlugin;
