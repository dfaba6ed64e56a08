/**
 * Phase 2 of plugin loading, set up: run each plugin's `setup(env)` in load order with
 * the extension points open, then close them and freeze the registry.
 */
import type { DeclaredPlugins } from './declare-plugins.js';
import type { PluginRegistry } from './registry-types.js';
import { ExtensionCollector, type PluginServices } from './extension-collector.js';
import { PluginLoadError } from './plugin-load-error.js';
import { buildRegistry } from './build-registry.js';

/**
 * Phase 2: calls every plugin's `setup` (awaited, one after another) with a
 * `PluginEnv` whose extension points record into the registry; each plugin's
 * extension points close when its setup returns. Then builds the frozen registry.
 *
 * @throws {PluginLoadError} listing every setup that threw and every misuse of an
 *   extension point (e.g. a second selection strategy from another plugin).
 */
export async function setupPlugins(declared: DeclaredPlugins, services: PluginServices): Promise<PluginRegistry> {
  const collector = new ExtensionCollector();
  const problems: string[] = [];
  for (const loaded of declared.plugins) {
    const { env, close } = collector.envFor(loaded, services);
    try {
      await loaded.plugin.setup?.(env);
    } catch (error) {
      problems.push(
        `plugin "${loaded.plugin.id}" (from ${loaded.source}): setup failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    } finally {
      close();
    }
  }
  problems.push(...collector.problems);
  if (problems.length > 0) throw new PluginLoadError(problems);
  return buildRegistry({
    plugins: declared.plugins,
    extensions: collector.extensions,
    addedPrices: collector.addedPrices,
    logger: services.logger,
  });
}
