/**
 * Phase 1 of plugin loading, declare: find and import every plugin the config names
 * (or every plugin dependency with `"auto"`), validate each on its own and all of them
 * together, and report every problem at once in one {@link PluginLoadError}.
 */
import { realpath, stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { resolvePluginParts, type SwitchyardPlugin } from '@switchyard/plugin-api';
import type { GatewayConfig } from '../config/schema.js';
import type { LoadedPlugin } from './registry-types.js';
import { PluginLoadError } from './plugin-load-error.js';
import { findInstalledPackage, readManifest, resolvePackageEntry } from './resolve-package.js';
import { discoverPlugins } from './discover-plugins.js';
import { looksLikePlugin, parsePluginOptions, pluginLabel, validatePlugin } from './validate-plugin.js';
import { checkPluginSet } from './check-plugin-set.js';
import { normalizeMount } from './route-path.js';

/** What {@link declarePlugins} needs. */
export interface DeclarePluginsInput {
  /**
   * The config's `plugins`: `"auto"`, or a list of package names, paths and objects in
   * which the string `"auto"` stands for every discovered plugin the list does not name
   * itself (`["auto", "../my-plugin"]`).
   */
  entries: GatewayConfig['plugins'];
  /** The config's `pluginOptions`, by plugin id (used when an entry gives no options). */
  pluginOptions: Record<string, unknown>;
  /** Plugin objects to add as they are (source `inline`), after the entries. */
  inline?: readonly SwitchyardPlugin[];
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

/** In a plugin list, stands for every discovered plugin (as `"plugins": "auto"` does). */
const AUTO = 'auto';

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

/** The string entries of a plugin list that name packages, and the folders path entries point at. */
function explicitEntries(entries: readonly Exclude<GatewayConfig['plugins'], 'auto'>[number][], configDir: string) {
  const names = new Set<string>();
  const paths = new Set<string>();
  for (const entry of entries) {
    const ref = typeof entry === 'string' ? entry : (entry.path ?? entry.package);
    if (ref === undefined || ref === AUTO) continue;
    const isPath = typeof entry === 'string' ? isPathEntry(entry) : entry.path !== undefined;
    if (isPath) paths.add(resolve(configDir, ref));
    else names.add(ref);
  }
  return { names, paths };
}

/** The `"auto"` sources: plugin dependencies of the root package, minus those `skip` says the list names itself. */
async function autoSources(
  rootDir: string,
  problems: string[],
  skip: (found: { name: string; dir: string }) => Promise<boolean>,
): Promise<Source[]> {
  const discovered = await discoverPlugins(rootDir);
  problems.push(...discovered.problems);
  const sources: Source[] = [];
  for (const found of discovered.found) {
    if (await skip(found)) continue;
    sources.push({
      entry: `"${found.name}" (auto)`,
      load: async () => ({ source: found.name, file: await resolvePackageEntry(found.dir, found.manifest) }),
    });
  }
  return sources;
}

async function realOrSame(path: string): Promise<string> {
  return realpath(path).catch(() => path);
}

async function collectSources(input: DeclarePluginsInput, problems: string[]): Promise<Source[]> {
  if (input.entries === 'auto') return autoSources(input.rootDir, problems, async () => false);
  const explicit = explicitEntries(input.entries, input.configDir);
  const explicitDirs = new Set(await Promise.all([...explicit.paths].map(realOrSame)));
  // A package the list also names by name or path is loaded once, as that entry says (its options, its mounts).
  const namedElsewhere = async (found: { name: string; dir: string }) =>
    explicit.names.has(found.name) || explicitDirs.has(await realOrSame(found.dir));
  const sources: Source[] = [];
  for (const [index, entry] of input.entries.entries()) {
    if (entry === AUTO) {
      sources.push(...(await autoSources(input.rootDir, problems, namedElsewhere)));
    } else if (typeof entry === 'string') {
      const load = isPathEntry(entry) ? pathSource(entry, input.configDir) : packageSource(entry, input.rootDir);
      sources.push({ entry: `plugins[${index}] ("${entry}")`, load });
    } else {
      const ref = entry.path ?? entry.package ?? '';
      const load = entry.path !== undefined ? pathSource(entry.path, input.configDir) : packageSource(ref, input.rootDir);
      sources.push({ entry: `plugins[${index}] ("${ref}")`, load, options: entry.options, mounts: entry.mounts });
    }
  }
  return sources;
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
 * The plugin for this gateway: its definition with the parts `create` returned for the
 * validated options joined in (and `create` itself left out). With invalid options, or
 * when `create` fails, only the declared parts (the problems say why).
 */
function instantiatePlugin(
  definition: SwitchyardPlugin,
  source: string,
  options: { value: unknown; problems: readonly string[] },
  problems: string[],
): SwitchyardPlugin {
  const { create, ...declared } = definition;
  if (create === undefined) return declared;
  // Kept for `validatePlugin` to report.
  if (typeof create !== 'function') return definition;
  if (options.problems.length > 0) return declared;
  try {
    return { ...declared, ...resolvePluginParts(definition, { pluginId: definition.id, options: options.value }) };
  } catch (error) {
    problems.push(`${pluginLabel(definition, source)}: create failed: ${error instanceof Error ? error.message : String(error)}`);
    return declared;
  }
}

/**
 * Phase 1: imports and validates every plugin. Each entry's options come from the
 * entry, else from `pluginOptions[pluginId]`; mounts from the entry, else the plugin's
 * defaults. A plugin with `create` is instantiated here, once, with its validated
 * options: the loaded plugin carries every part, wherever it was declared.
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
    if (!looksLikePlugin(candidate.plugin)) {
      problems.push(...validatePlugin(candidate.plugin, candidate.source));
      continue;
    }
    const definition = candidate.plugin as unknown as SwitchyardPlugin;
    const raw = candidate.options !== undefined ? candidate.options : input.pluginOptions[definition.id];
    const options = parsePluginOptions(definition, raw);
    problems.push(...options.problems);
    const plugin = instantiatePlugin(definition, candidate.source, options, problems);
    problems.push(...validatePlugin(plugin, candidate.source));
    const mounts = (candidate.mounts ?? plugin.routes?.mounts ?? []).map((mount) =>
      typeof mount === 'string' ? normalizeMount(mount) : mount,
    );
    loaded.push(
      Object.freeze({
        plugin,
        source: candidate.source,
        options: options.value,
        mounts: Object.freeze([...new Set(mounts)]),
      }),
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
