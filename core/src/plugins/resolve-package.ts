/**
 * Finds an installed package from a given folder (the installation root) and the file
 * its main entry points at, honouring `exports` maps with the conditions this process
 * runs with (`--conditions`, e.g. `switchyard-src` under tests) plus `import`, `node`,
 * `default`. Symlinked workspace packages resolve to their real folders.
 */
import { readFile, realpath, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';

/** The parts of a package.json the loader reads. */
export interface PackageManifest {
  name?: string;
  main?: string;
  exports?: unknown;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  switchyard?: { plugin?: boolean };
}

/** An installed package: its real folder and manifest. */
export interface InstalledPackage {
  readonly dir: string;
  readonly manifest: PackageManifest;
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then(
    (info) => info.isFile(),
    () => false,
  );
}

/** Reads and parses `<dir>/package.json`. */
export async function readManifest(dir: string): Promise<PackageManifest> {
  return JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as PackageManifest;
}

/** The custom conditions this process was started with (`--conditions x`, `-C x`), in order. */
export function processConditions(): string[] {
  const args = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/).filter(Boolean)];
  const found: string[] = [];
  args.forEach((arg, index) => {
    const inline = /^(?:--conditions|-C)=(.+)$/.exec(arg);
    if (inline) found.push(inline[1]!);
    else if ((arg === '--conditions' || arg === '-C') && args[index + 1]) found.push(args[index + 1]!);
  });
  return found;
}

/**
 * Looks for `node_modules/<name>` in `fromDir` and each parent folder, as Node does.
 * Returns the package's real folder and manifest, or undefined when not installed.
 */
export async function findInstalledPackage(name: string, fromDir: string): Promise<InstalledPackage | undefined> {
  let dir = resolve(fromDir);
  for (;;) {
    const candidate = join(dir, 'node_modules', name);
    if (await isFile(join(candidate, 'package.json'))) {
      const real = await realpath(candidate);
      return { dir: real, manifest: await readManifest(real) };
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function matchTarget(target: unknown, conditions: ReadonlySet<string>): string | undefined {
  if (typeof target === 'string') return target;
  if (Array.isArray(target)) {
    for (const item of target) {
      const found = matchTarget(item, conditions);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (target !== null && typeof target === 'object') {
    for (const [condition, inner] of Object.entries(target)) {
      if (!conditions.has(condition)) continue;
      const found = matchTarget(inner, conditions);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/** The `.` target of an `exports` field under `conditions`, or undefined when it has none. */
export function resolveExportsRoot(exportsField: unknown, conditions: readonly string[]): string | undefined {
  const active = new Set(conditions);
  let root = exportsField;
  if (root !== null && typeof root === 'object' && !Array.isArray(root)) {
    const keys = Object.keys(root);
    if (keys.length > 0 && keys.every((key) => key.startsWith('.'))) root = (root as Record<string, unknown>)['.'];
  }
  return matchTarget(root, active);
}

/**
 * The absolute file a package folder's main entry resolves to: its `exports` root,
 * else `main` (with `.js` / `/index.js` tried), else `index.js`. Throws when the file
 * does not exist.
 */
export async function resolvePackageEntry(dir: string, manifest: PackageManifest): Promise<string> {
  const conditions = [...processConditions(), 'import', 'module-sync', 'node', 'default'];
  if (manifest.exports !== undefined) {
    const target = resolveExportsRoot(manifest.exports, conditions);
    if (target === undefined) throw new Error(`its package.json "exports" has no entry for conditions ${conditions.join(', ')}`);
    const file = resolve(dir, target);
    if (!(await isFile(file))) throw new Error(`its exported entry ${file} does not exist`);
    return file;
  }
  const main = manifest.main ?? 'index.js';
  for (const candidate of [main, `${main}.js`, join(main, 'index.js')]) {
    const file = resolve(dir, candidate);
    if (await isFile(file)) return file;
  }
  throw new Error(`its entry ${resolve(dir, main)} does not exist`);
}
