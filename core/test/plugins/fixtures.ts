/**
 * Test helpers: minimal plugin objects and plugin packages written to temp folders.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import type {
  AccountTypeDefinition,
  ProtocolDefinition,
  ServedProtocol,
  SwitchyardPlugin,
  TranslatorDefinition,
} from '@switchyard/plugin-api';
import { PLUGIN_API_VERSION } from '@switchyard/plugin-api';
import { createLogger } from '../../src/logging/create-logger.js';
import type { PluginServices } from '../../src/plugins/index.js';

/** A protocol that reads nothing and renders `{ error }`. */
export function protocol(id: string): ProtocolDefinition {
  return {
    id,
    family: id,
    describe: () => ({ stream: false }),
    renderError: (error) => ({ status: error.status, body: { error: error.message } }),
    usage: { fromJson: () => null, createStreamTap: () => ({ push() {}, end: () => null }) },
  };
}

/** An account type whose adapter never gets called in these tests. */
export function accountType(
  id: string,
  serves: readonly ServedProtocol[],
  credentials: z.ZodObject = z.object({ apiKey: z.string() }),
): AccountTypeDefinition {
  return {
    id,
    label: id,
    credentials,
    serves,
    adapter: { send: () => Promise.reject(new Error('not used')) },
  };
}

/** A translator that passes bodies through. */
export function translator(from: string, to: string): TranslatorDefinition {
  return {
    from,
    to,
    request: (body) => ({ body }),
    response: (body) => body,
    createStream: () => ({ push: (chunk) => chunk, end: () => null }),
  };
}

/** A plugin with one protocol `<id>-proto` and one account type `<id>-key` serving it. */
export function plugin(id: string, extra: Partial<SwitchyardPlugin> = {}): SwitchyardPlugin {
  return {
    id,
    apiVersion: PLUGIN_API_VERSION,
    protocols: [protocol(`${id}-proto`)],
    accountTypes: [accountType(`${id}-key`, [`${id}-proto`])],
    ...extra,
  };
}

/** Log lines captured from the services' logger. */
export interface TestServices extends PluginServices {
  lines: Record<string, unknown>[];
}

/** Services for `setupPlugins` with a capturing logger and an in-memory kv. */
export function services(): TestServices {
  const lines: Record<string, unknown>[] = [];
  const stores = new Map<string, Map<string, unknown>>();
  return {
    lines,
    logger: createLogger({ level: 'debug', sink: (line) => lines.push(line) }),
    http: { request: () => Promise.reject(new Error('no network in tests')) },
    kvFor(pluginId) {
      const store = stores.get(pluginId) ?? new Map<string, unknown>();
      stores.set(pluginId, store);
      return {
        get: async <T>(key: string) => store.get(key) as T | undefined,
        set: async (key, value) => void store.set(key, value),
        delete: async (key) => void store.delete(key),
      };
    },
  };
}

/** Plain JS source of a module default-exporting a small valid plugin (importing nothing). */
export function pluginModuleSource(
  id: string,
  options: { apiVersion?: number; mounts?: string[]; routePath?: string } = {},
): string {
  const mounts = JSON.stringify(options.mounts ?? [`/${id}`]);
  const routePath = JSON.stringify(options.routePath ?? '/v1/call');
  return `const proto = {
  id: '${id}-proto',
  family: '${id}',
  describe: () => ({ stream: false }),
  renderError: (error) => ({ status: error.status, body: { error: error.message } }),
  usage: { fromJson: () => null, createStreamTap: () => ({ push() {}, end: () => null }) },
};
export default {
  id: '${id}',
  apiVersion: ${options.apiVersion ?? PLUGIN_API_VERSION},
  protocols: [proto],
  routes: { mounts: ${mounts}, routes: [{ method: 'POST', path: ${routePath}, protocol: '${id}-proto' }] },
};
`;
}

/** Writes files (relative path -> content; objects are written as JSON) under `root`. */
export async function writeTree(root: string, files: Record<string, string | object>): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    const file = join(root, path);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  }
}
