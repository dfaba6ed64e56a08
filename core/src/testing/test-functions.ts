/**
 * The test runner functions the testing kit registers its suites with. The kit never
 * imports mocha: a plugin installed outside this repository has its own mocha, and a
 * second copy loaded from the core's folder would register nothing (its `describe` is
 * wired to no running suite). The functions come from the caller, else from the globals
 * the running mocha (or a runner with the same BDD interface) installed.
 */

/** What `this` is inside a `describe` body: the suite, whose timeout can be raised. */
export interface SuiteThis {
  timeout?(ms: number): unknown;
}

/** What `this` is inside a `beforeEach`/`afterEach` hook: the test about to run or just run. */
export interface HookThis {
  currentTest?: { title: string };
}

/** What `this` is inside a test: the running test, which can mark itself skipped. */
export interface TestThis {
  /** Marks the test skipped (pending) and stops it; mocha's `this.skip()`. */
  skip?(): never;
}

/**
 * The BDD functions the kit needs; mocha's globals (or `import { describe, it, beforeEach,
 * afterEach } from 'mocha'` in the plugin's own test file) fit.
 */
export interface TestFunctions {
  describe(title: string, body: (this: SuiteThis) => void): unknown;
  it(title: string, test: (this: TestThis) => unknown): unknown;
  beforeEach(hook: (this: HookThis) => unknown): unknown;
  afterEach(hook: (this: HookThis) => unknown): unknown;
}

const NAMES = ['describe', 'it', 'beforeEach', 'afterEach'] as const;

/**
 * The given functions, each missing one taken from the global scope.
 *
 * @throws Error naming the missing functions when neither the caller nor the global
 *   scope has them (the test file was not loaded by mocha or a compatible runner).
 */
export function resolveTestFunctions(given: Partial<TestFunctions> = {}): TestFunctions {
  const scope = globalThis as unknown as Partial<TestFunctions>;
  const resolved: Partial<Record<(typeof NAMES)[number], unknown>> = {};
  const missing: string[] = [];
  for (const name of NAMES) {
    const fn = given[name] ?? scope[name];
    if (typeof fn === 'function') resolved[name] = fn;
    else missing.push(name);
  }
  if (missing.length > 0) {
    throw new Error(
      `@switchyard/core/testing: no ${missing.join(', ')} to register tests with; run this file with mocha, or pass them (testFunctions: { describe, it, beforeEach, afterEach })`,
    );
  }
  return resolved as unknown as TestFunctions;
}
