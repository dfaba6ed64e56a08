/**
 * Two gateway instances on one throwaway redis, as a multi-instance deployment runs them:
 * same store prefix, same encryption key, same first admin ({@link ADMIN}), no client keys.
 * Shared by every test of a mocha suite: started in `before`, closed in `after`.
 */
import { randomBytes } from 'node:crypto';
import { createTestGateway, type TestGateway } from '@switchyard/core/testing';
import { echoPlugin } from 'switchyard-plugin-echo';
import { startRedisForTests, type TestRedis } from '../../src/testing/redis-server.js';
import { ADMIN } from './admin-harness.js';

/** What the tests of the suite read; the fields are set once the suite's `before` has run. */
export interface TwoAdminInstances {
  readonly a: TestGateway;
  readonly b: TestGateway;
}

/**
 * Registers the suite's `before` and `after` hooks (call it inside `describe`) and returns a
 * handle whose `a` and `b` are read inside tests, never at definition time.
 *
 * @example
 * describe('sessions across instances', () => {
 *   const instances = twoAdminInstancesForSuite();
 *   it('…', async () => { await sendRequest(`${instances.a.url}/admin/api/login`, { body: ADMIN }); });
 * });
 */
export function twoAdminInstancesForSuite(): TwoAdminInstances {
  let redis: TestRedis | undefined;
  let a: TestGateway | undefined;
  let b: TestGateway | undefined;
  before(async () => {
    redis = await startRedisForTests();
    const config = {
      store: { type: 'redis' as const, url: redis.url, prefix: redis.prefix },
      security: { encryptionKey: randomBytes(30).toString('base64url') },
      admin: ADMIN,
      logging: { level: 'warn' as const },
    };
    a = await createTestGateway({ plugins: [echoPlugin], keys: [], config });
    b = await createTestGateway({ plugins: [echoPlugin], keys: [], config });
  });
  after(async () => {
    await a?.close();
    await b?.close();
    await redis?.stop();
  });
  const started = (gateway: TestGateway | undefined, name: string): TestGateway => {
    if (!gateway) throw new Error(`twoAdminInstancesForSuite: instance ${name} is read before the suite started it`);
    return gateway;
  };
  return {
    get a() {
      return started(a, 'a');
    },
    get b() {
      return started(b, 'b');
    },
  };
}
