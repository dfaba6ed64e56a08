/**
 * Phase 1 of plugin loading, declare: find and import every plugin the config names
 * (or every plugin dependency with `"auto"`), validate each on its own and all of them
 * together, and report every problem at once in one {@link PluginLoadError}.
 */
import { stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { SwitchyardPlugin } from '@switchyard/plugin-api';
import type { GatewayConfig } from '../config/schema.js';
import type { LoadedPlugin } from './registry-types.js';
import { PluginLoadError } from './plugin-load-error.js';
import { findInstalledPackage, readManifest, resolvePackageEntry } from './resolve-package.js';
import { discoverPlugins } from './discover-plugins.js';
import { looksLikePlugin, parsePluginOptions, validatePlugin } from './validate-plugin.js';
import { checkPluginSet } from './check-plugin-set.js';
import { normalizeMount } from './route-path.js';

/** What {@link declarePlugins} needs. */
export interface DeclarePluginsInput {
  /** The config's `plugins`: `"auto"` or a list of package names, paths and objects. */
  entries: GatewayConfig['plugins'];
  /** The config's `pluginOptions`, by plugin id (used when an entry gives no options). */
  pluginOptions: Record<string, unknown>;
  /** Plugin objects to add as they are (source `inline`), after the entries. */
  inline?: readonly SwitchyardPlugin<any>[];
  /** The installation root: packages and `"auto"` resolve from its package.json and node_modules. */
  rootDir: string;
  /** The config file's folder: path entries resolve against it. */
  configDir: string;
}

/** The outcome of phase 1: plugins in load order, validated, with options and mounts. */
export interface DeclaredPlugins {
  readonly plugins: readonly LoadedPlugin[];
}

/** One plugin to import, as the config described it. */
interface Source {
  /** For messages: `plugins[1] ("./x")`, `"pkg"`. */
  readonly entry: string;
  readonly load: () => Promise<{ source: string; file: string }>;
  readonly options?: unknown;
  readonly mounts?: readonly string[];
}

interface Candidate {
  readonly plugin: unknown;
  readonly source: string;
  readonly options?: unknown;
  readonly mounts?: readonly string[];
}

/** True when a string entry names a path rather than a package. */
function isPathEntry(entry: string): boolean {
  return entry.startsWith('.') || isAbsolute(entry) || entry.includes('\\');
}

function packageSource(name: string, rootDir: string): Source['load'] {
  return async () => {
    const installed = await findInstalledPackage(name, rootDir);
    if (!installed) throw new Error(`package is not installed (looked for node_modules/${name} from ${rootDir})`);
    return { source: name, file: await resolvePackageEntry(installed.dir, installed.manifest) };
  };
}

function pathSource(path: string, configDir: string): Source['load'] {
  return async () => {
    const target = resolve(configDir, path);
    const info = await stat(target).catch(() => undefined);
    if (!info) throw new Error(`${target} does not exist`);
    if (info.isFile()) return { source: target, file: target };
    const manifest = await readManifest(target).catch(() => ({}));
    return { source: target, file: await resolvePackageEntry(target, manifest) };
  };
}

async function collectSources(input: DeclarePluginsInput, problems: string[]): Promise<Source[]> {
  if (input.entries === 'auto') {
    const discovered = await discoverPlugins(input.rootDir);
    problems.push(...discovered.problems);
    return discovered.found.map((found) => ({
      entry: `"${found.name}" (auto)`,
      load: async () => ({ source: found.name, file: await resolvePackageEntry(found.dir, found.manifest) }),
    }));
  }
  return input.entries.map((entry, index): Source => {
    if (typeof entry === 'string') {
      const load = isPathEntry(entry) ? pathSource(entry, input.configDir) : packageSource(entry, input.rootDir);
      return { entry: `plugins[${index}] ("${entry}")`, load };
    }
    const ref = entry.path ?? entry.package ?? '';
    const load = entry.path !== undefined ? pathSource(entry.path, input.configDir) : packageSource(ref, input.rootDir);
    return { entry: `plugins[${index}] ("${ref}")`, load, options: entry.options, mounts: entry.mounts };
  });
}

async function importPlugin(source: Source, problems: string[]): Promise<Candidate | undefined> {
  try {
    const { source: from, file } = await source.load();
    const module = (await import(pathToFileURL(file).href)) as { default?: unknown };
    if (module.default === undefined) throw new Error(`${file} has no default export`);
    return { plugin: module.default, source: from, options: source.options, mounts: source.mounts };
  } catch (error) {
    problems.push(`${source.entry}: cannot load plugin: ${(error as Error).message ?? String(error)}`);
    return undefined;
  }
}

/**
 * Phase 1: imports and validates every plugin. Each entry's options come from the
 * entry, else from `pluginOptions[pluginId]`; mounts from the entry, else the plugin's
 * defaults.
 *
 * @throws {PluginLoadError} listing every problem: modules that fail to import, API
 *   version mismatches, malformed declarations, duplicate ids, references to unknown
 *   protocols, route conflicts, invalid options, options for plugins not loaded.
 */
export async function declarePlugins(input: DeclarePluginsInput): Promise<DeclaredPlugins> {
  const problems: string[] = [];
  const candidates: Candidate[] = [];
  for (const source of await collectSources(input, problems)) {
    const candidate = await importPlugin(source, problems);
    if (candidate) candidates.push(candidate);
  }
  for (const plugin of input.inline ?? []) candidates.push({ plugin, source: 'inline' });

  const loaded: LoadedPlugin[] = [];
  for (const candidate of candidates) {
    const shapeProblems = validatePlugin(candidate.plugin, candidate.source);
    problems.push(...shapeProblems);
    if (!looksLikePlugin(candidate.plugin)) continue;
    const plugin = candidate.plugin as unknown as SwitchyardPlugin<unknown>;
    const raw = candidate.options !== undefined ? candidate.options : input.pluginOptions[plugin.id];
    const options = parsePluginOptions(plugin, raw);
    problems.push(...options.problems);
    const mounts = (candidate.mounts ?? plugin.routes?.mounts ?? []).map((mount) =>
      typeof mount === 'string' ? normalizeMount(mount) : mount,
    );
    loaded.push(
      Object.freeze({ plugin, source: candidate.source, options: options.value, mounts: Object.freeze([...new Set(mounts)]) }),
    );
  }
  problems.push(...checkPluginSet(loaded));

  const ids = new Set(loaded.map((entry) => entry.plugin.id));
  for (const id of Object.keys(input.pluginOptions)) {
    if (!ids.has(id)) problems.push(`pluginOptions.${id}: no loaded plugin has the id "${id}"`);
  }
  if (problems.length > 0) throw new PluginLoadError(problems);
  return Object.freeze({ plugins: Object.freeze(loaded) });
}
