/**
 * The other events, end to end through a gateway and a webhook receiver on 127.0.0.1:
 * auth failed, token refresh failed, key quota warning and exceeded, key expiring, and
 * gateway errors; each once per change (or per window), however often it happens.
 */
import { expect } from 'chai';
import { definePlugin, PLUGIN_API_VERSION } from '@switchyard/plugin-api';
import {
  createTestGateway,
  ManualClock,
  sendRequest,
  startFakeUpstream,
  waitFor,
  type FakeUpstream,
  type TestGateway,
} from '@switchyard/core/testing';
import { tickPlugin } from '../fixtures/tick-plugin.js';
import { refreshPlugin, startRefreshyUpstream, type RefreshyUpstream } from '../fixtures/refresh-plugin.js';
import { startCountingUpstream, type CountingUpstream } from '../limits/fixtures/counting-upstream.js';

const DAY = 86_400_000;
type Received = { event: string; at: string; data: Record<string, unknown> };

describe('notifications: gateway events', function () {
  this.timeout(20_000);
  let receiver: FakeUpstream;
  let upstream: CountingUpstream;
  const gateways: TestGateway[] = [];

  before(async () => {
    receiver = await startFakeUpstream((_req, res) => {
      res.writeHead(200).end();
    });
    upstream = await startCountingUpstream();
  });
  after(async () => {
    for (const tg of gateways) await tg.close();
    await receiver?.close();
    await upstream?.close();
  });
  beforeEach(() => {
    receiver.requests.length = 0;
  });

  const received = () => receiver.requests.map((request) => request.json<Received>());
  const webhook = (events?: string[]) => ({
    targets: [{ id: 'hook', type: 'webhook' as const, url: receiver.url, ...(events ? { events } : {}) }],
  });
  const tick = (tg: TestGateway, body: Record<string, unknown>, key = tg.key) =>
    sendRequest(`${tg.url}/tick/v1/ticks`, { headers: { 'x-api-key': key }, body: { model: 'tick-1', ...body } });

  it('account.auth_failed once for repeated 401s, then account.recovered', async () => {
    const clock = new ManualClock();
    const tg = await createTestGateway({
      plugins: [tickPlugin],
      clock,
      accounts: [{ type: 'tick-upstream', name: 'a', credentials: { token: 'tick-token', baseUrl: upstream.url } }],
      config: { scheduling: { cooldownMs: { auth_failed: 1000, forbidden: 1000 } }, notifications: webhook(['account.*']) },
    });
    gateways.push(tg);
    expect((await tick(tg, { status: 401 })).status).to.equal(401);
    await clock.advance(1001);
    expect((await tick(tg, { status: 403 })).status).to.equal(403);
    await clock.advance(1001);
    expect((await tick(tg, { status: 200 })).status).to.equal(200);
    await tg.gateway.settled();
    await waitFor(() => receiver.requests.length >= 2, { what: 'two events' });
    expect(received().map((entry) => entry.event)).to.deep.equal(['account.auth_failed', 'account.recovered']);
    expect(received()[0]!.data).to.include({ kind: 'auth_failed', status: 401 });
    expect(received()[1]!.data).to.include({ previous: 'auth_failed' });
  });

  it('account.token_refresh_failed (not also auth_failed) when the refresh is refused', async () => {
    let refreshy: RefreshyUpstream | undefined;
    try {
      refreshy = await startRefreshyUpstream({ accessToken: 'at-0', refreshToken: 'rt-0' });
      refreshy.failTokenWith(400);
      const clock = new ManualClock();
      const tg = await createTestGateway({
        plugins: [refreshPlugin],
        clock,
        accounts: [
          {
            type: 'refreshy-oauth',
            name: 'oauth',
            credentials: {
              accessToken: 'at-0',
              refreshToken: 'rt-0',
              expiresAt: new Date(0).toISOString(),
              baseUrl: refreshy.url,
            },
          },
        ],
        config: { notifications: webhook() },
      });
      gateways.push(tg);
      const call = () => sendRequest(`${tg.url}/refreshy/v1/call`, { headers: { 'x-api-key': tg.key }, body: { model: 'r-1' } });
      expect((await call()).status).to.not.equal(200);
      await clock.advance(1_800_001);
      expect((await call()).status).to.not.equal(200);
      await tg.gateway.settled();
      await waitFor(() => receiver.requests.length >= 1, { what: 'the refresh event' });
      expect(refreshy.tokenRequests).to.equal(2);
      expect(received().map((entry) => entry.event)).to.deep.equal(['account.token_refresh_failed']);
      expect(received()[0]!.data.message).to.include('token refresh answered 400');
      expect(JSON.stringify(received())).to.not.include('rt-0');
    } finally {
      await refreshy?.close();
    }
  });

  it('key.quota_warning at 80% of a cost cap and key.quota_exceeded at 100%, once each', async () => {
    const clock = new ManualClock(Date.parse('2026-03-02T10:00:00Z'));
    const tg = await createTestGateway({
      plugins: [tickPlugin],
      clock,
      accounts: [{ type: 'tick-upstream', name: 'a', credentials: { token: 'tick-token', baseUrl: upstream.url } }],
      // A model no table prices costs the fallback: one dollar per input character; the key may spend 10 a day.
      keys: [{ name: 'capped', limits: { costUsd: { daily: 10 } } }],
      config: { usage: { fallbackPrice: { input: 1_000_000, output: 0 } }, notifications: webhook(['key.*']) },
    });
    gateways.push(tg);
    expect((await tick(tg, { model: 'unpriced-1', input: 'abcdefg' })).status).to.equal(200); // 7: 70%
    await tg.gateway.settled();
    expect(receiver.requests).to.have.length(0);
    expect((await tick(tg, { model: 'unpriced-1', input: 'a' })).status).to.equal(200); // 8: 80%
    await tg.gateway.settled();
    expect((await tick(tg, { model: 'unpriced-1', input: 'a' })).status).to.equal(200); // 9: 90%, warned already
    await tg.gateway.settled();
    expect((await tick(tg, { model: 'unpriced-1', input: 'ab' })).status).to.equal(200); // 11: over
    await tg.gateway.settled();
    await waitFor(() => receiver.requests.length >= 2, { what: 'the quota events' });
    expect(received().map((entry) => entry.event)).to.deep.equal(['key.quota_warning', 'key.quota_exceeded']);
    expect(received()[0]!.data).to.include({ key: tg.keyId, name: 'capped', cap: 'daily', capUsd: 10, percent: 80 });
    expect(received()[1]!.data).to.include({ cap: 'daily', spentUsd: 11, percent: 110 });
    // The next day starts afresh.
    await clock.advance(DAY);
    expect((await tick(tg, { model: 'unpriced-1', input: 'abcdefgh' })).status).to.equal(200);
    await tg.gateway.settled();
    await waitFor(() => receiver.requests.length >= 3, { what: 'the next day warning' });
    expect(received()[2]!.event).to.equal('key.quota_warning');
  });

  it('key.expiring for a key that expires within the configured days, once', async () => {
    const clock = new ManualClock();
    const tg = await createTestGateway({
      plugins: [tickPlugin],
      clock,
      keys: [
        { name: 'soon', limits: { expiresAt: new Date(clock.now() + 2 * DAY).toISOString() } },
        { name: 'later', limits: { expiresAt: new Date(clock.now() + 30 * DAY).toISOString() } },
      ],
      config: { notifications: { ...webhook(['key.expiring']), keyExpiryDays: 3, keyExpiryCheckIntervalMs: 60_000 } },
    });
    gateways.push(tg);
    // The keys were created after the start-up check: the next check finds them, the one after says nothing new.
    await clock.advance(60_000);
    await waitFor(() => receiver.requests.length >= 1, { what: 'the key.expiring event' });
    await clock.advance(60_000);
    await tg.gateway.settled();
    expect(received()).to.have.length(1);
    expect(received()[0]!.event).to.equal('key.expiring');
    expect(received()[0]!.data).to.include({ key: tg.keyIds.soon, name: 'soon', daysLeft: 2 });
  });

  it('gateway.error once per error and window, with nothing secret', async () => {
    const broken = definePlugin({
      id: 'broken-sink',
      apiVersion: PLUGIN_API_VERSION,
      setup(env) {
        env.usage.addSink({
          name: 'broken',
          write() {
            throw Object.assign(new Error('disk full'), { token: 'sk-do-not-leak' });
          },
        });
      },
    });
    const clock = new ManualClock();
    const tg = await createTestGateway({
      plugins: [tickPlugin, broken],
      clock,
      accounts: [{ type: 'tick-upstream', name: 'a', credentials: { token: 'secret-upstream-token', baseUrl: upstream.url } }],
      config: { notifications: { ...webhook(['gateway.error']), gatewayErrorWindowMs: 600_000 } },
    });
    gateways.push(tg);
    for (let i = 0; i < 3; i++) {
      expect((await tick(tg, { input: `x${i}` })).status).to.equal(200);
      await tg.gateway.settled();
    }
    await waitFor(() => receiver.requests.length >= 1, { what: 'the gateway.error event' });
    expect(received()).to.have.length(1);
    expect(received()[0]!.data).to.include({ message: 'usage sink failed', sink: 'broken', error: 'disk full' });
    expect(JSON.stringify(received())).to.not.include('sk-do-not-leak').and.not.include('secret-upstream-token');
    await clock.advance(600_000);
    expect((await tick(tg, { input: 'again' })).status).to.equal(200);
    await tg.gateway.settled();
    await waitFor(() => receiver.requests.length >= 2, { what: 'the next window' });
  });
});
