/**
 * `switchyard export` then `switchyard import` moves a gateway between the embedded store
 * and Redis (both ways) and every admin answer stays the same; keys still authenticate;
 * a second import changes nothing; a wrong passphrase or a changed file writes nothing.
 */
import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestGateway, sendRequest, type FakeUpstream, type TestGateway } from '@switchyard/core/testing';
import { echoPlugin } from 'switchyard-plugin-echo';
import { startFakeEchoUpstream } from '../../../examples/plugin-echo/test/fake-echo-upstream.js';
import { main } from '../../src/cli/main.js';
import { createStore } from '../../src/store/create-store.js';
import { deriveSecrets } from '../../src/security/secrets.js';
import { StoredTargets } from '../../src/notifications/stored-targets.js';
import { legacyKeyHash, saveLegacyKeyScheme } from '../../src/keys/legacy-key-hashes.js';
import { startRedisForTests, type TestRedis } from '../../src/testing/redis-server.js';
import type { StoreConfig } from '../../src/store/create-store.js';
import { ADMIN, TARGET_SECRET, UPSTREAM_KEY, adminSnapshot, populate, type Populated } from './admin-snapshot.js';

const PASSPHRASE = 'correct horse battery staple';
const LEGACY_PEPPER = 'the-reference-relays-encryption-key';
const LEGACY_KEY = 'cr_0123456789abcdef0123456789abcdef0001';
const HOUR = 3_600_000;

describe('switchyard export / import: embedded store <-> Redis', function () {
  this.timeout(120_000);
  const encryptionKey = randomBytes(30).toString('base64url');
  let dir: string;
  let redis: TestRedis;
  let upstream: FakeUpstream;
  let made: Populated;
  let before: Record<string, unknown>;
  const range = {
    since: new Date(Math.floor(Date.now() / HOUR) * HOUR - 48 * HOUR).toISOString(),
    until: new Date(Math.floor(Date.now() / HOUR) * HOUR + 2 * HOUR).toISOString(),
  };

  const cli = async (...argv: string[]) => {
    let stdout = '';
    let stderr = '';
    const io = { stdout: (text: string) => void (stdout += text), stderr: (text: string) => void (stderr += text) };
    const code = await main(argv, io, { env: { PASSPHRASE, WRONG: 'not the passphrase at all' }, cwd: dir });
    return { code, stdout, stderr };
  };
  const configFile = async (name: string, store: StoreConfig) => {
    const file = join(dir, `${name}.json`);
    await writeFile(file, JSON.stringify({ store, security: { encryptionKey } }));
    return file;
  };
  const gatewayOn = (store: StoreConfig): Promise<TestGateway> =>
    createTestGateway({
      plugins: [echoPlugin],
      keys: [],
      config: { store, security: { encryptionKey }, admin: ADMIN, logging: { level: 'warn' } },
    });
  const redisStore = (): StoreConfig => ({
    type: 'redis',
    url: redis.url,
    prefix: `${redis.prefix}${randomBytes(3).toString('hex')}:`,
  });
  const exportFrom = async (config: string, file: string) => {
    const out = await cli('export', '--config', config, '--passphrase-env', 'PASSPHRASE', '--with-usage');
    expect(out.code, out.stderr).to.equal(0);
    await writeFile(join(dir, file), out.stdout);
    return out.stdout;
  };
  const importInto = async (config: string, file: string, ...extra: string[]) =>
    cli('import', file, '--config', config, '--passphrase-env', 'PASSPHRASE', ...extra);
  /** Whether the key authenticates and is served. */
  const serves = async (tg: TestGateway, key = made.keyPlaintext, model = 'team-1') =>
    (
      await sendRequest(`${tg.url}/echo/v1/echo`, {
        headers: { authorization: `Bearer ${key}` },
        body: { model, input: 'still here' },
      })
    ).status;
  /** The notification target's secret as the store holds it, opened with this gateway's key. */
  const targetSecret = async (store: StoreConfig) => {
    const opened = await createStore(store, { baseDir: dir });
    try {
      const targets = new StoredTargets({
        store: opened,
        cipherKey: (await deriveSecrets(encryptionKey)).cipherKey,
        now: Date.now,
      });
      return (await targets.list()).map((target) => (target as { secret?: string }).secret);
    } finally {
      await opened.close();
    }
  };

  let embedded: StoreConfig;
  let embeddedConfig: string;
  let redisA: StoreConfig;
  let redisConfig: string;

  beforeEach(() => undefined);
  it('moves everything from the embedded store to Redis: the admin shows the same, the key authenticates, a re-run changes nothing', async () => {
    dir = await mkdtemp(join(tmpdir(), 'switchyard-state-'));
    redis = await startRedisForTests();
    upstream = await startFakeEchoUpstream({ apiKey: UPSTREAM_KEY, intervalMs: 1 });
    embedded = { type: 'embedded', path: join(dir, 'embedded') };
    embeddedConfig = await configFile('embedded', embedded);
    const source = await gatewayOn(embedded);
    made = await populate(source, upstream.url);
    // A key imported from the reference relay, not used since: still under its legacy hash.
    const now = new Date().toISOString();
    await saveLegacyKeyScheme(source.gateway.store.settings, (await deriveSecrets(encryptionKey)).cipherKey, {
      prefixes: ['cr_'],
      pepper: LEGACY_PEPPER,
    });
    await source.gateway.store.keys.create({
      id: 'legacy-1',
      name: 'from the reference',
      tags: [],
      hash: legacyKeyHash(LEGACY_PEPPER, LEGACY_KEY),
      hint: 'cr_…0001',
      enabled: true,
      limits: {},
      source: 'cli',
      createdAt: now,
      updatedAt: now,
    });
    before = await adminSnapshot(source, made, range);
    await source.close();

    const text = await exportFrom(embeddedConfig, 'state.json');
    for (const secret of [UPSTREAM_KEY, TARGET_SECRET, 'proxy-pass', made.keyPlaintext, encryptionKey, LEGACY_PEPPER]) {
      expect(text).not.to.contain(secret);
    }

    redisA = redisStore();
    redisConfig = await configFile('redis', redisA);
    const dry = await importInto(redisConfig, 'state.json', '--dry-run');
    expect(dry.code, dry.stderr).to.equal(0);
    expect(dry.stdout).to.match(/WOULD CREATE/);
    expect(await targetSecret(redisA)).to.deep.equal([]);
    const imported = await importInto(redisConfig, 'state.json');
    expect(imported.code, imported.stderr).to.equal(0);
    expect(imported.stdout).to.match(/^key\s+3\s+0\s+0\s+0$/m);
    expect(imported.stdout).to.match(/^account\s+2\s+0\s+0\s+0$/m);
    expect(await targetSecret(redisA)).to.deep.equal([TARGET_SECRET]);

    const again = await importInto(redisConfig, 'state.json');
    expect(again.code, again.stderr).to.equal(0);
    expectNothingWritten(again.stdout);

    // A record changed since is put back as the file has it; the rest is left as it is.
    const edited = await createStore(redisA, { baseDir: dir });
    try {
      await edited.keys.update(made.keyId, { name: 'renamed', owner: undefined });
    } finally {
      await edited.close();
    }
    const restored = await importInto(redisConfig, 'state.json');
    expect(restored.stdout).to.match(/^key\s+0\s+1\s+2\s+0$/m);
    expect(restored.stdout).to.match(new RegExp(`^key\\s+${made.keyId} \\(dev\\)\\s+change`, 'm'));

    const target = await gatewayOn(redisA);
    try {
      expectSameAnswers(await adminSnapshot(target, made, range), before);
      expect(await serves(target)).to.equal(200);
      expect(await serves(target, LEGACY_KEY, 'echo-1')).to.equal(200);
    } finally {
      await target.close();
    }
  });

  it('moves everything back from Redis to a new embedded store', async () => {
    const source = await gatewayOn(redisA);
    const fromRedis = await adminSnapshot(source, made, range);
    await source.close();
    await exportFrom(redisConfig, 'back.json');
    const fresh: StoreConfig = { type: 'embedded', path: join(dir, 'embedded-2') };
    const freshConfig = await configFile('embedded-2', fresh);
    const imported = await importInto(freshConfig, 'back.json');
    expect(imported.code, imported.stderr).to.equal(0);
    expectNothingWritten((await importInto(freshConfig, 'back.json')).stdout);
    const target = await gatewayOn(fresh);
    try {
      expectSameAnswers(await adminSnapshot(target, made, range), fromRedis);
      expect(await serves(target)).to.equal(200);
    } finally {
      await target.close();
    }
  });

  it('refuses a wrong passphrase, a changed file and another ENCRYPTION_KEY, writing nothing', async () => {
    const empty = redisStore();
    const emptyConfig = await configFile('empty', empty);
    const wrong = await cli('import', 'state.json', '--config', emptyConfig, '--passphrase-env', 'WRONG');
    expect(wrong.code).to.equal(1);
    expect(wrong.stderr).to.match(/wrong passphrase/);

    const text = await readFile(join(dir, 'state.json'), 'utf8');
    const changed = JSON.parse(text) as { data: { keys: { limits: Record<string, unknown> }[] } };
    changed.data.keys[0]!.limits = { costUsd: { total: 5000 } };
    await writeFile(join(dir, 'changed.json'), JSON.stringify(changed));
    const tampered = await importInto(emptyConfig, 'changed.json');
    expect(tampered.code).to.equal(1);
    expect(tampered.stderr).to.match(/changed after it was exported/);

    await writeFile(join(dir, 'newer.json'), JSON.stringify({ ...JSON.parse(text), version: 2 }));
    const newer = await importInto(emptyConfig, 'newer.json');
    expect(newer.code).to.equal(1);
    expect(newer.stderr).to.include('state file version 2 is not readable by this Switchyard (it reads version 1)');
    await writeFile(join(dir, 'cut.json'), text.slice(0, text.length / 2));
    expect((await importInto(emptyConfig, 'cut.json')).stderr).to.include('not a Switchyard state file: it is not JSON');

    const otherKey = join(dir, 'other-key.json');
    await writeFile(otherKey, JSON.stringify({ store: empty, security: { encryptionKey: 'x'.repeat(40) } }));
    const mismatch = await importInto(otherKey, 'state.json');
    expect(mismatch.code).to.equal(1);
    expect(mismatch.stderr).to.match(/ENCRYPTION_KEY is not the one the file was exported with/);

    const store = await createStore(empty, { baseDir: dir });
    try {
      expect(await store.keys.list()).to.deep.equal([]);
      expect(await store.accounts.list()).to.deep.equal([]);
      expect(await store.settings.all()).to.deep.equal({});
    } finally {
      await store.close();
    }
  });

  after(async () => {
    await upstream?.close();
    await redis?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });
});

/** The import report's summary has nothing created or changed. */
function expectNothingWritten(report: string): void {
  const summary = report.split('\n\n')[0]!.split('\n').slice(1).filter(Boolean);
  expect(summary.length).to.be.greaterThan(0);
  for (const line of summary) expect(line, report).to.match(/^.+?\s+0\s+0\s+\d+\s+\d+$/);
}

/** Each admin answer equals the one before the move (compared path by path, so a failure names it). */
function expectSameAnswers(after: Record<string, unknown>, before: Record<string, unknown>): void {
  expect(Object.keys(after)).to.deep.equal(Object.keys(before));
  for (const path of Object.keys(before)) {
    expect(JSON.stringify(after[path], null, 1), path).to.equal(JSON.stringify(before[path], null, 1));
  }
}
