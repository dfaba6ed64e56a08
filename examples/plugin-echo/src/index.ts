/**
 * switchyard-plugin-echo: an example third-party Switchyard plugin built only on
 * `@switchyard/plugin-api`. It adds the `echo` protocol, the `echo-key` account
 * type and the `/echo` routes. Read it alongside docs/plugins.md.
 *
 * @packageDocumentation
 */
import { PLUGIN_API_VERSION, definePlugin } from '@switchyard/plugin-api';
import { echoKeyAccountType } from './echo-key-account-type.js';
import { echoPricing } from './echo-pricing.js';
import { echoProtocol } from './echo-protocol.js';
import { echoRoutes } from './echo-routes.js';

/** The echo plugin. */
export const echoPlugin = definePlugin({
  id: 'echo',
  apiVersion: PLUGIN_API_VERSION,
  description: 'Example plugin: relays the echo protocol to echo servers.',
  protocols: [echoProtocol],
  accountTypes: [echoKeyAccountType],
  routes: echoRoutes,
  pricing: echoPricing,
});

export default echoPlugin;

export { echoProtocol, ECHO_PROTOCOL } from './echo-protocol.js';
export { echoUsageCodec, toUsage } from './echo-usage-codec.js';
export { echoKeyAccountType, DEFAULT_ECHO_MODELS, type EchoCredentials } from './echo-key-account-type.js';
export { echoRoutes } from './echo-routes.js';
export { echoPricing } from './echo-pricing.js';
