import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { createEmbeddedStore } from '../../src/store/embedded/create-embedded-store.js';
import type { Store } from '../../src/store/types.js';
import { configSchema, type GatewayConfigInput } from '../../src/config/schema.js';
import { ConfigError } from '../../src/config/config-error.js';
import { deployDeclared, type DeployCounts } from '../../src/config/deploy-declared.js';
import { AccountService } from '../../src/accounts/account-service.js';
import { KeyService } from '../../src/keys/key-service.js';
import { captureLogger } from '../auth/capture-logger.js';
import { testRegistry } from '../accounts/test-registry.js';

const KEY_A = 'declared-key-alpha-0123456789';
const KEY_B = 'declared-key-bravo-0123456789';

const declared: GatewayConfigInput = {
  groups: [{ id: 'team', name: 'Team' }],
  accounts: [
    {
      id: 'main',
      type: 'test-key',
      name: 'Main',
      credentials: { apiKey: 'sk-declared-secret-1' },
      groups: ['team'],
      proxy: 'http://u:pw@proxy:3128',
    },
    { id: 'oauth', type: 'test-oauth', name: 'OAuth', credentials: { accessToken: 'at-1', refreshToken: 'rt-1' }, settings: {} },
  ],
  keys: [
    { name: 'ci', key: KEY_A, tags: ['ci'], limits: { concurrency: 10 } },
    { name: 'dev', key: KEY_B },
  ],
};

const zero = (patch: Partial<DeployCounts> = {}): DeployCounts => ({
  created: 0,
  updated: 0,
  unchanged: 0,
  disabled: 0,
  deleted: 0,
  ...patch,
});

describe('deployDeclared', () => {
  let store: Store;
  let keys: KeyService;
  let accounts: AccountService;
  const secrets = { cipherKey: randomBytes(32), keyHashKey: randomBytes(32) };
  const captured = captureLogger();
  const deploy = (input: GatewayConfigInput) =>
    deployDeclared({ config: configSchema.parse(input), keys, accounts, store, log: captured.log });

  beforeEach(async () => {
    store = await createEmbeddedStore({ path: ':memory:' });
    keys = new KeyService({ store, secrets, keyPrefix: 'sy_' });
    accounts = new AccountService({ store, secrets, registry: testRegistry(), log: captured.log });
  });
  afterEach(async () => {
    await store.close();
  });

  it('creates what is declared, and a second run changes nothing', async () => {
    const first = await deploy(declared);
    expect(first).to.deep.equal({ groups: zero({ created: 1 }), accounts: zero({ created: 2 }), keys: zero({ created: 2 }) });
    const snapshot = JSON.stringify([await store.keys.list(), await store.accounts.list(), await store.groups.list()]);
    const second = await deploy(declared);
    expect(second).to.deep.equal({
      groups: zero({ unchanged: 1 }),
      accounts: zero({ unchanged: 2 }),
      keys: zero({ unchanged: 2 }),
    });
    expect(JSON.stringify([await store.keys.list(), await store.accounts.list(), await store.groups.list()])).to.equal(snapshot);
    expect((await keys.authenticate(KEY_A))?.name).to.equal('ci');
    expect((await accounts.resolve('main'))?.credentials).to.deep.equal({ apiKey: 'sk-declared-secret-1' });
    for (const record of await store.keys.list()) expect(record.source).to.equal('config');
  });

  it('updates changed declarations and rotates a changed declared key', async () => {
    await deploy(declared);
    const changed: GatewayConfigInput = {
      ...declared,
      groups: [{ id: 'team', name: 'Team A', description: 'renamed' }],
      accounts: [
        { ...declared.accounts![0]!, priority: 10, credentials: { apiKey: 'sk-declared-secret-2' }, proxy: undefined },
        declared.accounts![1]!,
      ],
      keys: [{ name: 'ci', key: 'declared-key-alpha-rotated-99' }, declared.keys![1]!],
    };
    const report = await deploy(changed);
    expect(report).to.deep.equal({
      groups: zero({ updated: 1 }),
      accounts: zero({ updated: 1, unchanged: 1 }),
      keys: zero({ updated: 1, unchanged: 1 }),
    });
    const main = await accounts.resolve('main');
    expect(main?.credentials).to.deep.equal({ apiKey: 'sk-declared-secret-2' });
    expect(main?.record.priority).to.equal(10);
    expect(main?.proxyUrl).to.equal(undefined);
    expect(await keys.authenticate(KEY_A)).to.equal(undefined);
    const ci = await keys.authenticate('declared-key-alpha-rotated-99');
    expect(ci?.name).to.equal('ci');
    expect(ci?.tags).to.deep.equal([]);
    expect((await deploy(changed)).keys).to.deep.equal(zero({ unchanged: 2 }));
  });

  it('disables keys and accounts no longer declared, deletes groups', async () => {
    await deploy(declared);
    const report = await deploy({ accounts: [declared.accounts![1]!], keys: [declared.keys![1]!] });
    expect(report).to.deep.equal({
      groups: zero({ deleted: 1 }),
      accounts: zero({ unchanged: 1, disabled: 1 }),
      keys: zero({ unchanged: 1, disabled: 1 }),
    });
    const ci = await keys.authenticate(KEY_A);
    expect(ci?.enabled).to.equal(false);
    expect((await store.accounts.get('main'))?.enabled).to.equal(false);
    expect(await store.groups.list()).to.have.length(0);
    expect(captured.lines.some((line) => line.message.includes('disabled a key'))).to.equal(true);
    const again = await deploy({ accounts: [declared.accounts![1]!], keys: [declared.keys![1]!] });
    expect(again).to.deep.equal({ groups: zero(), accounts: zero({ unchanged: 1 }), keys: zero({ unchanged: 1 }) });
  });

  it('keeps credentials refreshed at run time while the declaration is unchanged', async () => {
    await deploy(declared);
    await accounts.saveRefreshedCredentials('oauth', { accessToken: 'at-2', refreshToken: 'rt-2' });
    const report = await deploy(declared);
    expect(report.accounts).to.deep.equal(zero({ unchanged: 2 }));
    expect((await accounts.resolve('oauth'))?.credentials).to.deep.equal({ accessToken: 'at-2', refreshToken: 'rt-2' });
  });

  it('takes over admin-created records with a declared id or key', async () => {
    await accounts.create({
      id: 'main',
      type: 'test-key',
      name: 'Admin made',
      credentials: { apiKey: 'sk-admin-secret-00' },
      source: 'admin',
    });
    await keys.create({ name: 'admin-key', source: 'admin', plaintext: KEY_B });
    const report = await deploy(declared);
    expect(report.accounts).to.deep.equal(zero({ created: 1, updated: 1 }));
    expect(report.keys).to.deep.equal(zero({ created: 1, updated: 1 }));
    const main = await accounts.resolve('main');
    expect(main?.record.source).to.equal('config');
    expect(main?.record.name).to.equal('Main');
    expect(main?.credentials).to.deep.equal({ apiKey: 'sk-declared-secret-1' });
    const dev = await keys.authenticate(KEY_B);
    expect(dev).to.include({ name: 'dev', source: 'config' });
    expect(captured.lines.some((line) => line.message.includes('takes over an account'))).to.equal(true);
  });

  it('validates every declaration before writing anything', async () => {
    let error: unknown;
    await deploy({
      accounts: [
        { id: 'a', type: 'test-key', name: 'A', credentials: { apiKey: 'leak' } },
        { id: 'a', type: 'missing-type', name: 'B' },
      ],
      keys: [declared.keys![0]!, { ...declared.keys![0]!, name: 'other' }],
    }).catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).to.include('accounts[0].credentials.apiKey');
    expect(problems).to.include('accounts[1].id: "a" is declared twice');
    expect(problems).to.include('accounts[1].type: unknown account type');
    expect(problems).to.include('keys[1].key: the same key is declared twice');
    expect(problems).not.to.include('leak');
    expect(problems).not.to.include(KEY_A);
    expect(await store.accounts.list()).to.have.length(0);
    expect(await store.keys.list()).to.have.length(0);
  });

  it('never logs declared secrets', () => {
    const text = JSON.stringify(captured.lines);
    for (const secretValue of [KEY_A, KEY_B, 'sk-declared-secret-1', 'at-1', 'rt-1', 'pw@proxy'])
      expect(text).not.to.include(secretValue);
  });
});
