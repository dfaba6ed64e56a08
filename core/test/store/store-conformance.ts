/**
 * The store conformance suite: one set of mocha tests every store backend must pass.
 * Each test gets a store from `open()` that holds no data yet, and closes it after.
 */
import type { Store } from '../../src/store/types.js';
import type { Clock } from '../../src/time/clock.js';
import { manualTime, realTime, type StoreTime } from './conformance/fixtures.js';
import { describeEntityTests } from './conformance/entity-tests.js';
import { describeEphemeralTests } from './conformance/ephemeral-tests.js';
import { describeSettingsKvTests } from './conformance/settings-kv-tests.js';
import { describeUsageTests } from './conformance/usage-tests.js';
import { describeUsageFilterTests } from './conformance/usage-filter-tests.js';
import { describeCardTests } from './conformance/card-tests.js';
import { describeAccountCheckTests } from './conformance/account-check-tests.js';

/**
 * Registers the conformance tests for a backend.
 *
 * @example
 * ```ts
 * describeStoreConformance('embedded', (clock) => createEmbeddedStore({ path: ':memory:', clock }));
 * ```
 * @param open Opens an empty store (a new in-memory database, a fresh key prefix…); given
 *   a clock when `time` is `'manual'`, which the tests advance instead of sleeping.
 * @param time `'manual'` for a backend whose TTLs run on the injected clock, `'real'` for
 *   one that keeps them on a clock of its own (Redis: the server's).
 */
export function describeStoreConformance(
  name: string,
  open: (clock: Clock | undefined) => Promise<Store>,
  time: 'manual' | 'real',
): void {
  describe(`store conformance: ${name}`, function () {
    this.timeout(10_000);
    let current: Store | undefined;
    let currentTime: StoreTime = realTime;
    const store = (): Store => {
      if (current === undefined) throw new Error('store not open');
      return current;
    };

    beforeEach(async () => {
      const manual = time === 'manual' ? manualTime() : undefined;
      currentTime = manual ?? realTime;
      current = await open(manual?.clock);
    });

    afterEach(async () => {
      await current?.close();
      current = undefined;
    });

    describeEntityTests(store);
    describeUsageTests(store);
    describeUsageFilterTests(store);
    describeEphemeralTests(store, () => currentTime);
    describeSettingsKvTests(store, () => currentTime);
    describeCardTests(store);
    describeAccountCheckTests(store);
  });
}
