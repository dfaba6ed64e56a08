/**
 * The store conformance suite: one set of mocha tests every store backend must pass.
 * Each test gets a store from `open()` that holds no data yet, and closes it after.
 */
import type { Store } from '../../src/store/types.js';
import { describeEntityTests } from './conformance/entity-tests.js';
import { describeEphemeralTests } from './conformance/ephemeral-tests.js';
import { describeSettingsKvTests } from './conformance/settings-kv-tests.js';
import { describeUsageTests } from './conformance/usage-tests.js';

/**
 * Registers the conformance tests for a backend.
 *
 * @example
 * ```ts
 * describeStoreConformance('embedded', () => createEmbeddedStore({ path: ':memory:' }));
 * ```
 * @param open Opens an empty store (a new in-memory database, a fresh key prefix…).
 */
export function describeStoreConformance(name: string, open: () => Promise<Store>): void {
  describe(`store conformance: ${name}`, function () {
    this.timeout(10_000);
    let current: Store | undefined;
    const store = (): Store => {
      if (current === undefined) throw new Error('store not open');
      return current;
    };

    beforeEach(async () => {
      current = await open();
    });

    afterEach(async () => {
      await current?.close();
      current = undefined;
    });

    describeEntityTests(store);
    describeUsageTests(store);
    describeEphemeralTests(store);
    describeSettingsKvTests(store);
  });
}
