import { expect } from 'chai';
import { createTestGateway, sendRequest, waitFor, type FakeUpstream, type TestGateway } from '@switchyard/core/testing';
import { UpstreamHttp } from '../../src/http/upstream-http.js';
import { tickPlugin } from '../fixtures/tick-plugin.js';
import { startTickUpstream } from '../fixtures/tick-upstream.js';
import { startHttpProxy, startSocks5Proxy, withCredentials, type TestProxy } from '../fixtures/proxy-servers.js';

const USER = 'egress-user';
const PASSWORD = 'Pr0xy-Pa55-d3adbeef';
const WRONG = 'Wr0ng-Pa55-cafebabe';
const TOKEN = 'tick-secret-token';

describe('egress proxies', function () {
  this.timeout(30_000);
  let upstream: FakeUpstream;
  let httpProxy: TestProxy;
  let socksProxy: TestProxy;
  const gateways: TestGateway[] = [];

  before(async () => {
    upstream = await startTickUpstream({ intervalMs: 40 });
    httpProxy = await startHttpProxy({ auth: { username: USER, password: PASSWORD } });
    socksProxy = await startSocks5Proxy({ auth: { username: USER, password: PASSWORD } });
  });
  after(async () => {
    for (const tg of gateways) await tg.close();
    await upstream.close();
    await httpProxy.close();
    await socksProxy.close();
  });

  async function gatewayWith(proxy: string | undefined): Promise<TestGateway> {
    const tg = await createTestGateway({
      plugins: [tickPlugin],
      accounts: [
        {
          type: 'tick-upstream',
          name: 'proxied',
          credentials: { token: TOKEN, baseUrl: upstream.url },
          ...(proxy ? { proxy } : {}),
        },
      ],
    });
    gateways.push(tg);
    return tg;
  }

  const upstreamHostPort = () => new URL(upstream.url).host;
  const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

  async function streamThrough(tg: TestGateway) {
    const res = await sendRequest(`${tg.url}/tick/v1/ticks`, {
      headers: { 'x-api-key': tg.key },
      body: { model: 'tick-1', stream: true, count: 6 },
    });
    expect(res.status, res.text()).to.equal(200);
    expect(res.text()).to.contain('data: {"n":6}');
    // Frames arrive one by one, as the upstream writes them 40 ms apart.
    expect(res.chunks.length).to.be.greaterThan(3);
    expect(res.chunkTimes.at(-1)! - res.chunkTimes[0]!).to.be.greaterThan(120);
    const seen = upstream.requests.at(-1)!;
    expect(seen.headers.authorization).to.equal(`Bearer ${TOKEN}`);
    expect(seen.headers['proxy-authorization']).to.equal(undefined);
    return res;
  }

  function expectNoPasswordIn(tg: TestGateway, ...texts: string[]): void {
    const haystack = [JSON.stringify(tg.logs), JSON.stringify(tg.printed), ...texts].join('\n');
    for (const secret of [
      PASSWORD,
      WRONG,
      Buffer.from(`${USER}:${PASSWORD}`).toString('base64'),
      Buffer.from(`${USER}:${WRONG}`).toString('base64'),
    ]) {
      expect(haystack).not.to.contain(secret);
    }
  }

  it('relays through an http proxy: CONNECT to the upstream with Basic proxy credentials, streaming frame by frame', async () => {
    const tg = await gatewayWith(withCredentials(httpProxy.url, USER, PASSWORD));
    const before = httpProxy.connections.length;
    const res = await streamThrough(tg);
    const seen = httpProxy.connections.slice(before);
    expect(seen.length).to.be.at.least(1);
    expect(seen[0]).to.include({
      kind: 'connect',
      target: upstreamHostPort(),
      proxyAuthorization: basic(USER, PASSWORD),
      refused: false,
    });
    expectNoPasswordIn(tg, res.text());
  });

  it('relays through a socks5 proxy with username/password authentication, streaming frame by frame', async () => {
    const tg = await gatewayWith(withCredentials(socksProxy.url, USER, PASSWORD));
    const before = socksProxy.connections.length;
    const res = await streamThrough(tg);
    const seen = socksProxy.connections.slice(before);
    expect(seen.length).to.be.at.least(1);
    expect(seen[0]).to.include({ kind: 'socks', target: upstreamHostPort(), addressType: 1, username: USER, refused: false });
    expectNoPasswordIn(tg, res.text());
  });

  it('goes direct for an account without a proxy', async () => {
    const tg = await gatewayWith(undefined);
    const counts = [httpProxy.connections.length, socksProxy.connections.length];
    await streamThrough(tg);
    expect([httpProxy.connections.length, socksProxy.connections.length]).to.deep.equal(counts);
  });

  for (const kind of ['http', 'socks5'] as const) {
    it(`fails the attempt as network when the ${kind} proxy refuses the credentials, without leaking the password`, async () => {
      const proxy = kind === 'http' ? httpProxy : socksProxy;
      const tg = await gatewayWith(withCredentials(proxy.url, USER, WRONG));
      const before = proxy.connections.length;
      const upstreamBefore = upstream.requests.length;
      const res = await sendRequest(`${tg.url}/tick/v1/ticks`, {
        headers: { 'x-api-key': tg.key },
        body: { model: 'tick-1', count: 1 },
      });
      expect(res.status, res.text()).to.equal(502);
      const body = res.json<{ error: { code: string; message: string } }>();
      expect(body).to.deep.equal({ error: { code: 'upstream_error', message: body.error.message } });
      expect(proxy.connections.slice(before).map((c) => c.refused)).to.include(true);
      expect(upstream.requests.length).to.equal(upstreamBefore);
      const state = await waitFor(
        async () => (await tg.gateway.store.accountState.getMany([tg.accountIds[0]!])).get(tg.accountIds[0]!)?.cooldownKind,
      );
      expect(state).to.equal('network');
      const full = (await tg.gateway.store.accountState.getMany([tg.accountIds[0]!])).get(tg.accountIds[0]!)!;
      expect(full.coolingDownUntil).to.be.greaterThan(Date.now());
      expectNoPasswordIn(tg, res.text(), JSON.stringify(full));
      const again = await sendRequest(`${tg.url}/tick/v1/ticks`, {
        headers: { 'x-api-key': tg.key },
        body: { model: 'tick-1', count: 1 },
      });
      expect(again.status, 'the cooling account is not retried').to.equal(503);
    });
  }
});

describe('UpstreamHttp clients', function () {
  this.timeout(20_000);
  let upstream: FakeUpstream;
  let proxy: TestProxy;
  let http: UpstreamHttp;

  before(async () => {
    upstream = await startTickUpstream();
    proxy = await startHttpProxy();
  });
  beforeEach(() => {
    http = new UpstreamHttp({ connectMs: 5000, firstByteMs: 5000, idleMs: 5000 });
  });
  afterEach(async () => {
    await http.close();
  });
  after(async () => {
    await upstream.close();
    await proxy.close();
  });

  async function call(client: ReturnType<UpstreamHttp['client']>): Promise<number> {
    const response = await client.request(`${upstream.url}/v1/ticks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"count":1}',
    });
    expect(await response.json()).to.deep.include({ ticks: 1 });
    // undici frees the connection a tick after the body ended; a call in between would open another.
    await new Promise((resolve) => setImmediate(resolve));
    return response.status;
  }

  it('lends one client per proxy URL and a different one per different URL', () => {
    const a = withCredentials(proxy.url, 'a', 'x');
    const b = withCredentials(proxy.url, 'b', 'x');
    expect(http.client()).to.equal(http.client());
    expect(http.client()).to.equal(http.client(undefined));
    expect(http.client(a)).to.equal(http.client(a));
    expect(http.client(a)).not.to.equal(http.client(b));
    expect(http.client(a)).not.to.equal(http.client());
    const socks = 'socks5://u:p@127.0.0.1:1';
    expect(http.client(socks)).to.equal(http.client(socks));
    expect(http.client(socks)).not.to.equal(http.client('socks5://u:q@127.0.0.1:1'));
  });

  it('reuses the dispatcher (and its tunnel) for the same proxy URL, and opens another for another URL', async () => {
    const a = withCredentials(proxy.url, 'a', 'x');
    const before = proxy.connections.length;
    expect(await call(http.client(a))).to.equal(200);
    expect(await call(http.client(a))).to.equal(200);
    expect(proxy.connections.length - before, 'one CONNECT for two calls through the same proxy URL').to.equal(1);
    expect(await call(http.client(withCredentials(proxy.url, 'b', 'x')))).to.equal(200);
    const seen = proxy.connections.slice(before);
    expect(seen.map((c) => c.proxyAuthorization)).to.deep.equal([
      `Basic ${Buffer.from('a:x').toString('base64')}`,
      `Basic ${Buffer.from('b:x').toString('base64')}`,
    ]);
  });

  it('refuses an unsupported proxy protocol', () => {
    expect(() => http.client('ftp://127.0.0.1:21')).to.throw(/unsupported proxy protocol/);
  });
});
