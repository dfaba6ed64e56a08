/**
 * The reference relay's environment variables (its `.env`) are accepted where they map to a
 * Switchyard setting; Switchyard's own variables win where both set one thing; bad values
 * are reported like Switchyard's own.
 */
import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../src/config/index.js';
import { rejectionOf } from '../support/rejection-of.js';

const KEY = 'e'.repeat(32);

const failure = (promise: Promise<unknown>) => rejectionOf(promise, ConfigError);

describe("loadConfig: the reference relay's environment variables", () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(os.tmpdir(), 'switchyard-reference-env-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads a reference .env: Redis, server, admin, sessions, time zone, cooldowns, users and cards', async () => {
    await writeFile(
      join(dir, '.env'),
      [
        'PORT=3001',
        'HOST=127.0.0.1',
        `ENCRYPTION_KEY=${KEY}`,
        'ADMIN_USERNAME=ops',
        'ADMIN_PASSWORD=correct-horse-battery',
        'LOG_LEVEL=DEBUG',
        'REDIS_HOST=redis.internal',
        'REDIS_PORT=6380',
        'REDIS_PASSWORD=p@ss:w/rd',
        'REDIS_DB=2',
        'TRUST_PROXY=true',
        'REQUEST_TIMEOUT=300000',
        'REQUEST_MAX_SIZE_MB=100',
        'ADMIN_SESSION_TIMEOUT=86400000',
        'STICKY_SESSION_TTL_HOURS=2',
        'STICKY_SESSION_RENEWAL_THRESHOLD_MINUTES=15',
        'TIMEZONE_OFFSET=8',
        'METRICS_WINDOW=10',
        'UPSTREAM_ERROR_5XX_TTL_SECONDS=120',
        'UPSTREAM_ERROR_OVERLOAD_TTL_SECONDS=900',
        'UPSTREAM_ERROR_AUTH_TTL_SECONDS=3600',
        'UPSTREAM_ERROR_TIMEOUT_TTL_SECONDS=30',
        'UPSTREAM_ERROR_MAX_CUSTOM_TTL_SECONDS=7200',
        'MAX_API_KEYS_PER_USER=3',
        'ALLOW_USER_DELETE_API_KEYS=false',
        'QUOTA_CARD_MAX_EXPIRY_DAYS=90',
        'QUOTA_CARD_MAX_TOTAL_COST_LIMIT=1000.5',
        // Not applicable (unused by the reference, or no Switchyard setting): read by nothing, refused by nothing.
        'JWT_SECRET=unused',
        'API_KEY_PREFIX=cr_',
        '',
      ].join('\n'),
    );
    const { config } = await loadConfig({ cwd: dir, env: {} });
    expect(config.store).to.deep.equal({
      type: 'redis',
      url: 'redis://:p%40ss%3Aw%2Frd@redis.internal:6380/2',
      prefix: 'switchyard:',
      replyTimeoutMs: 3000,
    });
    expect(config.server).to.deep.include({ port: 3001, host: '127.0.0.1', trustProxy: true, bodyLimitMb: 100 });
    expect(config.server.timeouts.firstByteMs).to.equal(300_000);
    expect(config.security.encryptionKey).to.equal(KEY);
    expect(config.admin).to.deep.include({ username: 'ops', password: 'correct-horse-battery', sessionTtlMs: 86_400_000 });
    expect(config.logging.level).to.equal('debug');
    expect(config.scheduling).to.deep.include({
      stickyTtlMs: 7_200_000,
      stickyRenewalThresholdMs: 900_000,
      cooldownMaxMs: 7_200_000,
    });
    expect(config.scheduling.cooldownMs).to.deep.include({
      upstream_5xx: 120_000,
      overloaded: 900_000,
      auth_failed: 3_600_000,
      network: 30_000,
      rate_limited: 60_000,
    });
    // UTC+8 is the IANA zone Etc/GMT-8.
    expect(config.usage.timeZone).to.equal('Etc/GMT-8');
    expect(config.usage.metrics.realtimeWindowMinutes).to.equal(10);
    expect(config.auth.users).to.deep.include({ maxKeysPerUser: 3, allowKeyDeletion: false });
    expect(config.cards).to.deep.include({ maxExpiryDays: 90, maxTotalCostUsd: 1000.5 });
  });

  it("lets Switchyard's own variables win, and keeps the file's redis settings", async () => {
    await writeFile(join(dir, 'gw.json'), JSON.stringify({ store: { type: 'redis', url: 'redis://file:6379', prefix: 'gw:' } }));
    const both = await loadConfig({
      file: 'gw.json',
      cwd: dir,
      env: { REDIS_URL: 'redis://ours:6379/1', REDIS_HOST: 'theirs', ENCRYPTION_KEY: KEY },
    });
    expect(both.config.store).to.deep.include({ type: 'redis', url: 'redis://ours:6379/1', prefix: 'gw:' });
    const theirs = await loadConfig({
      file: 'gw.json',
      cwd: dir,
      env: { REDIS_HOST: 'theirs', REDIS_ENABLE_TLS: 'true', ENCRYPTION_KEY: KEY },
    });
    expect(theirs.config.store).to.deep.include({ type: 'redis', url: 'rediss://theirs:6379/0', prefix: 'gw:' });
  });

  it('selects Redis like REDIS_URL does (over SWITCHYARD_DATA_DIR and an embedded store in the file), and needs REDIS_HOST for it', async () => {
    await writeFile(join(dir, 'gw.json'), JSON.stringify({ store: { type: 'embedded', path: './data' } }));
    const redis = await loadConfig({
      file: 'gw.json',
      cwd: dir,
      env: { REDIS_HOST: '10.0.0.5', SWITCHYARD_DATA_DIR: 'elsewhere', ENCRYPTION_KEY: KEY },
    });
    expect(redis.config.store).to.deep.include({ type: 'redis', url: 'redis://10.0.0.5:6379/0' });
    const portOnly = await loadConfig({ file: 'gw.json', cwd: dir, env: { REDIS_PORT: '6380', REDIS_PASSWORD: 'x' } });
    expect(portOnly.config.store).to.deep.equal({ type: 'embedded', path: join(dir, 'data') });
  });

  it('turns TIMEZONE_OFFSET into a fixed-offset zone either side of UTC', async () => {
    const zone = async (offset: string) =>
      (await loadConfig({ cwd: dir, env: { TIMEZONE_OFFSET: offset } })).config.usage.timeZone;
    expect(await zone('-5')).to.equal('Etc/GMT+5');
    expect(await zone('0')).to.equal('UTC');
    expect(await zone('14')).to.equal('Etc/GMT-14');
  });

  it('ignores the card ceilings when QUOTA_CARD_LIMITS_ENABLED is false, as the reference does', async () => {
    const { config } = await loadConfig({
      cwd: dir,
      env: { QUOTA_CARD_LIMITS_ENABLED: 'false', QUOTA_CARD_MAX_EXPIRY_DAYS: '90', QUOTA_CARD_MAX_TOTAL_COST_LIMIT: '10' },
    });
    expect(config.cards).not.to.have.property('maxExpiryDays');
    expect(config.cards).not.to.have.property('maxTotalCostUsd');
  });

  it('reports every bad value at once, naming the variable', async () => {
    const error = await failure(
      loadConfig({
        cwd: dir,
        env: {
          REDIS_HOST: 'redis',
          REDIS_PORT: 'six',
          REDIS_DB: '-1',
          TRUST_PROXY: 'maybe',
          STICKY_SESSION_TTL_HOURS: '-1',
          METRICS_WINDOW: '2.5',
          TIMEZONE_OFFSET: '5.5',
          ALLOW_USER_DELETE_API_KEYS: 'sometimes',
          ENCRYPTION_KEY: KEY,
        },
      }),
    );
    const text = error.problems.join('\n');
    for (const name of [
      'REDIS_PORT',
      'REDIS_DB',
      'TRUST_PROXY',
      'STICKY_SESSION_TTL_HOURS',
      'METRICS_WINDOW',
      'TIMEZONE_OFFSET',
      'ALLOW_USER_DELETE_API_KEYS',
    ]) {
      expect(text).to.contain(`${name}: `);
    }
  });
});
