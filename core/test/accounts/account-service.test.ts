import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { createEmbeddedStore } from '../../src/store/embedded/create-embedded-store.js';
import type { Store } from '../../src/store/types.js';
import { AccountService } from '../../src/accounts/account-service.js';
import { AccountInputError } from '../../src/accounts/account-input-error.js';
import { captureLogger } from '../auth/capture-logger.js';
import { testRegistry } from './test-registry.js';

const SECRET = 'sk-super-secret-value-123';

describe('AccountService', () => {
  let store: Store;
  let accounts: AccountService;
  let lines: ReturnType<typeof captureLogger>['lines'];
  const secrets = { cipherKey: randomBytes(32), keyHashKey: randomBytes(32) };

  beforeEach(async () => {
    store = await createEmbeddedStore({ path: ':memory:' });
    const captured = captureLogger();
    lines = captured.lines;
    accounts = new AccountService({ store, secrets, registry: testRegistry(), log: captured.log });
  });
  afterEach(async () => {
    await store.close();
  });

  it('lists every validation problem by field name, never by value', async () => {
    let error: unknown;
    await accounts
      .create({
        id: 'bad id!',
        type: 'test-key',
        name: '',
        credentials: { apiKey: 'leaky-but-short'.slice(0, 6), baseUrl: 'not a url leaky-value', extra: 'leaky-extra' },
        settings: { region: 'leaky-region' },
        priority: 0,
        proxy: 'ftp://user:leaky-password@host',
        source: 'admin',
      })
      .catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(AccountInputError);
    const problems = (error as AccountInputError).problems;
    const text = problems.join('\n');
    for (const field of [
      'id:',
      'name:',
      'priority:',
      'proxy:',
      'credentials.apiKey:',
      'credentials.baseUrl:',
      'settings.region:',
    ]) {
      expect(text).to.include(field);
    }
    expect(text).not.to.include('leaky');
    expect((error as Error).message).not.to.include('leaky');
    expect(problems).to.have.length.greaterThanOrEqual(7);
  });

  it('reports missing credentials and unknown types', async () => {
    let error: unknown;
    await accounts.create({ type: 'test-key', name: 'a', credentials: {}, source: 'admin' }).catch((e: unknown) => (error = e));
    expect((error as AccountInputError).problems).to.deep.equal(['credentials.apiKey: required']);
    await accounts.create({ type: 'nope', name: 'a', credentials: {}, source: 'admin' }).catch((e: unknown) => (error = e));
    expect((error as AccountInputError).problems).to.deep.equal(['type: unknown account type "nope"']);
  });

  it('stores credentials and proxy encrypted, and summaries carry no secrets', async () => {
    const summary = await accounts.create({
      id: 'main',
      type: 'test-key',
      name: 'Main',
      credentials: { apiKey: SECRET, organization: 'org-1' },
      proxy: 'socks5://user:proxy-pass-999@proxy.local:1080',
      source: 'admin',
    });
    const raw = await store.accounts.get('main');
    expect(JSON.stringify(raw)).not.to.include(SECRET);
    expect(JSON.stringify(raw)).not.to.include('proxy-pass-999');
    expect(raw?.credentials).to.match(/^v1\./);
    expect(summary).to.include({ id: 'main', type: 'test-key', enabled: true, priority: 50, hasProxy: true, source: 'admin' });
    expect(summary.settings).to.deep.equal({ region: 'us', models: [] });
    expect(summary.credentialFields).to.have.members(['apiKey', 'organization']);
    expect(summary.proxy).to.equal('socks5://user:***@proxy.local:1080');
    for (const listed of [summary, await accounts.get('main'), ...(await accounts.list())]) {
      expect(JSON.stringify(listed)).not.to.include(SECRET);
      expect(JSON.stringify(listed)).not.to.include('proxy-pass-999');
    }
    expect(JSON.stringify(lines)).not.to.include(SECRET);
  });

  it('resolves decrypted credentials and the plugin view', async () => {
    await accounts.create({
      id: 'main',
      type: 'test-key',
      name: 'Main',
      credentials: { apiKey: SECRET },
      groups: ['g1'],
      proxy: 'http://u:p@h:8080',
      source: 'admin',
    });
    const resolved = await accounts.resolve('main');
    expect(resolved?.credentials).to.deep.equal({ apiKey: SECRET });
    expect(resolved?.proxyUrl).to.equal('http://u:p@h:8080');
    expect(resolved?.view).to.deep.equal({
      id: 'main',
      type: 'test-key',
      name: 'Main',
      priority: 50,
      groups: ['g1'],
      settings: { region: 'us', models: [] },
    });
    expect(Object.isFrozen(resolved?.credentials)).to.equal(true);
    expect(await accounts.resolve('missing')).to.equal(undefined);
  });

  it('merges credential patches and re-validates them', async () => {
    await accounts.create({
      id: 'main',
      type: 'test-key',
      name: 'Main',
      credentials: { apiKey: SECRET, organization: 'o' },
      source: 'admin',
    });
    await accounts.update('main', {
      credentials: { organization: null, baseUrl: 'https://upstream.example/v1' },
      name: 'Renamed',
    });
    const resolved = await accounts.resolve('main');
    expect(resolved?.credentials).to.deep.equal({ apiKey: SECRET, baseUrl: 'https://upstream.example/v1' });
    expect(resolved?.record.name).to.equal('Renamed');
    let error: unknown;
    await accounts.update('main', { credentials: { apiKey: null } }).catch((e: unknown) => (error = e));
    expect((error as AccountInputError).problems).to.deep.equal(['credentials.apiKey: required']);
    await accounts.update('main', { proxy: 'http://h:1', maxConcurrency: 3 });
    expect(await accounts.get('main')).to.include({ hasProxy: true, maxConcurrency: 3 });
    await accounts.update('main', { proxy: null, maxConcurrency: null });
    const cleared = await accounts.get('main');
    expect(cleared?.hasProxy).to.equal(false);
    expect(cleared?.maxConcurrency).to.equal(undefined);
    expect(await accounts.update('missing', { name: 'x' })).to.equal(undefined);
  });

  it('saves refreshed credentials encrypted', async () => {
    await accounts.create({
      id: 'o1',
      type: 'test-oauth',
      name: 'OAuth',
      credentials: { accessToken: 'old-access', refreshToken: 'old-refresh' },
      source: 'admin',
    });
    const before = await accounts.resolve('o1');
    const after = await accounts.saveRefreshedCredentials('o1', { accessToken: 'new-access-token', expiresAt: 123 });
    expect(after?.credentials).to.deep.equal({ accessToken: 'new-access-token', refreshToken: 'old-refresh', expiresAt: 123 });
    expect(after!.record.updatedAt > before!.record.updatedAt).to.equal(true);
    expect(JSON.stringify(await store.accounts.get('o1'))).not.to.include('new-access-token');
    expect((await accounts.resolve('o1'))?.credentials.accessToken).to.equal('new-access-token');
  });

  it('caches the record list briefly and clears it on its own writes', async () => {
    let now = 1_000;
    accounts = new AccountService({ store, secrets, registry: testRegistry(), log: captureLogger().log, now: () => now });
    let lists = 0;
    const original = store.accounts.list.bind(store.accounts);
    store.accounts.list = async () => {
      lists++;
      return original();
    };
    expect(await accounts.listRecords()).to.have.length(0);
    await accounts.listRecords();
    expect(lists).to.equal(1);
    await accounts.create({ id: 'a', type: 'test-key', name: 'A', credentials: { apiKey: SECRET }, source: 'admin' });
    expect(await accounts.listRecords()).to.have.length(1);
    expect(lists).to.equal(2);
    now += 2_500;
    await accounts.listRecords();
    expect(lists).to.equal(3);
    await accounts.delete('a');
    expect(await accounts.listRecords()).to.have.length(0);
  });

  it('marks summaries whose credentials cannot be decrypted', async () => {
    await accounts.create({ id: 'a', type: 'test-key', name: 'A', credentials: { apiKey: SECRET }, source: 'admin' });
    const other = new AccountService({
      store,
      secrets: { cipherKey: randomBytes(32), keyHashKey: randomBytes(32) },
      registry: testRegistry(),
      log: captureLogger().log,
    });
    const [summary] = await other.list();
    expect(summary?.credentialsReadable).to.equal(false);
    let error: unknown;
    await other.resolve('a').catch((e: unknown) => (error = e));
    expect(String(error)).to.include('wrong ENCRYPTION_KEY');
  });
});
