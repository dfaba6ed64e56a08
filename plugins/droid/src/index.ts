/**
 * @switchyard/plugin-droid: Factory.ai (Droid) accounts. A `droid` account holds one or
 * more Factory API keys or a WorkOS sign-in (device code) and serves the Claude plugin's
 * Anthropic Messages and the OpenAI plugin's Responses and chat protocols on Factory's
 * `anthropic`, `openai` and `comm` endpoints; the `/droid/*` routes serve clients that
 * mean Factory, with droid accounts only. A faithful relay: client headers and bodies go
 * upstream as they came (nothing is added to prompts), only the credential is set.
 *
 * It needs `@switchyard/plugin-claude` and `@switchyard/plugin-openai` loaded: its routes
 * and account type name their protocols by id, and their price tables price the usage by
 * the model that answered.
 *
 * @packageDocumentation
 */
import { PLUGIN_API_VERSION, definePlugin, type PluginParts } from '@switchyard/plugin-api';
import { createDroidAccountType } from './droid-account-type.js';
import { droidCliClientDetector } from './droid-cli-client-detector.js';
import { DroidKeyPool } from './droid-key-pool.js';
import { droidOptionsSchema, type DroidOptions } from './droid-options.js';
import { droidRouteFilter } from './droid-route-filter.js';
import { droidRoutes } from './droid-routes.js';

/** The parts that depend on the options: the account type and its key pool, one per gateway. */
function createDroidParts(options: DroidOptions): PluginParts<DroidOptions> {
  return { accountTypes: [createDroidAccountType(options, new DroidKeyPool(options.keys))] };
}

/** The Droid plugin (the package's default export). It holds no state. */
export const droidPlugin = definePlugin({
  id: 'droid',
  apiVersion: PLUGIN_API_VERSION,
  description:
    'Factory.ai (Droid) accounts, with API keys or a WorkOS sign-in, for Claude, GPT and other models; the /droid routes.',
  options: droidOptionsSchema,
  routes: droidRoutes,
  create: ({ options }) => createDroidParts(options),
  setup(env) {
    env.scheduler.addFilter(droidRouteFilter);
    env.keys.addClientDetector(droidCliClientDetector);
  },
});

export default droidPlugin;

export { DROID, DROID_MODEL_DEFAULTS, createDroidAccountType } from './droid-account-type.js';
export { droidCredentialsSchema, droidSettingsSchema, type DroidCredentials } from './droid-credentials.js';
export { DROID_ENDPOINTS, DROID_ENDPOINT_KINDS, type DroidEndpointKind } from './droid-endpoints.js';
export { droidOptionsSchema, type DroidOptions } from './droid-options.js';
export { droidRoutes, DROID_MOUNTS } from './droid-routes.js';
export { droidCliClientDetector } from './droid-cli-client-detector.js';
export { DroidKeyPool, fingerprintOf } from './droid-key-pool.js';
