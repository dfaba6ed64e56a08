/**
 * `@switchyard/core`: the engine. Embedders and the CLI use `createGateway`; plugins
 * use `@switchyard/plugin-api`; plugin tests use `@switchyard/core/testing`.
 *
 * @packageDocumentation
 */
export { createGateway } from './gateway.js';
export type { Gateway, GatewayOptions } from './gateway-types.js';
export {
  loadConfig,
  ConfigError,
  configSchema,
  type GatewayConfig,
  type GatewayConfigInput,
  type LoadedConfig,
} from './config/index.js';
export { PluginLoadError } from './plugins/plugin-load-error.js';
export type { Store } from './store/types.js';
export { systemClock, type Clock, type ClockTimer } from './time/clock.js';
export { createLogger, type LoggerOptions, type LogLevel } from './logging/create-logger.js';
