/**
 * `switchyard import crs` through the CLI: a claude-relay-service data set (the fixture
 * made by core/test/fixtures/crs/generate-crs-fixture.ts) in a real Redis, imported into
 * the embedded store a config names. With no plugin loaded every account kind is
 * reported, keys and usage still come over, and an old key works through the key service.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { Redis } from 'ioredis';
import { main } from '../../src/cli/main.js';
import { createStore } from '../../src/store/create-store.js';
import { deriveSecrets } from '../../src/security/secrets.js';
import { KeyService } from '../../src/keys/key-service.js';
import { LegacyKeyHashes } from '../../src/keys/legacy-key-hashes.js';
import { startRedisForTests, type TestRedis } from '../../src/testing/redis-server.js';
import { loadRedisDump, type RedisDumpEntry } from '../../src/testing/load-redis-dump.js';

const fixture = JSON.parse(readFileSync(new URL('../fixtures/crs/crs-fixture.json', import.meta.url), 'utf8')) as {
  meta: { encryptionKey: string; ids: Record<string, string>; plaintexts: Record<string, string> };
  redis: RedisDumpEntry[];
};
const ENCRYPTION_KEY = 's'.repeat(40);

describe('switchyard import crs (CLI)', function () {
  this.timeout(20_000);
  let redis: TestRedis;
  let redisUrl: string;
  let dir: string;
  let configFile: string;

  const run = async (...argv: string[]) => {
    let stdout = '';
    let stderr = '';
    const io = { stdout: (text: string) => void (stdout += text), stderr: (text: string) => void (stderr += text) };
    const code = await main(argv, io, { env: {}, cwd: dir });
    return { code, stdout, stderr };
  };
  const importArgs = (...extra: string[]) => [
    'import',
    'crs',
    '--redis',
    redisUrl,
    '--encryption-key',
    fixture.meta.encryptionKey,
    '--config',
    configFile,
    ...extra,
  ];

  before(async () => {
    redis = await startRedisForTests();
    const url = new URL(redis.url);
    url.pathname = '/12';
    redisUrl = url.toString();
    await loadRedisDump(redisUrl, fixture.redis);
    dir = await mkdtemp(join(tmpdir(), 'switchyard-crs-'));
    configFile = join(dir, 'switchyard.config.json');
    await writeFile(
      configFile,
      JSON.stringify({ plugins: [], store: { type: 'embedded', path: './data' }, security: { encryptionKey: ENCRYPTION_KEY } }),
    );
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
    await redis?.stop();
  });

  it('refuses a command line without the reference Redis, its key, or with an unknown section', async () => {
    expect((await run('import', 'crs', '--encryption-key', 'k', '--config', configFile)).stderr).to.include('--redis');
    expect((await run('import', 'crs', '--redis', redisUrl, '--config', configFile)).stderr).to.include('--encryption-key');
    const badOnly = await run(...importArgs('--only', 'keys,widgets'));
    expect(badOnly.code).to.equal(2);
    expect(badOnly.stderr).to.include('--only takes a comma-separated list of keys, accounts, groups, usage');
  });

  it('dry run prints the table and writes nothing; the import brings keys and usage; a second run changes nothing', async () => {
    const dry = await run(...importArgs('--dry-run'));
    expect(dry.code, dry.stderr).to.equal(0);
    expect(dry.stdout).to.match(/^SECTION\s+SOURCE\s+TARGET\s+NAME\s+ACTION\s+WHY\n/);
    expect(dry.stdout).to.match(
      /account\s+claude_console_account:\*\s+-\s+1 record\(s\)\s+skip\s+no installed plugin imports this kind of account/,
    );
    // No loaded type declares the reference's binding fields or weekly cap models here: said, not hidden.
    expect(dry.stdout).to.match(
      /key\s+c0000000-0000-4000-8000-00000000000a\s+crs_c0000000-0000-4000-8000-00000000000a\s+alice-laptop\s+create\s+weekly model-family cap dropped: no loaded account type declares its models; binding claudeConsoleAccountId not imported: no loaded account type declares it/,
    );
    expect(dry.stdout).to.include('Dry run: nothing was written. The import would create');
    expect(JSON.parse((await run('keys', 'list', '--json', '--config', configFile)).stdout)).to.deep.equal([]);

    const real = await run(...importArgs());
    expect(real.code, real.stderr).to.equal(0);
    expect(real.stdout).to.match(/The import did create 6, change 0, leave 0 unchanged and skip \d+\./);
    const listed = JSON.parse((await run('keys', 'list', '--json', '--config', configFile)).stdout) as {
      name: string;
      hint: string;
    }[];
    expect(listed.map((key) => key.name).sort()).to.deep.equal(['alice-laptop', 'bob-ci', 'carol-pool']);

    const again = await run(...importArgs());
    expect(again.stdout).to.match(/The import did create 0, change 0, leave 6 unchanged/);
    const usageOnly = await run(...importArgs('--only', 'usage'));
    expect(usageOnly.stdout).to.match(/create 0, change 0, leave 2 unchanged and skip 0\./);
  });

  it('a later run brings what changed in the reference, adds only new usage, and does not recreate what was deleted here', async () => {
    const { ids } = fixture.meta;
    const source = new Redis(redisUrl);
    try {
      await source.hset(`apikey:${ids.bob}`, 'dailyCostLimit', '7');
      await source.hincrby(`usage:${ids.bob}`, 'totalRequests', 3);
      await source.incrbyfloat(`usage:cost:total:${ids.bob}`, 1.5);
    } finally {
      source.disconnect();
    }
    expect((await run('keys', 'revoke', `crs_${ids.carol}`, '--config', configFile)).code).to.equal(0);
    const rerun = await run(...importArgs());
    expect(rerun.code, rerun.stderr).to.equal(0);
    expect(rerun.stdout).to.match(new RegExp(`key\\s+${ids.bob}\\s+crs_${ids.bob}\\s+bob-ci\\s+change`));
    expect(rerun.stdout).to.match(
      new RegExp(`usage\\s+${ids.bob}\\s+crs_${ids.bob}\\s+10 requests, \\$11.50\\s+change\\s+adds 3 requests, \\$1.50`),
    );
    expect(rerun.stdout).to.match(
      new RegExp(
        `key\\s+${ids.carol}\\s+crs_${ids.carol}\\s+carol-pool\\s+skip\\s+deleted in Switchyard after an earlier import`,
      ),
    );
    const store = await createStore({ type: 'embedded', path: join(dir, 'data') });
    try {
      expect((await store.keys.get(`crs_${ids.bob}`))?.limits).to.deep.include({
        costUsd: { daily: 7, total: 10, resetUtcOffsetMinutes: 480 },
      });
      expect(await store.keys.get(`crs_${ids.carol}`)).to.equal(undefined);
      const totals = await store.usageAggregates.get(`key:crs_${ids.bob}`, ['all']);
      expect(totals.get('all')).to.include({ requests: 10, costMicros: 11_500_000 });
      const [lifetime] = await store.meters.getTotals([`crs_${ids.bob}:cost:total`]);
      expect(lifetime).to.equal(11_500_000);
    } finally {
      await store.close();
    }
  });

  it('the imported store authenticates an old key once under the legacy scheme, then by HMAC', async () => {
    const store = await createStore({ type: 'embedded', path: join(dir, 'data') });
    try {
      const secrets = await deriveSecrets(ENCRYPTION_KEY);
      const keys = new KeyService({
        store,
        secrets,
        keyPrefix: 'sy_',
        legacy: new LegacyKeyHashes({ settings: store.settings, cipherKey: secrets.cipherKey, now: Date.now }),
      });
      const record = await keys.authenticate(fixture.meta.plaintexts.alice!);
      expect(record?.id).to.equal(`crs_${fixture.meta.ids.alice}`);
      expect(record?.hash).to.equal(keys.hash(fixture.meta.plaintexts.alice!));
      expect((await store.keys.get(record!.id))?.hash).to.equal(keys.hash(fixture.meta.plaintexts.alice!));
      expect(await keys.authenticate(`cr_${'0f'.repeat(32)}`)).to.equal(undefined);
    } finally {
      await store.close();
    }
  });
});
