/**
 * Starts a worker thread on one of our own modules, given its path relative to the
 * caller, whether we run compiled (`dist`, `.js`) or from the TypeScript sources under
 * tsx (tests, the bench's default). Node 20 does not give a worker the loader hooks its
 * parent registered (tsx's `--import` entry registers them on the main thread only), so
 * from the sources the worker registers tsx's ESM API itself before loading the module.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Starts `new Worker()` on the module `relative` (written with `.js`, as imports are)
 * next to `callerUrl` (the caller's `import.meta.url`).
 */
export function startModuleWorker(callerUrl: string, relative: string, options: WorkerOptions = {}): Worker {
  if (!callerUrl.endsWith('.ts')) return new Worker(new URL(relative, callerUrl), options);
  const entry = new URL(relative.replace(/\.js$/, '.ts'), callerUrl).href;
  const boot = `import(${JSON.stringify(tsxEsmApi(callerUrl))}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(boot, { ...options, eval: true });
}

/** URL of tsx's ESM API as an `import` from the caller would find it (its CommonJS twin cannot register hooks in a worker). */
function tsxEsmApi(callerUrl: string): string {
  const require = createRequire(callerUrl);
  const manifest = require.resolve('tsx/package.json');
  const { exports } = require('tsx/package.json') as { exports: { './esm/api': { import: { default: string } } } };
  return new URL(exports['./esm/api'].import.default, pathToFileURL(manifest)).href;
}
