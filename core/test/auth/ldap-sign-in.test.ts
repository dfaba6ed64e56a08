/**
 * LDAP sign-in against a real slapd (started on a free port by the test): service bind,
 * search with the username escaped per RFC 4515, groups to role, a bind as the person,
 * provisioning and role refresh; and every way it fails, each with a log line that never
 * holds the password.
 */
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { expect } from 'chai';
import type { GatewayConfigInput } from '../../src/config/schema.js';
import { startAdminHarness, type AdminHarness } from '../admin-api/admin-harness.js';
import { LDAP_GROUPS, LDAP_PEOPLE, LDAP_READER, startSlapdForTests, type TestSlapd } from '../fixtures/slapd-for-tests.js';

const PASSWORDS = ['alice-password', 'bob-password', 'carol-password', 'dave (ops)-password', 'reader-password'];

describe('LDAP / Active Directory sign-in (real slapd)', function () {
  this.timeout(60_000);
  let slapd: TestSlapd;
  let h: AdminHarness | undefined;

  before(async () => {
    slapd = await startSlapdForTests();
  });
  after(async () => slapd?.stop());
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  const ldapConfig = (overrides: Record<string, unknown> = {}) => ({
    url: slapd.url,
    bindDn: LDAP_READER.dn,
    bindPassword: LDAP_READER.password,
    searchBase: LDAP_PEOPLE,
    searchFilter: '(uid={username})',
    groupSearchBase: LDAP_GROUPS,
    // One by common name, one by DN: both forms are accepted.
    adminGroups: ['switchyard-admins'],
    userGroups: [`cn=switchyard-users,${LDAP_GROUPS}`],
    timeoutMs: 3000,
    connectTimeoutMs: 3000,
    ...overrides,
  });
  const start = async (overrides: Record<string, unknown> = {}, extra: Partial<GatewayConfigInput> = {}) => {
    h = await startAdminHarness({ ...extra, auth: { ldap: ldapConfig(overrides) } } as Partial<GatewayConfigInput>);
    return h;
  };
  const login = (username: string, password: string) => h!.call('POST', 'api/login', { body: { username, password } });
  const failures = () => h!.tg.logs.filter((line) => line['message'] === 'ldap sign-in failed');
  const noPasswordLogged = () => {
    const text = JSON.stringify(h!.tg.logs);
    for (const password of PASSWORDS) expect(text).to.not.contain(password);
  };
  const modifyGroup = (change: 'add' | 'delete', group: string, uid: string) =>
    execFileSync('ldapmodify', ['-x', '-H', slapd.url, '-D', 'cn=admin,dc=example,dc=test', '-w', 'root-password'], {
      input: `dn: cn=${group},${LDAP_GROUPS}\nchangetype: modify\n${change}: member\nmember: uid=${uid},${LDAP_PEOPLE}\n`,
    });

  it('signs in a member of an admin group as admin and of a user group as user, provisioning them', async () => {
    await start();
    const alice = await login('alice', 'alice-password');
    expect(alice.status, alice.text()).to.equal(200);
    expect(alice.json()).to.deep.include({ username: 'alice', role: 'admin' });
    const bob = await login('bob', 'bob-password');
    expect(bob.json()).to.deep.include({ username: 'bob', role: 'user' });
    const root = await h!.login();
    const users = (await h!.call('GET', 'api/users', { token: root })).json<Record<string, unknown>[]>();
    expect(users.find((user) => user['username'] === 'alice')).to.deep.include({
      source: 'ldap',
      role: 'admin',
      displayName: 'Alice Admin',
      email: 'alice@example.test',
    });
    // A directory user has no password here: the portal works, the password route refuses.
    const token = bob.json<{ token: string }>().token;
    expect((await h!.call('GET', 'api/me', { token })).json()).to.deep.include({ username: 'bob', source: 'ldap' });
    const change = await h!.call('POST', 'api/password', { token, body: { currentPassword: 'x', newPassword: 'whatever-new' } });
    expect(change.status).to.equal(400);
    noPasswordLogged();
  });

  it('accepts the Active Directory forms DOMAIN\\user and user@domain, and names with filter characters', async () => {
    await start();
    for (const typed of ['EXAMPLE\\bob', 'bob@example.test']) {
      const res = await login(typed, 'bob-password');
      expect(res.status, typed).to.equal(200);
      expect(res.json()).to.deep.include({ username: 'bob', role: 'user' });
    }
    const dave = await login('dave (ops)', 'dave (ops)-password');
    expect(dave.status, dave.text()).to.equal(200);
    expect(dave.json()).to.deep.include({ username: 'dave (ops)', role: 'user' });
  });

  it('refuses a wrong password, with a log line naming the user and the reason, never the password', async () => {
    await start();
    const res = await login('alice', 'bob-password');
    expect(res.status).to.equal(401);
    expect(res.json<{ error: { message: string } }>().error.message).to.equal('Wrong username or password.');
    expect(failures()).to.have.length(1);
    expect(failures()[0]).to.deep.include({ username: 'alice', reason: 'wrong_credentials', why: 'wrong password' });
    expect((await login('nobody', 'alice-password')).status).to.equal(401);
    expect(failures()[1]).to.deep.include({ username: 'nobody', why: 'no such user' });
    noPasswordLogged();
  });

  it('escapes the username: wildcards and injected clauses find nobody', async () => {
    await start();
    for (const typed of ['*', 'al*', 'alice)(uid=*', '*)(|(uid=*', 'alice)(|(objectClass=*)', 'bob\\5c', 'bob\0']) {
      const res = await login(typed, 'alice-password');
      expect(res.status, typed).to.equal(401);
    }
    const why = failures().map((line) => line['why']);
    // Unescaped, '*' would have matched several people and 'al*' alice herself.
    expect(why).to.deep.equal(Array(7).fill('no such user'));
    noPasswordLogged();
  });

  it('refuses a person in none of the allowed groups (403) and refreshes the role at each sign-in', async () => {
    await start();
    const carol = await login('carol', 'carol-password');
    expect(carol.status).to.equal(403);
    expect(carol.json<{ error: { message: string } }>().error.message).to.contain('may not sign in');
    expect(failures().at(-1)).to.deep.include({ username: 'carol', reason: 'not_allowed' });
    expect((await h!.call('GET', 'api/users', { token: await h!.login() })).text()).to.not.contain('carol');

    expect((await login('bob', 'bob-password')).json()).to.deep.include({ role: 'user' });
    modifyGroup('add', 'switchyard-admins', 'bob');
    try {
      expect((await login('bob', 'bob-password')).json()).to.deep.include({ role: 'admin' });
    } finally {
      modifyGroup('delete', 'switchyard-admins', 'bob');
    }
    const again = await login('bob', 'bob-password');
    expect(again.json()).to.deep.include({ role: 'user' });
    // A demoted directory user's session is a user's session at once.
    const token = again.json<{ token: string }>().token;
    expect((await h!.call('GET', 'api/accounts', { token })).status).to.equal(403);
  });

  it('refuses a disabled directory user, and a local user keeps their local password', async () => {
    await start();
    expect((await login('bob', 'bob-password')).status).to.equal(200);
    const root = await h!.login();
    await h!.call('POST', 'api/users/bob/disable', { token: root, body: {} });
    expect((await login('bob', 'bob-password')).status).to.equal(403);
    await h!.call('POST', 'api/users', { token: root, body: { username: 'alice', password: 'local-alice-pw' } });
    expect((await login('alice', 'alice-password')).status).to.equal(401);
    expect((await login('alice', 'local-alice-pw')).json()).to.deep.include({ role: 'user' });
  });

  it('answers 503 when the directory is down, and when the service account cannot bind; logged, never counted as a guess', async () => {
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const port = (closed.address() as { port: number }).port;
    closed.close();
    await once(closed, 'close');
    await start({ url: `ldap://127.0.0.1:${port}` }, { admin: { loginMaxFailuresPerUser: 2 } });
    for (let attempt = 0; attempt < 4; attempt += 1) {
      const res = await login('alice', 'alice-password');
      expect(res.status).to.equal(503);
      expect(res.json<{ error: { message: string } }>().error.message).to.contain('directory cannot be reached');
    }
    expect(failures()[0]).to.deep.include({ username: 'alice', reason: 'directory_unavailable' });
    expect(String(failures()[0]!['error'])).to.match(/ECONNREFUSED|connect/i);
    // The local admin still signs in while the directory is down.
    expect(await h!.login()).to.be.a('string');
    noPasswordLogged();
    await h!.close();

    await start({ bindPassword: 'wrong-reader-password' });
    expect((await login('alice', 'alice-password')).status).to.equal(503);
    expect(failures()[0]).to.deep.include({ why: 'the service account (bindDn) could not bind' });
    expect(JSON.stringify(h!.tg.logs)).to.not.contain('wrong-reader-password');
  });

  it('gives up on a directory that accepts connections but never answers, within the timeout', async () => {
    const sockets: Socket[] = [];
    const silent: Server = createServer((socket) => sockets.push(socket));
    silent.listen(0, '127.0.0.1');
    await once(silent, 'listening');
    try {
      await start({
        url: `ldap://127.0.0.1:${(silent.address() as { port: number }).port}`,
        timeoutMs: 300,
        connectTimeoutMs: 300,
      });
      const started = Date.now();
      const res = await login('alice', 'alice-password');
      expect(res.status).to.equal(503);
      expect(Date.now() - started).to.be.below(5000);
      expect(String(failures()[0]!['error'])).to.match(/timeout|timed out/i);
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });
});
