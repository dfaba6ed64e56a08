/**
 * Checks one plugin object on its own: the shape of everything it declares, its API
 * version, and its options against its own schema. Cross-plugin checks live in
 * `check-plugin-set.ts`.
 */
import { PLUGIN_API_VERSION } from '@switchyard/plugin-api';
import type { HttpMethod, SwitchyardPlugin } from '@switchyard/plugin-api';
import { modelPrefixProblem } from '../accounts/model-prefix-claims.js';

/** Plugin, protocol and account type ids: lower-case words joined by dashes. */
export const KEBAB_CASE = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

const HTTP_METHODS: ReadonlySet<HttpMethod> = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);

type Loose = Record<string, unknown>;

function isObject(value: unknown): value is Loose {
  return value !== null && typeof value === 'object';
}

function isFunction(value: unknown): boolean {
  return typeof value === 'function';
}

/** True for a zod object schema (also from another copy of zod). */
export function isZodObject(value: unknown): boolean {
  const internals = isObject(value) ? (value._zod as { def?: { type?: string } } | undefined) : undefined;
  return internals?.def?.type === 'object';
}

/** True for any zod schema (also from another copy of zod). */
export function isZodSchema(value: unknown): boolean {
  return isObject(value) && isObject(value._zod) && isFunction(value.safeParse);
}

/** `plugin "id" (from source)`, the prefix of a plugin's problems. */
export function pluginLabel(plugin: { id?: unknown }, source: string): string {
  return `plugin ${JSON.stringify(String(plugin.id))} (from ${source})`;
}

function list(value: unknown): unknown[] | undefined {
  return Array.isArray(value) ? value : undefined;
}

function checkProtocols(plugin: Loose, say: (message: string) => void): void {
  list(plugin.protocols)?.forEach((protocol, index) => {
    const where = `protocols[${index}]`;
    if (!isObject(protocol)) return say(`${where} is not an object`);
    if (typeof protocol.id !== 'string' || !KEBAB_CASE.test(protocol.id))
      say(`${where}: protocol id ${JSON.stringify(protocol.id)} is not kebab-case`);
    if (typeof protocol.family !== 'string' || protocol.family === '')
      say(`protocol "${String(protocol.id)}": family must be a non-empty string`);
    if (!isFunction(protocol.describe) || !isFunction(protocol.renderError))
      say(`protocol "${String(protocol.id)}": describe and renderError must be functions`);
    const usage = protocol.usage;
    if (!isObject(usage) || !isFunction(usage.fromJson) || !isFunction(usage.createStreamTap))
      say(`protocol "${String(protocol.id)}": usage must have fromJson and createStreamTap`);
  });
}

function checkTranslators(plugin: Loose, say: (message: string) => void): void {
  list(plugin.translators)?.forEach((translator, index) => {
    if (!isObject(translator)) return say(`translators[${index}] is not an object`);
    const name = `translator ${String(translator.from)} -> ${String(translator.to)}`;
    if (typeof translator.from !== 'string' || typeof translator.to !== 'string')
      say(`translators[${index}]: from and to must be protocol ids`);
    if (!isFunction(translator.request) || !isFunction(translator.response) || !isFunction(translator.createStream)) {
      say(`${name}: request, response and createStream must be functions`);
    }
  });
}

function checkAccountTypes(plugin: Loose, id: string, say: (message: string) => void): void {
  list(plugin.accountTypes)?.forEach((type, index) => {
    if (!isObject(type)) return say(`accountTypes[${index}] is not an object`);
    const name = `account type ${JSON.stringify(type.id)}`;
    // `<pluginId>-<name>`, or the plugin id itself for a plugin with a single account type.
    const ownId = typeof type.id === 'string' && (type.id === id || type.id.startsWith(`${id}-`));
    if (!ownId || !KEBAB_CASE.test(type.id as string)) {
      say(`${name}: account type ids must be kebab-case and be "${id}" or start with "${id}-"`);
    }
    if (typeof type.label !== 'string' || type.label === '') say(`${name}: label must be a non-empty string`);
    if (!isZodObject(type.credentials)) say(`${name}: credentials must be a zod object schema`);
    if (type.settings !== undefined && !isZodObject(type.settings)) say(`${name}: settings must be a zod object schema`);
    const serves = list(type.serves);
    if (!serves || serves.length === 0 || !serves.every(isServedProtocol)) {
      say(`${name}: serves must list at least one protocol id (or { protocol, whenAvailable: true })`);
    }
    if (!isObject(type.adapter) || !isFunction(type.adapter.send)) say(`${name}: adapter.send must be a function`);
    const prefix = isObject(type.models) ? type.models.prefix : undefined;
    const prefixProblem = prefix === undefined ? undefined : modelPrefixProblem(prefix);
    if (prefixProblem) say(`${name}: ${prefixProblem}`);
  });
}

/** A `serves` entry: a protocol id, or `{ protocol, whenAvailable: true }`. */
function isServedProtocol(entry: unknown): boolean {
  return typeof entry === 'string' || (isObject(entry) && typeof entry.protocol === 'string' && entry.whenAvailable === true);
}

function checkRoutes(plugin: Loose, say: (message: string) => void): void {
  if (plugin.routes === undefined) return;
  const routes = plugin.routes;
  if (!isObject(routes)) return say('routes must be an object with mounts and routes');
  const mounts = list(routes.mounts);
  if (!mounts || !mounts.every((mount) => typeof mount === 'string')) say('routes.mounts must be a list of paths');
  const definitions = list(routes.routes);
  if (!definitions) return say('routes.routes must be a list');
  definitions.forEach((route, index) => {
    const where = `routes.routes[${index}]`;
    if (!isObject(route)) return say(`${where} is not an object`);
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (methods.length === 0 || !methods.every((method) => HTTP_METHODS.has(method as HttpMethod))) {
      say(`${where}: method ${JSON.stringify(route.method)} is not one of ${[...HTTP_METHODS].join(', ')}`);
    }
    if (typeof route.path !== 'string') say(`${where}: path must be a string`);
    if (typeof route.protocol !== 'string') say(`${where}: protocol must be a protocol id`);
    if (route.auth !== undefined && route.auth !== 'key' && route.auth !== 'none') say(`${where}: auth must be "key" or "none"`);
    if (
      route.bodyLimitMb !== undefined &&
      !(typeof route.bodyLimitMb === 'number' && Number.isFinite(route.bodyLimitMb) && route.bodyLimitMb > 0)
    ) {
      say(`${where}: bodyLimitMb must be a positive number of megabytes`);
    }
    if (route.handle !== undefined && !isFunction(route.handle)) say(`${where}: handle must be a function`);
  });
}

/** True for an object that at least tries to be a plugin (has an `id` or an `apiVersion`). */
export function looksLikePlugin(candidate: unknown): candidate is Loose {
  return isObject(candidate) && !Array.isArray(candidate) && (candidate.id !== undefined || candidate.apiVersion !== undefined);
}

/**
 * Checks one plugin's declarations. Returns problems, each starting with the plugin's
 * label (`plugin "x" (from source)`).
 */
export function validatePlugin(candidate: unknown, source: string): string[] {
  if (!looksLikePlugin(candidate)) {
    return [`${source}: the default export is not a Switchyard plugin (expected an object with id and apiVersion)`];
  }
  const plugin = candidate;
  const label = pluginLabel(plugin, source);
  const problems: string[] = [];
  const say = (message: string): void => void problems.push(`${label}: ${message}`);
  if (typeof plugin.id !== 'string' || !KEBAB_CASE.test(plugin.id)) say('the plugin id must be kebab-case (e.g. "my-provider")');
  if (plugin.apiVersion !== PLUGIN_API_VERSION) {
    problems.push(`${label} targets plugin API v${String(plugin.apiVersion)} but this gateway provides v${PLUGIN_API_VERSION}`);
  }
  for (const field of ['protocols', 'translators', 'accountTypes'] as const) {
    if (plugin[field] !== undefined && !Array.isArray(plugin[field])) say(`${field} must be a list`);
  }
  if (plugin.options !== undefined && !isZodSchema(plugin.options)) say('options must be a zod schema');
  if (plugin.setup !== undefined && !isFunction(plugin.setup)) say('setup must be a function');
  if (plugin.create !== undefined && !isFunction(plugin.create)) say('create must be a function');
  if (plugin.pricing !== undefined && (!isObject(plugin.pricing) || Array.isArray(plugin.pricing)))
    say('pricing must be an object of model prices');
  if (
    plugin.knownModels !== undefined &&
    (!Array.isArray(plugin.knownModels) || !plugin.knownModels.every((id) => typeof id === 'string' && id !== ''))
  ) {
    say('knownModels must be a list of model ids');
  }
  checkProtocols(plugin, say);
  checkTranslators(plugin, say);
  checkAccountTypes(plugin, String(plugin.id), say);
  checkRoutes(plugin, say);
  return problems;
}

/**
 * Validates `raw` (the config's options for the plugin) with the plugin's `options`
 * schema. Missing options are parsed as `{}` for an object schema (so defaults apply),
 * as `undefined` otherwise. Problems are prefixed with the plugin id.
 */
export function parsePluginOptions(plugin: SwitchyardPlugin, raw: unknown): { value: unknown; problems: string[] } {
  const schema = plugin.options;
  if (!schema || !isZodSchema(schema)) return { value: raw, problems: [] };
  const input = raw === undefined && isZodObject(schema) ? {} : raw;
  const result = schema.safeParse(input);
  if (result.success) return { value: result.data, problems: [] };
  const problems = result.error.issues.map((issue) => {
    const path = issue.path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('');
    return `plugin "${plugin.id}": options${path}: ${issue.message}`;
  });
  return { value: undefined, problems };
}
