import type { z } from 'zod';
import type { ProtocolDefinition } from './protocol.js';
import type { TranslatorDefinition } from './translator.js';
import type { AccountTypeDefinition } from './account-type.js';
import type { RouteSet } from './route.js';
import type { PriceTable } from './usage.js';
import type { PluginEnv } from './extension-points.js';

/**
 * The major version of this contract. A plugin states the version it targets in
 * `apiVersion`; the loader refuses a plugin whose version differs.
 */
export const PLUGIN_API_VERSION = 1;

/** A Switchyard plugin: what its package default-exports, made with {@link definePlugin}. */
export interface SwitchyardPlugin<O = unknown> {
  /** Unique id, kebab-case (`echo`, `my-provider`). Account type ids start with it. */
  id: string;
  /** The contract major the plugin was written for: {@link PLUGIN_API_VERSION}. */
  apiVersion: number;
  /** Human description for logs and the admin. */
  description?: string;
  /** Schema of the plugin's options (its entry in the config's `plugins` list). */
  options?: z.ZodType<O>;
  /** Protocols the plugin defines. */
  protocols?: readonly ProtocolDefinition[];
  /** Protocol converters the plugin provides. */
  translators?: readonly TranslatorDefinition[];
  /** Account types the plugin provides. */
  accountTypes?: readonly AccountTypeDefinition<any>[];
  /** Client-facing routes and their default mount points. */
  routes?: RouteSet;
  /** Prices of the models the plugin's account types serve. */
  pricing?: PriceTable;
  /**
   * Exact ids of models that exist at the plugin's provider, beyond the exact keys of
   * {@link SwitchyardPlugin.pricing} (whose keys may be patterns). Model lists expand an
   * account's `*` patterns against these ids and the price tables' exact keys, so a list
   * names real models only; never list a guessed id here.
   *
   * @example
   * ```ts
   * knownModels: ['big-model-4', 'big-model-4-20250101']
   * ```
   */
  knownModels?: readonly string[];
  /**
   * Called once after every plugin was declared and validated; the place to use the
   * extension points. Registries are frozen when every setup has returned.
   */
  setup?(env: PluginEnv<O>): void | Promise<void>;
}

/**
 * Declares a plugin. It returns its argument unchanged; its use is type inference and
 * a single recognisable shape for every plugin.
 *
 * @example
 * export default definePlugin({ id: 'echo', apiVersion: PLUGIN_API_VERSION, protocols: [...], accountTypes: [...] });
 */
export function definePlugin<O = unknown>(plugin: SwitchyardPlugin<O>): SwitchyardPlugin<O> {
  return plugin;
}
