import { expect } from 'chai';
import { adminApiRoutes } from '../../src/admin-api/admin-routes.js';
import { ADMIN, startAdminHarness, type AdminHarness } from './admin-harness.js';

function concretePath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, 'x1');
}

for (const store of ['embedded', 'redis'] as const)
  describe(`admin API: authentication (${store} store)`, () => {
    let h: AdminHarness;
    beforeEach(async () => {
      h = await startAdminHarness({}, [], store);
    });
    afterEach(async () => h.close());

    it('answers 401 on every route except login and registration, without a session or with a forged one', async () => {
      const routes = adminApiRoutes.filter((route) => !route.public);
      expect(routes.length).to.be.greaterThan(30);
      for (const route of routes) {
        for (const token of [undefined, 'not-a-jwt', 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJyb290In0.']) {
          const res = await h.call(route.method.toUpperCase(), `api${concretePath(route.path)}`, {
            token,
            body: route.body ? {} : undefined,
          });
          expect(res.status, `${route.method} ${route.path}`).to.equal(401);
          expect(res.json<{ error: { type: string } }>().error.type).to.equal('unauthorized');
        }
      }
      expect((await h.call('GET', 'api/no-such-route')).status).to.equal(401);
      expect((await h.call('GET', 'api/openapi.json')).status).to.equal(401);
      expect(adminApiRoutes.filter((route) => route.public).map((route) => route.id)).to.deep.equal([
        'login',
        'getRegistration',
        'register',
      ]);
    });

    it('signs in with an httpOnly SameSite=Strict cookie that works, and signs out', async () => {
      const res = await h.call('POST', 'api/login', { body: ADMIN });
      expect(res.status).to.equal(200);
      const cookie = String(res.headers['set-cookie']);
      expect(cookie)
        .to.match(/switchyard_admin=/)
        .and.match(/httponly/i)
        .and.match(/samesite=strict/i)
        .and.match(/path=\/admin/);
      const pair = cookie.split(';')[0]!;
      const me = await h.call('GET', 'api/session', { headers: { cookie: pair } });
      expect(me.status).to.equal(200);
      expect(me.json<{ username: string }>().username).to.equal(ADMIN.username);
      const out = await h.call('POST', 'api/logout', { headers: { cookie: pair, 'x-requested-with': 'switchyard-admin' } });
      expect(String(out.headers['set-cookie'])).to.match(/switchyard_admin=;/);
    });

    it('refuses a wrong password clearly, and validates the body', async () => {
      const wrong = await h.call('POST', 'api/login', { body: { username: ADMIN.username, password: 'nope-nope' } });
      expect(wrong.status).to.equal(401);
      expect(wrong.text()).to.not.contain('nope-nope');
      const bad = await h.call('POST', 'api/login', { body: { username: '' } });
      expect(bad.status).to.equal(400);
      expect(bad.json<{ error: { problems: string[] } }>().error.problems).to.include.members([
        'username: Too small: expected string to have >=1 characters',
      ]);
      expect(bad.json<{ error: { problems: string[] } }>().error.problems.some((p) => p.startsWith('password:'))).to.equal(true);
      // A form post shows no intent (a cross-site page can send one): refused before the body is read.
      const notJson = await h.call('POST', 'api/login', {
        body: 'username=root',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(notJson.status).to.equal(403);
    });

    it('throttles ten wrong passwords in a row, even when the right one follows', async () => {
      const statuses: number[] = [];
      for (let attempt = 0; attempt < 10; attempt += 1) {
        statuses.push(
          (await h.call('POST', 'api/login', { body: { username: ADMIN.username, password: `wrong-${attempt}` } })).status,
        );
      }
      expect(statuses.slice(0, 5)).to.deep.equal([401, 401, 401, 401, 401]);
      expect(statuses.slice(5)).to.deep.equal([429, 429, 429, 429, 429]);
      const right = await h.call('POST', 'api/login', { body: ADMIN });
      expect(right.status).to.equal(429);
      expect(Number(right.headers['retry-after'])).to.be.greaterThan(0);
    });

    it('throttles one IP trying many usernames', async () => {
      const statuses: number[] = [];
      for (let attempt = 0; attempt < 22; attempt += 1) {
        statuses.push(
          (await h.call('POST', 'api/login', { body: { username: `user${attempt}`, password: 'wrong-password' } })).status,
        );
      }
      expect(statuses.slice(0, 20).every((status) => status === 401)).to.equal(true);
      expect(statuses.slice(20)).to.deep.equal([429, 429]);
    });

    it('changes the password, which ends the old sessions', async () => {
      const token = await h.login();
      const wrong = await h.call('POST', 'api/password', {
        token,
        body: { currentPassword: 'bad-password', newPassword: 'another-password-1' },
      });
      expect(wrong.status).to.equal(400);
      const short = await h.call('POST', 'api/password', {
        token,
        body: { currentPassword: ADMIN.password, newPassword: 'short' },
      });
      expect(short.status).to.equal(400);
      const ok = await h.call('POST', 'api/password', {
        token,
        body: { currentPassword: ADMIN.password, newPassword: 'another-password-1' },
      });
      expect(ok.status).to.equal(200);
      expect((await h.call('GET', 'api/session', { token })).status).to.equal(401);
      const fresh = await h.login(ADMIN.username, 'another-password-1');
      expect((await h.call('GET', 'api/session', { token: fresh })).status).to.equal(200);
    });

    it('has more than one admin; a removed admin is signed out; the last one stays', async () => {
      const token = await h.login();
      const created = await h.call('POST', 'api/admins', { token, body: { username: 'second', password: 'second-password' } });
      expect(created.status).to.equal(201);
      expect(created.text()).to.not.contain('passwordHash');
      const dup = await h.call('POST', 'api/admins', { token, body: { username: 'second', password: 'second-password' } });
      expect(dup.status).to.equal(409);
      const second = await h.login('second', 'second-password');
      const list = await h.call('GET', 'api/admins', { token: second });
      expect(
        list
          .json<{ username: string }[]>()
          .map((a) => a.username)
          .sort(),
      ).to.deep.equal(['root', 'second']);
      expect(list.text()).to.not.contain('scrypt');
      expect((await h.call('DELETE', 'api/admins/root', { token })).status).to.equal(400);
      expect((await h.call('DELETE', 'api/admins/second', { token })).status).to.equal(200);
      expect((await h.call('GET', 'api/session', { token: second })).status).to.equal(401);
    });

    it('rotates the signing secret: old sessions live on, unless everyone is signed out', async () => {
      const token = await h.login();
      expect((await h.call('POST', 'api/sessions/rotate', { token, body: {} })).status).to.equal(200);
      expect((await h.call('GET', 'api/session', { token })).status).to.equal(200);
      const newer = await h.login();
      expect(newer.split('.')[0]).to.not.equal(token.split('.')[0]);
      expect((await h.call('POST', 'api/sessions/rotate', { token: newer, body: { signOutEveryone: true } })).status).to.equal(
        200,
      );
      // This instance forgets the retired secrets at once (other instances within 5 s).
      expect((await h.call('GET', 'api/session', { token: newer })).status).to.equal(401);
      expect((await h.call('GET', 'api/session', { token })).status).to.equal(401);
      expect((await h.call('GET', 'api/session', { token: await h.login() })).status).to.equal(200);
    });
  });
