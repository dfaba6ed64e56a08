/**
 * Type tests of `definePlugin` (type-checked by `tsc -p tsconfig.check.json`, never run):
 * each `@ts-expect-error` line must fail to compile, every other line must compile.
 */
import {
  PLUGIN_API_VERSION,
  definePlugin,
  resolvePluginParts,
  z,
  type KeyPolicy,
  type PluginParts,
  type RouteDefinition,
  type SwitchyardPlugin,
} from '../../src/index.js';

const acmeOptions = z.object({ region: z.enum(['eu', 'us']).default('eu'), retries: z.number().int().default(2) });

// The options type comes from the schema: create and setup see it, typed.
export const acme = definePlugin({
  id: 'acme',
  apiVersion: PLUGIN_API_VERSION,
  options: acmeOptions,
  setup(env) {
    const region: 'eu' | 'us' = env.options.region;
    // @ts-expect-error the options have no `endpoint`
    void env.options.endpoint;
    void region;
  },
  create({ options, pluginId }) {
    const retries: number = options.retries;
    // @ts-expect-error `region` is a string union, not a number
    const wrong: number = options.region;
    void wrong;
    void pluginId.toUpperCase();
    return { knownModels: [`acme-${options.region}-${retries}`] };
  },
});

// The plugin is typed with its options.
export const typed: SwitchyardPlugin<{ region: 'eu' | 'us'; retries: number }> = acme;

// Any plugin fits the core's list of plugins, without `any`.
export const all: readonly SwitchyardPlugin[] = [acme, definePlugin({ id: 'bare', apiVersion: PLUGIN_API_VERSION })];

// The parts of a plugin for given options, as the core builds them.
export const parts: PluginParts<{ region: 'eu' | 'us'; retries: number }> = resolvePluginParts(acme, {
  pluginId: 'acme',
  options: { region: 'us', retries: 1 },
});

// @ts-expect-error the options given to resolvePluginParts must fit the schema's output
resolvePluginParts(acme, { pluginId: 'acme', options: { region: 'mars', retries: 1 } });

// @ts-expect-error apiVersion is a number, not a string
definePlugin({ id: 'wrong-version', apiVersion: '1' });

// @ts-expect-error id and apiVersion are required
definePlugin({ description: 'no id' });

definePlugin({
  id: 'misnamed-part',
  apiVersion: PLUGIN_API_VERSION,
  // @ts-expect-error create returns plugin parts: `acountTypes` is not one
  create: () => ({ acountTypes: [] }),
});

definePlugin({
  id: 'mistyped-create',
  apiVersion: PLUGIN_API_VERSION,
  options: acmeOptions,
  // @ts-expect-error create gets the options the schema outputs, not others
  create: (context: { pluginId: string; options: { endpoint: string } }) => ({ knownModels: [context.options.endpoint] }),
});

// A route handler answers a RouteResult.
export const listRoute: RouteDefinition = {
  method: 'GET',
  path: '/v1/models',
  protocol: 'acme-chat',
  handle: async (_request, context) => ({ status: 200, body: { data: await context.listModels('acme-chat') } }),
};

export const wrongRoute: RouteDefinition = {
  method: 'GET',
  path: '/v1/models',
  protocol: 'acme-chat',
  // @ts-expect-error a handler answers { status, headers?, body? }, not a bare body
  handle: () => ({ data: [] }),
};

export const wrongMethod: RouteDefinition = {
  // @ts-expect-error methods are upper-case HTTP methods
  method: 'get',
  path: '/v1/models',
  protocol: 'acme-chat',
};

// Key policies see the key's limits typed.
export const policy: KeyPolicy = {
  name: 'acme-window-count',
  check({ limits }) {
    const windows: number = limits.windows?.length ?? 0;
    const period: string | undefined = limits.windows?.[0]?.period;
    // @ts-expect-error limits have no `dailyUsd` (cost caps live under `costUsd`)
    void limits.dailyUsd;
    // @ts-expect-error limits are read-only
    limits.concurrency = 3;
    void windows;
    void period;
  },
};
