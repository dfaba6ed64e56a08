import { expect } from 'chai';
import { sendRequest, waitFor, type TestGateway } from '@switchyard/core/testing';
import { ADMIN } from './admin-harness.js';
import { twoAdminInstancesForSuite } from './two-admin-instances-for-suite.js';
import { startFakeEchoUpstream } from '../../../examples/plugin-echo/test/fake-echo-upstream.js';
import type { FakeUpstream } from '@switchyard/core/testing';

const UPSTREAM_KEY = 'multi-users-upstream-key';

describe('disabling a user stops their keys at once on every instance (shared redis)', () => {
  const instances = twoAdminInstancesForSuite();
  let upstream: FakeUpstream;
  before(async () => {
    upstream = await startFakeEchoUpstream({ apiKey: UPSTREAM_KEY, intervalMs: 1 });
  });
  after(async () => upstream?.close());

  const call = (gateway: TestGateway, method: string, path: string, token: string, body?: unknown) =>
    sendRequest(`${gateway.url}/admin/api/${path}`, {
      method,
      headers: { authorization: `Bearer ${token}` },
      ...(body === undefined ? {} : { body }),
    });
  const login = async (gateway: TestGateway, username: string, password: string) =>
    (await sendRequest(`${gateway.url}/admin/api/login`, { body: { username, password } })).json<{ token: string }>().token;
  const echo = (gateway: TestGateway, key: string) =>
    sendRequest(`${gateway.url}/echo/v1/echo`, { headers: { 'x-api-key': key }, body: { model: 'echo-1', input: 'hi' } });

  it('a key used on instance B a moment ago is refused there right after A disables its owner', async () => {
    const { a, b } = instances;
    const root = await login(a, ADMIN.username, ADMIN.password);
    const account = { type: 'echo-key', name: 'Echo', credentials: { apiKey: UPSTREAM_KEY, baseUrl: upstream.url } };
    expect((await call(a, 'POST', 'accounts', root, account)).status).to.equal(201);
    expect((await call(a, 'POST', 'users', root, { username: 'ann', password: 'ann-password' })).status).to.equal(201);
    const ann = await login(b, 'ann', 'ann-password');
    const created = await call(b, 'POST', 'me/keys', ann, { name: 'laptop' });
    const { plaintext } = created.json<{ plaintext: string }>();
    // The account was created on A: B serves it once its account list (a short cache) has it.
    await waitFor(async () => (await echo(b, plaintext)).status === 200, {
      what: 'B serving the account A created',
      timeoutMs: 10_000,
    });
    expect((await echo(b, plaintext)).status).to.equal(200);
    expect((await call(a, 'POST', 'users/ann/disable', root, {})).status).to.equal(200);
    // No waiting: the very next request on B is refused, and B refuses the user's session too.
    const refused = await echo(b, plaintext);
    expect(refused.status).to.equal(401);
    expect(refused.text()).to.contain('disabled');
    expect((await call(b, 'GET', 'me', ann)).status).to.equal(401);
  });
});
