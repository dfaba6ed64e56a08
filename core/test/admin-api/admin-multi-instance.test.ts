import { expect } from 'chai';
import { sendRequest, waitFor, type TestGateway } from '@switchyard/core/testing';
import { ADMIN } from './admin-harness.js';
import { twoAdminInstancesForSuite } from './two-admin-instances-for-suite.js';

describe('admin sessions and throttling across two gateway instances (shared redis)', () => {
  const instances = twoAdminInstancesForSuite();

  const session = (gateway: TestGateway, token: string) =>
    sendRequest(`${gateway.url}/admin/api/session`, { headers: { authorization: `Bearer ${token}` } });
  const login = (gateway: TestGateway, password: string) =>
    sendRequest(`${gateway.url}/admin/api/login`, { body: { username: ADMIN.username, password } });

  it('accepts a session made by the other instance, and both stop accepting it after sign-everyone-out', async () => {
    const { a, b } = instances;
    const token = (await login(a, ADMIN.password)).json<{ token: string }>().token;
    expect((await session(b, token)).status).to.equal(200);
    const rotated = await sendRequest(`${b.url}/admin/api/sessions/rotate`, {
      headers: { authorization: `Bearer ${token}` },
      body: { signOutEveryone: true },
    });
    expect(rotated.status).to.equal(200);
    expect((await session(b, token)).status).to.equal(401);
    await waitFor(async () => (await session(a, token)).status === 401, {
      timeoutMs: 8000,
      intervalMs: 250,
      what: 'instance A to see the rotation',
    });
  });

  it('counts failed sign-ins across instances', async () => {
    const { a, b } = instances;
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 6; attempt += 1) {
      statuses.push((await login(attempt % 2 === 0 ? a : b, `wrong-${attempt}`)).status);
    }
    expect(statuses).to.deep.equal([401, 401, 401, 401, 401, 429]);
  });
});
