/**
 * Issue 14, item 11: while the store is unreachable, relay requests are answered 503 with
 * Retry-After in the route's protocol shape (not 500, not after a long hang), `/health`
 * says so within a bound, and once the store is back requests succeed without a restart.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { expect } from 'chai';
import { createTestGateway, sendRequest, waitFor, type FakeUpstream, type TestGateway } from '@switchyard/core/testing';
import { startRestartableRedis, type RestartableRedis } from '../../src/testing/redis-server.js';
import { tickPlugin } from '../fixtures/tick-plugin.js';
import { startTickUpstream } from '../fixtures/tick-upstream.js';
import { expectHealthStoreDown, expectRelayAnsweredStoreUnavailable } from '../fixtures/store-outage-checks.js';

/** Longest a request or a health check may take while the store is down. */
const ANSWER_BOUND_MS = 2000;

describe('a store outage (redis killed, then restarted on the same port)', function () {
  this.timeout(30_000);
  let redis: RestartableRedis;
  let upstream: FakeUpstream;
  let tg: TestGateway;

  before(async () => {
    redis = await startRestartableRedis();
    upstream = await startTickUpstream();
    tg = await createTestGateway({
      plugins: [tickPlugin],
      config: { store: { type: 'redis', url: redis.url, prefix: redis.prefix } },
      accounts: [{ type: 'tick-upstream', name: 'a', credentials: { token: 'tick-secret-token', baseUrl: upstream.url } }],
    });
  });
  after(async () => {
    await tg?.close();
    await upstream?.close();
    await redis?.stop();
  });

  const relay = (timeoutMs = 10_000) =>
    sendRequest(`${tg.url}/tick/v1/ticks`, { headers: { 'x-api-key': tg.key }, body: { model: 'tick-1', count: 1 }, timeoutMs });

  it('serves before the outage', async () => {
    expect((await relay()).status).to.equal(200);
    expect((await sendRequest(`${tg.url}/health`, { method: 'GET' })).status).to.equal(200);
  });

  it('answers relay requests 503 with Retry-After in the protocol shape, quickly, while Redis is down', async () => {
    await redis.kill();
    await expectRelayAnsweredStoreUnavailable(() => relay(), ANSWER_BOUND_MS, [redis.url, '127.0.0.1']);
    expect(tg.logs.filter((line) => line['level'] === 'error' && line['message'] === 'request failed')).to.deep.equal([]);
  });

  it('answers /health 503 (store down) within the bound', async () => {
    const body = await expectHealthStoreDown(tg.url, ANSWER_BOUND_MS);
    expect(body.status).to.equal('degraded');
  });

  it('serves again once Redis is back, without a restart of the gateway', async () => {
    await redis.restart();
    await waitFor(async () => (await relay()).status === 200, {
      timeoutMs: 10_000,
      intervalMs: 100,
      what: 'a relay request to succeed again',
    });
    expect((await sendRequest(`${tg.url}/health`, { method: 'GET' })).status).to.equal(200);
  });
});

describe('a store outage (embedded: the SQLite file locked by another process)', function () {
  this.timeout(30_000);
  let dir: string;
  let upstream: FakeUpstream;
  let tg: TestGateway;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'switchyard-outage-'));
    upstream = await startTickUpstream();
    tg = await createTestGateway({
      plugins: [tickPlugin],
      config: { store: { type: 'embedded', path: dir } },
      // A key expiring 30 days after its first use writes its first-use mark on every request.
      keys: [{ name: 'default', limits: { expiresAfterFirstUse: '30d' } }],
      accounts: [{ type: 'tick-upstream', name: 'a', credentials: { token: 'tick-secret-token', baseUrl: upstream.url } }],
    });
  });
  after(async () => {
    await tg?.close();
    await upstream?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers 503 with Retry-After in the protocol shape while the file cannot be written, then serves again', async () => {
    const relay = () =>
      sendRequest(`${tg.url}/tick/v1/ticks`, {
        headers: { 'x-api-key': tg.key },
        body: { model: 'tick-1', count: 1 },
        timeoutMs: 20_000,
      });
    expect((await relay()).status).to.equal(200);
    // Another process (an operator's sqlite3 shell, a backup tool) holds the write lock.
    const other = new BetterSqlite3(join(dir, 'switchyard.db'));
    try {
      other.exec('BEGIN IMMEDIATE');
      const res = await relay();
      expect(res.status, res.text()).to.equal(503);
      expect(Number(res.headers['retry-after'])).to.be.greaterThan(0);
      expect(res.json<{ error: { code: string } }>().error.code).to.equal('store_unavailable');
      expect(res.text()).not.to.contain(dir);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    expect((await relay()).status).to.equal(200);
  });
});
