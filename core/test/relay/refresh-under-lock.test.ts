import { expect } from 'chai';
import { createTestGateway, sendRequest, waitFor, type SentResponse, type TestGateway } from '@switchyard/core/testing';
import { deriveSecrets } from '../../src/security/secrets.js';
import { decryptJson } from '../../src/security/cipher.js';
import { startRedisForTests, type TestRedis } from '../../src/testing/redis-server.js';
import {
  refreshPlugin,
  startRefreshyUpstream,
  type RefreshyCredentials,
  type RefreshyUpstream,
} from '../fixtures/refresh-plugin.js';
import { startHttpProxy, withCredentials, type TestProxy } from '../fixtures/proxy-servers.js';

const ENCRYPTION_KEY = 'refresh-test-encryption-key-0123456789abcdef';
const ACCOUNT_ID = 'refreshy-a';

const expired = (): string => new Date(Date.now() - 60_000).toISOString();

describe('credential refresh under the cross-instance lock', function () {
  this.timeout(30_000);
  let upstream: RefreshyUpstream;
  const gateways: TestGateway[] = [];
  const cleanups: (() => Promise<void>)[] = [];

  afterEach(async () => {
    for (const tg of gateways.splice(0)) await tg.close();
    for (const cleanup of cleanups.splice(0)) await cleanup();
    await upstream?.close();
  });

  async function startUpstream(refreshDelayMs = 0): Promise<RefreshyUpstream> {
    upstream = await startRefreshyUpstream({ accessToken: 'at-0-initial', refreshToken: 'rt-0-initial', refreshDelayMs });
    return upstream;
  }

  function account(proxy?: string) {
    return {
      id: ACCOUNT_ID,
      type: 'refreshy-oauth',
      name: 'oauth',
      credentials: { accessToken: 'at-0-initial', refreshToken: 'rt-0-initial', expiresAt: expired(), baseUrl: upstream.url },
      ...(proxy ? { proxy } : {}),
    };
  }

  async function gateway(
    options: {
      proxy?: string;
      store?: { type: 'redis'; url: string; prefix: string };
      withAccount?: boolean;
      keyName?: string;
    } = {},
  ): Promise<TestGateway> {
    const tg = await createTestGateway({
      plugins: [refreshPlugin],
      accounts: options.withAccount === false ? [] : [account(options.proxy)],
      keys: [{ name: options.keyName ?? 'default' }],
      config: { security: { encryptionKey: ENCRYPTION_KEY }, ...(options.store ? { store: options.store } : {}) },
    });
    gateways.push(tg);
    return tg;
  }

  const call = (tg: TestGateway): Promise<SentResponse> =>
    sendRequest(`${tg.url}/refreshy/v1/call`, { headers: { 'x-api-key': tg.key }, body: { model: 'refreshy-1' } });

  async function stored(tg: TestGateway): Promise<RefreshyCredentials> {
    const record = await tg.gateway.store.accounts.get(ACCOUNT_ID);
    return decryptJson<RefreshyCredentials>((await deriveSecrets(ENCRYPTION_KEY)).cipherKey, record!.credentials);
  }

  function expectNoTokenIn(...texts: string[]): void {
    const haystack = texts.join('\n');
    for (const token of upstream.allTokens) expect(haystack).not.to.contain(token);
  }

  const calls = () => upstream.requests.filter((request) => request.path === '/v1/call');

  it('refreshes an expired token once, calls with the new token and stores it', async () => {
    await startUpstream();
    const tg = await gateway();
    const first = await call(tg);
    expect(first.status, first.text()).to.equal(200);
    expect(upstream.refreshes).to.equal(1);
    expect(calls().map((request) => request.authorization)).to.deep.equal([`Bearer ${upstream.latest.accessToken}`]);

    const credentials = await stored(tg);
    expect(credentials).to.include({
      accessToken: upstream.latest.accessToken,
      refreshToken: upstream.latest.refreshToken,
      baseUrl: upstream.url,
    });
    expect(Date.parse(credentials.expiresAt) - Date.now()).to.be.greaterThan(50 * 60_000);

    const second = await call(tg);
    expect(second.status, second.text()).to.equal(200);
    expect(upstream.tokenRequests, 'a fresh token is not refreshed again').to.equal(1);
    expect(tg.logs.some((line) => line.message === 'account credentials refreshed')).to.equal(true);
    expectNoTokenIn(JSON.stringify(tg.logs), first.text(), second.text());
  });

  it('refreshes exactly once for ten concurrent requests on one gateway', async () => {
    await startUpstream(300);
    const tg = await gateway();
    const responses = await Promise.all(Array.from({ length: 10 }, () => call(tg)));
    expect(
      responses.map((res) => res.status),
      responses.map((res) => res.text()).join('\n'),
    ).to.deep.equal(Array(10).fill(200));
    expect(upstream.tokenRequests).to.equal(1);
    expect(upstream.refreshes).to.equal(1);
    expect(calls().every((request) => request.authorization === `Bearer ${upstream.latest.accessToken}`)).to.equal(true);
    expect(await tg.gateway.store.leases.count(`refresh:${ACCOUNT_ID}`)).to.equal(0);
  });

  it('keeps the rotated tokens when the client that triggered the refresh leaves mid-refresh', async () => {
    // The provider rotates the refresh token as soon as it gets the call; losing its answer bricks the account.
    await startUpstream(400);
    const tg = await gateway();
    const leaving = new AbortController();
    const sent = sendRequest(`${tg.url}/refreshy/v1/call`, {
      headers: { 'x-api-key': tg.key },
      body: {},
      signal: leaving.signal,
    }).then(
      (res) => res.aborted,
      () => true,
    );
    // The client leaves once the refresh call reached the provider (which answers 400 ms later).
    await waitFor(() => upstream.requests.some((request) => request.path === '/oauth/token'), { what: 'the refresh call' });
    expect(upstream.requests.find((request) => request.path === '/oauth/token')?.status).to.equal(0, 'not yet answered');
    leaving.abort();
    expect(await sent).to.equal(true);
    await waitFor(() => upstream.requests.find((request) => request.path === '/oauth/token' && request.status === 200), {
      timeoutMs: 3000,
    });
    // The gateway stores the rotated tokens and lets go of the refresh lock.
    await waitFor(
      async () =>
        (await stored(tg)).refreshToken === upstream.latest.refreshToken &&
        (await tg.gateway.store.leases.count(`refresh:${ACCOUNT_ID}`)) === 0,
      { what: 'the rotated tokens stored' },
    );
    const next = await call(tg);
    const state = (await tg.gateway.store.accountState.getMany([ACCOUNT_ID])).get(ACCOUNT_ID);
    expect(next.status, `${next.text()} ${JSON.stringify(state?.lastError)}`).to.equal(200);
    expect(upstream.refreshes).to.equal(1);
    expect((await stored(tg)).refreshToken).to.equal(upstream.latest.refreshToken);
  });

  describe('across gateway instances on one redis store', () => {
    let redis: TestRedis;
    before(async () => {
      redis = await startRedisForTests();
    });
    after(async () => {
      await redis?.stop();
    });

    it('refreshes exactly once for five concurrent requests on each of two gateways', async () => {
      await startUpstream(300);
      const store = { type: 'redis' as const, url: redis.url, prefix: `${redis.prefix}two:` };
      const a = await gateway({ store });
      const b = await gateway({ store, withAccount: false, keyName: 'second' });
      const responses = await Promise.all([
        ...Array.from({ length: 5 }, () => call(a)),
        ...Array.from({ length: 5 }, () => call(b)),
      ]);
      expect(
        responses.map((res) => res.status),
        responses.map((res) => res.text()).join('\n'),
      ).to.deep.equal(Array(10).fill(200));
      expect(upstream.tokenRequests).to.equal(1);
      expect(upstream.refreshes).to.equal(1);
      expect(calls()).to.have.length(10);
      expect(calls().every((request) => request.authorization === `Bearer ${upstream.latest.accessToken}`)).to.equal(true);
      expect((await stored(b)).accessToken).to.equal(upstream.latest.accessToken);
      const refreshedBy = [a, b].filter((tg) => tg.logs.some((line) => line.message === 'account credentials refreshed'));
      expect(refreshedBy).to.have.length(1);
    });
  });

  describe('through an egress proxy', () => {
    let proxy: TestProxy;
    before(async () => {
      proxy = await startHttpProxy({ auth: { username: 'egress', password: 'Pr0xy-Refresh-pw' } });
    });
    after(async () => {
      await proxy?.close();
    });

    it('sends the token request through the account proxy', async () => {
      await startUpstream();
      const tg = await gateway({ proxy: withCredentials(proxy.url, 'egress', 'Pr0xy-Refresh-pw') });
      const before = proxy.connections.length;
      const res = await call(tg);
      expect(res.status, res.text()).to.equal(200);
      const tunnels = proxy.connections.slice(before);
      expect(tunnels.length).to.be.at.least(1);
      expect(
        tunnels.every((tunnel) => tunnel.kind === 'connect' && tunnel.target === new URL(upstream.url).host && !tunnel.refused),
      ).to.equal(true);
      const proxyPorts = tunnels.map((tunnel) => tunnel.outboundPort);
      const token = upstream.requests.find((request) => request.path === '/oauth/token')!;
      expect(proxyPorts, 'the token call arrived from the proxy').to.include(token.remotePort);
      expect(
        upstream.requests.every((request) => proxyPorts.includes(request.remotePort)),
        'nothing went direct',
      ).to.equal(true);
      expect(JSON.stringify(tg.logs)).not.to.contain('Pr0xy-Refresh-pw');
    });
  });

  for (const status of [400, 401]) {
    it(`cools the account down as auth_failed when the refresh is answered ${status}, and answers in the protocol shape`, async () => {
      await startUpstream();
      upstream.failTokenWith(status);
      const tg = await gateway();
      const res = await call(tg);
      expect(res.status, res.text()).to.equal(502);
      const body = res.json<{ error: { code: string; message: string } }>();
      expect(body).to.deep.equal({ error: { code: 'upstream_error', message: body.error.message } });
      expect(calls(), 'no call with the expired token').to.have.length(0);
      const state = await waitFor(async () => (await tg.gateway.store.accountState.getMany([ACCOUNT_ID])).get(ACCOUNT_ID));
      expect(state.cooldownKind).to.equal('auth_failed');
      expect(state.coolingDownUntil).to.be.greaterThan(Date.now() + 60_000);
      expect((await stored(tg)).refreshToken, 'failed refresh leaves the credentials').to.equal('rt-0-initial');
      expect(await tg.gateway.store.leases.count(`refresh:${ACCOUNT_ID}`)).to.equal(0);
      const again = await call(tg);
      expect(again.status).to.equal(503);
      expect(upstream.tokenRequests).to.equal(1);
      expectNoTokenIn(JSON.stringify(tg.logs), res.text(), again.text(), JSON.stringify(state));
    });
  }
});
