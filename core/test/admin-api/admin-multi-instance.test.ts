import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { createTestGateway, sendRequest, waitFor, type TestGateway } from '@switchyard/core/testing';
import { startRedisForTests, type TestRedis } from '../../src/testing/redis-server.js';
import { echoPlugin } from 'switchyard-plugin-echo';
import { ADMIN } from './admin-harness.js';

describe('admin sessions and throttling across two gateway instances (shared redis)', () => {
  let redis: TestRedis;
  let a: TestGateway;
  let b: TestGateway;

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

  const session = (gateway: TestGateway, token: string) =>
    sendRequest(`${gateway.url}/admin/api/session`, { headers: { authorization: `Bearer ${token}` } });
  const login = (gateway: TestGateway, password: string) =>
    sendRequest(`${gateway.url}/admin/api/login`, { body: { username: ADMIN.username, password } });

  it('accepts a session made by the other instance, and both stop accepting it after sign-everyone-out', async () => {
    const token = (await login(a, ADMIN.password)).json<{ token: string }>().token;
    expect((await session(b, token)).status).to.equal(200);
    const rotated = await sendRequest(`${b.url}/admin/api/sessions/rotate`, {
      headers: { authorization: `Bearer ${token}` },
      body: { signOutEveryone: true },
    });
    expect(rotated.status).to.equal(200);
    expect((await session(b, token)).status).to.equal(401);
    await waitFor(async () => (await session(a, token)).status === 401, { timeoutMs: 8000, intervalMs: 250, what: 'instance A to see the rotation' });
  });

  it('counts failed sign-ins across instances', async () => {
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 6; attempt += 1) {
      statuses.push((await login(attempt % 2 === 0 ? a : b, `wrong-${attempt}`)).status);
    }
    expect(statuses).to.deep.equal([401, 401, 401, 401, 401, 429]);
  });
});
