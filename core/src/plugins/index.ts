/**
 * Plugin loading: declare (import, validate), set up (extension points), and the
 * frozen registry the rest of the core reads.
 */
export { declarePlugins, type DeclarePluginsInput, type DeclaredPlugins } from './declare-plugins.js';
export { setupPlugins } from './setup-plugins.js';
export type { PluginServices } from './extension-collector.js';
export { PluginLoadError } from './plugin-load-error.js';
export { baseUrlSchema, credentialSchemaFor, settingsSchemaFor } from './account-type-schemas.js';
export { joinRoutePath, normalizeMount } from './route-path.js';
export type * from './registry-types.js';
