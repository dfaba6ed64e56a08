import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../src/config/index.js';

describe('config: auth (users and LDAP)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(os.tmpdir(), 'switchyard-auth-config-'));
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  const load = async (auth: unknown, env: Record<string, string> = {}) => {
    await writeFile(join(dir, 'gw.json'), JSON.stringify({ auth }));
    return loadConfig({ file: 'gw.json', cwd: dir, env });
  };
  const ldap = { url: 'ldap://127.0.0.1:389', searchBase: 'ou=people,dc=example,dc=test', userGroups: ['users'] };

  it('defaults the user portal policy and has no directory', async () => {
    const { config } = await load({});
    expect(config.auth.users).to.deep.equal({
      selfRegistration: false,
      maxKeysPerUser: 1,
      keyLimits: {},
      allowKeyDeletion: true,
    });
    expect(config.auth.ldap).to.equal(undefined);
  });

  it('takes the service password from LDAP_BIND_PASSWORD, only for a configured directory', async () => {
    const withLdap = await load(
      { ldap: { ...ldap, bindDn: 'cn=reader,dc=example,dc=test' } },
      { LDAP_BIND_PASSWORD: 'from-env' },
    );
    expect(withLdap.config.auth.ldap).to.deep.include({
      bindPassword: 'from-env',
      searchFilter: '(uid={username})',
      timeoutMs: 5000,
    });
    expect((await load({}, { LDAP_BIND_PASSWORD: 'from-env' })).config.auth.ldap).to.equal(undefined);
  });

  it('reports every problem of an LDAP section at once', async () => {
    let error: unknown;
    try {
      await load({
        ldap: { url: 'https://dc.example', searchBase: 'dc=x', searchFilter: '(uid=alice)', startTls: true, bindDn: 'cn=r' },
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).to.be.instanceOf(ConfigError);
    const text = (error as ConfigError).problems.join('\n');
    expect(text).to.contain('auth.ldap.url').and.contain('auth.ldap.searchFilter');
  });

  it('refuses a directory nobody may sign in from, StartTLS over ldaps, and a bindDn without its password', async () => {
    for (const [section, field] of [
      [{ ...ldap, userGroups: [] }, 'adminGroups'],
      [{ ...ldap, url: 'ldaps://dc.example:636', startTls: true }, 'startTls'],
      [{ ...ldap, bindDn: 'cn=reader' }, 'bindPassword'],
    ] as const) {
      let error: unknown;
      await load({ ldap: section }).catch((caught: unknown) => (error = caught));
      expect((error as ConfigError).problems.join('\n'), field).to.contain(`auth.ldap.${field}`);
    }
  });
});
