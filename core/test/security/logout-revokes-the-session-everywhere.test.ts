/**
 * Issue 14, item 9: signing out revokes the session token itself, in the shared store,
 * so a copy of a signed-out token (a stolen cookie, a script's bearer token) stops
 * working on every instance at once, and after a restart, while the admin's other
 * sessions live on.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { createTestGateway, sendRequest, type TestGateway } from '@switchyard/core/testing';
import { echoPlugin } from 'switchyard-plugin-echo';
import { ADMIN, startAdminHarness, type AdminHarness } from '../admin-api/admin-harness.js';
import { twoAdminInstancesForSuite } from '../admin-api/two-admin-instances-for-suite.js';

const session = (url: string, token: string) =>
  sendRequest(`${url}/admin/api/session`, { headers: { authorization: `Bearer ${token}` } });
const login = async (url: string) => {
  const res = await sendRequest(`${url}/admin/api/login`, { body: ADMIN });
  expect(res.status).to.equal(200);
  return { token: res.json<{ token: string }>().token, cookie: String(res.headers['set-cookie']).split(';')[0]! };
};
const logout = (url: string, token: string) =>
  sendRequest(`${url}/admin/api/logout`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });

for (const store of ['embedded', 'redis'] as const) {
  describe(`sign-out revokes the session (${store} store)`, () => {
    let h: AdminHarness;
    before(async () => {
      h = await startAdminHarness({}, [], store);
    });
    after(async () => h?.close());

    it('refuses a signed-out bearer token at once, and keeps the other sessions of that admin', async () => {
      const first = await login(h.tg.url);
      const second = await login(h.tg.url);
      expect((await session(h.tg.url, first.token)).status).to.equal(200);
      expect((await logout(h.tg.url, first.token)).status).to.equal(200);
      const after = await session(h.tg.url, first.token);
      expect(after.status).to.equal(401);
      expect(after.json<{ error: { type: string } }>().error.type).to.equal('unauthorized');
      expect((await logout(h.tg.url, first.token)).status, 'signing out twice').to.equal(401);
      expect((await session(h.tg.url, second.token)).status, 'another session of the same admin').to.equal(200);
    });

    it('refuses a copy of a signed-out cookie', async () => {
      const { cookie } = await login(h.tg.url);
      const out = await h.call('POST', 'api/logout', { headers: { cookie, 'x-requested-with': 'switchyard-admin' } });
      expect(out.status).to.equal(200);
      expect((await h.call('GET', 'api/session', { headers: { cookie } })).status).to.equal(401);
    });

    it('keeps two sessions issued in the same second apart', async () => {
      const [a, b] = await Promise.all([login(h.tg.url), login(h.tg.url)]);
      expect(a.token).to.not.equal(b.token);
      await logout(h.tg.url, a.token);
      expect((await session(h.tg.url, b.token)).status).to.equal(200);
    });
  });
}

describe('sign-out across two gateway instances on one redis', () => {
  const instances = twoAdminInstancesForSuite();

  it('a token signed out on one instance is refused by the other at once', async () => {
    const { a, b } = instances;
    const { token } = await login(a.url);
    expect((await session(b.url, token)).status).to.equal(200);
    expect((await logout(b.url, token)).status).to.equal(200);
    expect((await session(a.url, token)).status).to.equal(401);
    expect((await session(b.url, token)).status).to.equal(401);
  });
});

describe('sign-out survives a restart (embedded store on disk)', () => {
  let dir: string;
  let tg: TestGateway | undefined;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sy-logout-'));
  });
  after(async () => {
    await tg?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('still refuses the signed-out token after the gateway restarts', async () => {
    const config = {
      store: { type: 'embedded' as const, path: dir },
      security: { encryptionKey: randomBytes(30).toString('base64url') },
      admin: ADMIN,
      logging: { level: 'warn' as const },
    };
    tg = await createTestGateway({ plugins: [echoPlugin], keys: [], config });
    const kept = await login(tg.url);
    const { token } = await login(tg.url);
    expect((await logout(tg.url, token)).status).to.equal(200);
    await tg.close();
    tg = await createTestGateway({ plugins: [echoPlugin], keys: [], config });
    expect((await session(tg.url, token)).status).to.equal(401);
    expect((await session(tg.url, kept.token)).status).to.equal(200);
  });
});
