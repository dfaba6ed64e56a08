/**
 * `"plugins": "auto"`: finds the installation root's dependencies that are Switchyard
 * plugins (their package.json says `"switchyard": { "plugin": true }`).
 */
import { join } from 'node:path';
import { findInstalledPackage, readManifest, type InstalledPackage } from './resolve-package.js';

/** A plugin package found by {@link discoverPlugins}. */
export interface DiscoveredPlugin extends InstalledPackage {
  readonly name: string;
}

/**
 * Reads `<rootDir>/package.json`'s `dependencies` and `optionalDependencies` (in that
 * order) and returns those installed packages whose manifest carries
 * `"switchyard": { "plugin": true }`. Dependencies that are not installed are skipped.
 * Problems (an unreadable root manifest, an unreadable dependency manifest) are returned,
 * not thrown.
 */
export async function discoverPlugins(rootDir: string): Promise<{ found: DiscoveredPlugin[]; problems: string[] }> {
  let names: string[];
  try {
    const manifest = await readManifest(rootDir);
    names = [...new Set([...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.optionalDependencies ?? {})])];
  } catch (error) {
    return { found: [], problems: [`plugins "auto": cannot read ${join(rootDir, 'package.json')}: ${(error as Error).message}`] };
  }
  const found: DiscoveredPlugin[] = [];
  const problems: string[] = [];
  for (const name of names) {
    try {
      const installed = await findInstalledPackage(name, rootDir);
      if (installed?.manifest.switchyard?.plugin === true) found.push({ name, ...installed });
    } catch (error) {
      problems.push(`plugins "auto": cannot read the package.json of dependency "${name}": ${(error as Error).message}`);
    }
  }
  return { found, problems };
}
