/**
 * Config: the schema, the loader and its error.
 */
export * from './schema.js';
export { loadConfig, type LoadConfigOptions, type LoadedConfig } from './load-config.js';
export { ConfigError, formatConfigPath } from './config-error.js';
export { CONFIG_ENV_VARIABLES } from './apply-env-overrides.js';
