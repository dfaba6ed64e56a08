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

/**
 * What a plugin contributes: protocols, translators, account types, routes, prices and
 * its setup. Declared on the plugin itself when they do not depend on the plugin's
 * options, or returned by {@link SwitchyardPlugin.create} when they do.
 */
export interface PluginParts<O = unknown> {
  /** Protocols the plugin defines. */
  protocols?: readonly ProtocolDefinition[];
  /** Protocol converters the plugin provides. */
  translators?: readonly TranslatorDefinition[];
  /** Account types the plugin provides (each made with `defineAccountType`). */
  accountTypes?: readonly AccountTypeDefinition[];
  /** Client-facing routes and their default mount points. */
  routes?: RouteSet;
  /** Prices of the models the plugin's account types serve. */
  pricing?: PriceTable;
  /**
   * Exact ids of models that exist at the plugin's provider, beyond the exact keys of
   * {@link PluginParts.pricing} (whose keys may be patterns). Model lists expand an
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
   * Called once per gateway after every plugin was declared and validated; the place to
   * use the extension points. Registries are frozen when every setup has returned.
   */
  setup?(env: PluginEnv<O>): void | Promise<void>;
}

/** The names of {@link PluginParts}, in declaration order. */
const PLUGIN_PART_NAMES = [
  'protocols',
  'translators',
  'accountTypes',
  'routes',
  'pricing',
  'knownModels',
  'setup',
] as const satisfies readonly (keyof PluginParts)[];

/** What {@link SwitchyardPlugin.create} gets from the core: the plugin's identity and validated options. */
export interface PluginContext<O = unknown> {
  /** The plugin's id. */
  readonly pluginId: string;
  /** The plugin's options from the config file, validated (defaults applied) by its `options` schema. */
  readonly options: O;
}

/**
 * A Switchyard plugin: what its package default-exports, made with {@link definePlugin}.
 * The object holds no state: what depends on the plugin's options (account types that
 * call configured endpoints, routes, state shared by hooks) comes from `create`, which
 * the core calls once per gateway with the validated options.
 */
export interface SwitchyardPlugin<O = unknown> extends PluginParts<O> {
  /** Unique id, kebab-case (`echo`, `my-provider`). Account type ids start with it. */
  id: string;
  /** The contract major the plugin was written for: {@link PLUGIN_API_VERSION}. */
  apiVersion: number;
  /** Human description for logs and the admin. */
  description?: string;
  /** Schema of the plugin's options (its entry in the config's `plugins` list). */
  options?: z.ZodType<O>;
  /**
   * Builds the parts that depend on the plugin's options, once per gateway, after the
   * options were validated. Its parts join the ones declared on the plugin; a part
   * declared in both places is a load error. Keep per-gateway state here, never in
   * module scope.
   *
   * @example
   * ```ts
   * create: ({ options }) => ({ accountTypes: [createAcmeAccountType(options)] })
   * ```
   */
  create?(context: PluginContext<O>): PluginParts<O>;
}

/**
 * Declares a plugin. It returns its argument unchanged; its use is type inference (the
 * options type comes from the `options` schema) and a single recognisable shape for
 * every plugin.
 *
 * @example
 * ```ts
 * export default definePlugin({
 *   id: 'echo',
 *   apiVersion: PLUGIN_API_VERSION,
 *   options: z.object({ apiUrl: z.string().url().default('https://echo.example') }),
 *   protocols: [echoProtocol],
 *   create: ({ options }) => ({ accountTypes: [createEchoKeyAccountType(options.apiUrl)] }),
 * });
 * ```
 */
export function definePlugin<O = unknown>(plugin: SwitchyardPlugin<O>): SwitchyardPlugin<O> {
  return plugin;
}

/**
 * The plugin's parts for one gateway: those declared on the plugin, joined with what its
 * `create` returns for `context`. The core's loader uses it; so can a plugin's unit tests.
 *
 * @param plugin - The plugin.
 * @param context - Its id and validated options (parse them with the plugin's `options` schema).
 * @returns Every part, from wherever it was declared.
 * @throws Error when `create` throws, returns something else than an object, or returns
 *   a part the plugin also declares itself.
 */
export function resolvePluginParts<O>(plugin: SwitchyardPlugin<O>, context: PluginContext<NoInfer<O>>): PluginParts<O> {
  const parts: PluginParts<O> = {};
  const assign = <K extends keyof PluginParts<O>>(target: PluginParts<O>, source: PluginParts<O>, name: K): void => {
    if (source[name] !== undefined) target[name] = source[name];
  };
  for (const name of PLUGIN_PART_NAMES) assign(parts, plugin, name);
  if (plugin.create === undefined) return parts;
  const created: unknown = plugin.create(context);
  if (typeof created !== 'object' || created === null || Array.isArray(created)) {
    throw new Error('create must return an object of plugin parts');
  }
  const fromCreate = created as PluginParts<O>;
  const twice = PLUGIN_PART_NAMES.filter((name) => plugin[name] !== undefined && fromCreate[name] !== undefined);
  if (twice.length > 0) throw new Error(`${twice.join(', ')} declared both on the plugin and by create`);
  for (const name of PLUGIN_PART_NAMES) assign(parts, fromCreate, name);
  return parts;
}
