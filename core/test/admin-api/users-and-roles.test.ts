import { expect } from 'chai';
import { sendRequest } from '@switchyard/core/testing';
import { adminApiRoutes } from '../../src/admin-api/admin-routes.js';
import { startAdminHarness, UPSTREAM_KEY, type AdminHarness } from './admin-harness.js';

interface Created {
  key: { id: string; name: string; owner?: string; enabled: boolean; limits: Record<string, unknown> };
  plaintext: string;
}

const TEMPLATE = { costUsd: { daily: 3 }, windows: [{ period: '1h', requests: 50 }] };

describe('admin API: users, roles and the user portal (/me)', () => {
  let h: AdminHarness;
  let root: string;

  beforeEach(async () => {
    h = await startAdminHarness();
    root = await h.login();
    await h.call('POST', 'api/accounts', {
      token: root,
      body: { type: 'echo-key', name: 'Echo', credentials: { apiKey: UPSTREAM_KEY, baseUrl: h.upstream.url } },
    });
    const policy = await h.call('PUT', 'api/user-policy', {
      token: root,
      body: { selfRegistration: false, maxKeysPerUser: 2, keyLimits: TEMPLATE, allowKeyDeletion: true },
    });
    expect(policy.status).to.equal(200);
  });
  afterEach(async () => h.close());

  const echo = (key: string) =>
    sendRequest(`${h.tg.url}/echo/v1/echo`, {
      headers: { authorization: `Bearer ${key}` },
      body: { model: 'echo-1', input: 'a b' },
    });
  const createUser = async (username: string, role = 'user') => {
    const res = await h.call('POST', 'api/users', { token: root, body: { username, password: `${username}-password`, role } });
    expect(res.status, res.text()).to.equal(201);
    return h.login(username, `${username}-password`);
  };

  it('the first admin became a user of role admin; a user signs in at the same login and sees role user', async () => {
    const users = (await h.call('GET', 'api/users', { token: root })).json<{ username: string; role: string }[]>();
    expect(users).to.deep.include.members([{ ...users.find((u) => u.username === 'root')!, role: 'admin' }]);
    const ann = await createUser('ann');
    const session = await h.call('GET', 'api/session', { token: ann });
    expect(session.json()).to.deep.include({ username: 'ann', role: 'user' });
    const login = await h.call('POST', 'api/login', { body: { username: 'ann', password: 'ann-password' } });
    expect(login.json()).to.deep.include({ username: 'ann', role: 'user' });
    expect(JSON.stringify((await h.call('GET', 'api/users', { token: root })).json())).to.not.contain('scrypt');
  });

  it('answers 403 to a user session on every admin-only route, route by route', async () => {
    const ann = await createUser('ann');
    const adminKey = (await h.call('POST', 'api/keys', { token: root, body: { name: 'admins-key' } })).json<Created>();
    const adminOnly = adminApiRoutes.filter((route) => !route.public && !route.forUsers);
    expect(adminOnly.length).to.be.greaterThan(30);
    const concrete = (path: string) =>
      path.replace(/:([A-Za-z0-9_]+)/g, (_, name: string) =>
        name === 'username' ? 'root' : name === 'id' ? adminKey.key.id : `x-${name}`,
      );
    for (const route of adminOnly) {
      const res = await h.call(route.method.toUpperCase(), `api${concrete(route.path)}`, {
        token: ann,
        ...(route.method === 'get' || route.method === 'delete' ? {} : { body: {} }),
      });
      expect(res.status, `${route.method.toUpperCase()} ${route.path}`).to.equal(403);
    }
    expect((await h.call('GET', 'api/openapi.json', { token: ann })).status).to.equal(403);
    // Nothing changed: the admin's key and the admin are as they were.
    const still = (await h.call('GET', `api/keys/${adminKey.key.id}`, { token: root })).json<Created['key']>();
    expect(still).to.deep.include({ name: 'admins-key', enabled: true });
    expect((await h.call('GET', 'api/session', { token: root })).status).to.equal(200);
    // The routes a user may call are exactly the portal's and their own session's.
    expect(adminApiRoutes.filter((route) => route.forUsers).map((route) => `${route.method} ${route.path}`)).to.have.members([
      'post /logout',
      'get /session',
      'post /password',
      'get /me',
      'get /me/keys',
      'post /me/keys',
      'post /me/keys/:id/regenerate',
      'post /me/keys/:id/disable',
      'post /me/keys/:id/enable',
      'delete /me/keys/:id',
      'get /me/usage',
      'get /me/connect',
    ]);
  });

  it('lets a user create keys within the maximum, with the template limits, owned by them', async () => {
    const ann = await createUser('ann');
    const me = (await h.call('GET', 'api/me', { token: ann })).json<Record<string, unknown>>();
    expect(me).to.deep.include({ username: 'ann', role: 'user', maxKeys: 2, keyCount: 0, allowKeyDeletion: true });
    expect(me['keyLimits']).to.deep.equal(TEMPLATE);
    const made: Created[] = [];
    for (const name of ['laptop', 'ci']) {
      const res = await h.call('POST', 'api/me/keys', { token: ann, body: { name } });
      expect(res.status, res.text()).to.equal(201);
      made.push(res.json<Created>());
    }
    expect(made[0]!.key.owner).to.equal('ann');
    expect(made[0]!.key.limits).to.deep.equal(TEMPLATE);
    // A user cannot choose their own limits.
    const own = await h.call('POST', 'api/me/keys', { token: ann, body: { name: 'x', limits: {} } });
    expect(own.status).to.equal(400);
    const third = await h.call('POST', 'api/me/keys', { token: ann, body: { name: 'third' } });
    expect(third.status).to.equal(403);
    expect(third.json<{ error: { message: string } }>().error.message).to.contain('at most 2');
    expect((await echo(made[0]!.plaintext)).status).to.equal(200);
    await h.tg.gateway.settled();
    const usage = (await h.call('GET', 'api/me/usage', { token: ann })).json<{
      today: { requests: number };
      keys: { key: { id: string }; budgets: { path: string; limit: number; used: number }[] }[];
    }>();
    expect(usage.today.requests).to.equal(1);
    expect(usage.keys.map((entry) => entry.key.id)).to.have.members(made.map((m) => m.key.id));
    expect(usage.keys[0]!.budgets.some((budget) => budget.limit === 50)).to.equal(true);
    // A per-user allowance overrides the policy.
    await h.call('PATCH', 'api/users/ann', { token: root, body: { maxKeys: 3 } });
    expect((await h.call('POST', 'api/me/keys', { token: ann, body: { name: 'third' } })).status).to.equal(201);
  });

  it('counts usage and cost of the user own keys only', async () => {
    const ann = await createUser('ann');
    const bob = await createUser('bob');
    const annKey = (await h.call('POST', 'api/me/keys', { token: ann, body: { name: 'a' } })).json<Created>();
    const bobKey = (await h.call('POST', 'api/me/keys', { token: bob, body: { name: 'b' } })).json<Created>();
    for (let i = 0; i < 3; i += 1) expect((await echo(annKey.plaintext)).status).to.equal(200);
    expect((await echo(bobKey.plaintext)).status).to.equal(200);
    await h.tg.gateway.settled();
    const read = async (token: string) =>
      (await h.call('GET', 'api/me/usage', { token })).json<{ today: { requests: number }; keys: unknown[] }>();
    const [annUsage, bobUsage] = [await read(ann), await read(bob)];
    expect(annUsage.keys).to.have.length(1);
    expect(bobUsage.keys).to.have.length(1);
    expect(annUsage.today.requests).to.equal(3);
    expect(bobUsage.today.requests).to.equal(1);
  });

  it("never lets a user read or change another user's key (404), and scopes the list", async () => {
    const ann = await createUser('ann');
    const bob = await createUser('bob');
    const bobKey = (await h.call('POST', 'api/me/keys', { token: bob, body: { name: 'bobs' } })).json<Created>();
    const adminKey = (await h.call('POST', 'api/keys', { token: root, body: { name: 'unowned' } })).json<Created>();
    for (const id of [bobKey.key.id, adminKey.key.id]) {
      for (const [method, path] of [
        ['POST', `api/me/keys/${id}/regenerate`],
        ['POST', `api/me/keys/${id}/disable`],
        ['POST', `api/me/keys/${id}/enable`],
        ['DELETE', `api/me/keys/${id}`],
      ] as const) {
        expect((await h.call(method, path, { token: ann, ...(method === 'POST' ? { body: {} } : {}) })).status).to.equal(404);
      }
    }
    expect((await h.call('GET', 'api/me/keys', { token: ann })).json()).to.deep.equal([]);
    expect((await echo(bobKey.plaintext)).status).to.equal(200);
    expect((await h.call('GET', `api/keys/${adminKey.key.id}`, { token: root })).json()).to.deep.include({ enabled: true });
  });

  it('lets a user regenerate, disable, enable and delete their key; deletion only when allowed', async () => {
    const ann = await createUser('ann');
    const made = (await h.call('POST', 'api/me/keys', { token: ann, body: { name: 'k' } })).json<Created>();
    const fresh = (await h.call('POST', `api/me/keys/${made.key.id}/regenerate`, { token: ann, body: {} })).json<Created>();
    expect((await echo(made.plaintext)).status).to.equal(401);
    expect((await echo(fresh.plaintext)).status).to.equal(200);
    await h.call('POST', `api/me/keys/${made.key.id}/disable`, { token: ann, body: {} });
    expect((await echo(fresh.plaintext)).text()).to.contain('disabled');
    await h.call('POST', `api/me/keys/${made.key.id}/enable`, { token: ann, body: {} });
    expect((await echo(fresh.plaintext)).status).to.equal(200);
    const policy = (await h.call('GET', 'api/user-policy', { token: root })).json<Record<string, unknown>>();
    await h.call('PUT', 'api/user-policy', { token: root, body: { ...policy, allowKeyDeletion: false } });
    expect((await h.call('DELETE', `api/me/keys/${made.key.id}`, { token: ann })).status).to.equal(403);
    await h.call('PUT', 'api/user-policy', { token: root, body: { ...policy, allowKeyDeletion: true } });
    expect((await h.call('DELETE', `api/me/keys/${made.key.id}`, { token: ann })).status).to.equal(200);
    expect((await echo(fresh.plaintext)).status).to.equal(401);
  });

  it('disabling a user ends their sessions and stops their keys at once; enabling brings the keys back', async () => {
    const ann = await createUser('ann');
    const made = (await h.call('POST', 'api/me/keys', { token: ann, body: { name: 'k' } })).json<Created>();
    const off = (await h.call('POST', 'api/me/keys', { token: ann, body: { name: 'off' } })).json<Created>();
    await h.call('POST', `api/me/keys/${off.key.id}/disable`, { token: ann, body: {} });
    expect((await echo(made.plaintext)).status).to.equal(200);
    const disabled = await h.call('POST', 'api/users/ann/disable', { token: root, body: {} });
    expect(disabled.json()).to.deep.include({ enabled: false, keyCount: 2 });
    const refused = await echo(made.plaintext);
    expect(refused.status).to.equal(401);
    expect(refused.text()).to.contain('disabled');
    expect((await h.call('GET', 'api/me', { token: ann })).status).to.equal(401);
    const again = await h.call('POST', 'api/login', { body: { username: 'ann', password: 'ann-password' } });
    expect(again.status).to.equal(403);
    await h.call('POST', 'api/users/ann/enable', { token: root, body: {} });
    expect((await echo(made.plaintext)).status).to.equal(200);
    // The key the user had switched off themselves stays off.
    expect((await h.call('GET', `api/keys/${off.key.id}`, { token: root })).json()).to.deep.include({ enabled: false });
  });

  it('keeps one enabled admin, and an admin cannot disable, demote or delete themselves', async () => {
    expect((await h.call('POST', 'api/users/root/disable', { token: root, body: {} })).status).to.equal(400);
    expect((await h.call('PATCH', 'api/users/root', { token: root, body: { role: 'user' } })).status).to.equal(400);
    expect((await h.call('DELETE', 'api/users/root', { token: root })).status).to.equal(400);
    const ann = await createUser('ann', 'admin');
    expect((await h.call('GET', 'api/accounts', { token: ann })).status).to.equal(200);
    // Demoted: the role is read at every request, so the same session loses admin routes at once.
    expect((await h.call('PATCH', 'api/users/ann', { token: root, body: { role: 'user' } })).status).to.equal(200);
    expect((await h.call('GET', 'api/accounts', { token: ann })).status).to.equal(403);
    expect((await h.call('GET', 'api/me', { token: ann })).status).to.equal(200);
  });

  it('registers with an invite once, and by self-registration only when it is open', async () => {
    const closed = await h.call('POST', 'api/register', { body: { username: 'eve', password: 'eve-password' } });
    expect(closed.status).to.equal(403);
    const invite = (await h.call('POST', 'api/invites', { token: root, body: { role: 'user' } })).json<{
      token: string;
      path: string;
    }>();
    expect(invite.path).to.contain(encodeURIComponent(invite.token));
    const registered = await h.call('POST', 'api/register', {
      body: { username: 'carol', password: 'carol-password', invite: invite.token },
    });
    expect(registered.status, registered.text()).to.equal(201);
    expect(registered.json()).to.deep.include({ username: 'carol', role: 'user' });
    const reused = await h.call('POST', 'api/register', {
      body: { username: 'dave', password: 'dave-password', invite: invite.token },
    });
    expect(reused.status).to.equal(403);
    expect((await h.call('GET', 'api/registration')).json()).to.deep.equal({ selfRegistration: false });
    const policy = (await h.call('GET', 'api/user-policy', { token: root })).json<Record<string, unknown>>();
    await h.call('PUT', 'api/user-policy', { token: root, body: { ...policy, selfRegistration: true } });
    const open = await h.call('POST', 'api/register', { body: { username: 'eve', password: 'eve-password' } });
    expect(open.status).to.equal(201);
    expect(open.json()).to.deep.include({ role: 'user' });
    expect((await h.call('POST', 'api/register', { body: { username: 'eve', password: 'eve-password' } })).status).to.equal(409);
  });

  it('lets a local user change their own password', async () => {
    const ann = await createUser('ann');
    const changed = await h.call('POST', 'api/password', {
      token: ann,
      body: { currentPassword: 'ann-password', newPassword: 'ann-new-password' },
    });
    expect(changed.status).to.equal(200);
    expect((await h.call('GET', 'api/me', { token: ann })).status).to.equal(401);
    expect(await h.login('ann', 'ann-new-password')).to.be.a('string');
  });
});
