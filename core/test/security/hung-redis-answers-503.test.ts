/**
 * Issue 14, item 11 (second half): a Redis that keeps its connections open but stops
 * answering (a hung server, or a host gone without closing TCP, packets black-holed) is an
 * outage too. The client notices replies stop coming within `replyTimeoutMs`, fails the
 * commands in flight and reconnects, so relay requests are answered 503 with Retry-After in
 * the protocol's shape within a bound instead of hanging until TCP gives up, `/health`
 * answers within its bound, and once the server answers again requests succeed without a
 * restart.
 */
import { expect } from 'chai';
import { createTestGateway, sendRequest, waitFor, type FakeUpstream, type TestGateway } from '@switchyard/core/testing';
import { startRestartableRedis, type RestartableRedis } from '../../src/testing/redis-server.js';
import { tickPlugin } from '../fixtures/tick-plugin.js';
import { startTickUpstream } from '../fixtures/tick-upstream.js';
import { expectHealthStoreDown, expectRelayAnsweredStoreUnavailable } from '../fixtures/store-outage-checks.js';

/** Small, so the test runs in a few seconds; the default is 3000 ms. */
const REPLY_TIMEOUT_MS = 300;
/** Longest a request or a health check may take while the server is frozen. */
const ANSWER_BOUND_MS = 2000;

describe('a hung store (redis stopped with SIGSTOP: connections open, no replies)', function () {
  this.timeout(30_000);
  let redis: RestartableRedis | undefined;
  let upstream: FakeUpstream | undefined;
  let tg: TestGateway | undefined;

  before(async () => {
    redis = await startRestartableRedis();
    upstream = await startTickUpstream();
    tg = await createTestGateway({
      plugins: [tickPlugin],
      config: { store: { type: 'redis', url: redis.url, prefix: redis.prefix, replyTimeoutMs: REPLY_TIMEOUT_MS } },
      accounts: [{ type: 'tick-upstream', name: 'a', credentials: { token: 'tick-secret-token', baseUrl: upstream.url } }],
    });
  });
  after(async () => {
    // Thaw first, even when a test failed: closing the gateway talks to the server.
    redis?.thaw();
    await tg?.close();
    await upstream?.close();
    await redis?.stop();
  });

  const gateway = (): TestGateway => {
    if (!tg) throw new Error('no gateway');
    return tg;
  };
  const relay = () =>
    sendRequest(`${gateway().url}/tick/v1/ticks`, {
      headers: { 'x-api-key': gateway().key },
      body: { model: 'tick-1', count: 1 },
      timeoutMs: 10_000,
    });

  it('serves before the server hangs', async () => {
    expect((await relay()).status).to.equal(200);
  });

  it('answers relay requests 503 with Retry-After in the protocol shape within the bound while the server hangs', async () => {
    redis?.freeze();
    await expectRelayAnsweredStoreUnavailable(() => relay(), ANSWER_BOUND_MS, ['127.0.0.1']);
    const logs = gateway().logs;
    expect(logs.filter((line) => line['level'] === 'error' && line['message'] === 'request failed')).to.deep.equal([]);
    const warnings = logs.filter((line) => line['level'] === 'warn' && String(line['message']).includes('stopped answering'));
    expect(warnings, 'one warning per outage').to.have.length(1);
    expect(JSON.stringify(warnings)).not.to.contain(redis?.url ?? '');
  });

  it('answers /health 503 (store down) within its bound while the server hangs', async () => {
    await expectHealthStoreDown(gateway().url, ANSWER_BOUND_MS);
  });

  it('serves again once the server answers, without a restart of the gateway', async () => {
    redis?.thaw();
    await waitFor(async () => (await relay()).status === 200, {
      timeoutMs: 10_000,
      intervalMs: 100,
      what: 'a relay request to succeed again',
    });
    expect((await sendRequest(`${gateway().url}/health`, { method: 'GET' })).status).to.equal(200);
  });
});
