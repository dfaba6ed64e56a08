import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { expect } from 'chai';
import { createTestGateway, sendRequest, waitFor, writeSse, type FakeUpstream, type TestGateway } from '@switchyard/core/testing';
import { UpstreamHttp } from '../../src/http/upstream-http.js';
import { tickPlugin } from '../fixtures/tick-plugin.js';
import { startTickUpstream } from '../fixtures/tick-upstream.js';

/** A local server whose handler decides how (and whether) to answer; it never hangs the suite on close. */
async function startServer(handler: http.RequestListener): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = http.createServer(handler);
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}

const silent: http.RequestListener = () => {
  // never answers
};
const stallAfterOneChunk: http.RequestListener = (_req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.write('first chunk');
};

describe('UpstreamHttp timeouts', function () {
  this.timeout(10_000);
  const servers: { close(): Promise<void> }[] = [];
  let upstreamHttp: UpstreamHttp;

  beforeEach(() => {
    upstreamHttp = new UpstreamHttp({ connectMs: 2000, firstByteMs: 300, idleMs: 300 });
  });
  afterEach(async () => {
    await upstreamHttp.close();
    for (const server of servers.splice(0)) await server.close();
  });

  async function server(handler: http.RequestListener): Promise<string> {
    const started = await startServer(handler);
    servers.push(started);
    return started.url;
  }

  it('fails a call whose upstream sends no headers within firstByteMs', async () => {
    const url = await server(silent);
    const started = Date.now();
    const error = await upstreamHttp
      .client()
      .request(`${url}/x`)
      .then(
        () => undefined,
        (caught: unknown) => caught as { code?: string },
      );
    const elapsed = Date.now() - started;
    expect(error?.code).to.equal('UND_ERR_HEADERS_TIMEOUT');
    // undici checks its parser timers on a ~500 ms tick, so a 300 ms timeout fires within about a second.
    expect(elapsed).to.be.within(250, 2500);
  });

  it('lets a call override the first-byte timeout', async () => {
    const url = await server((_req, res) => setTimeout(() => res.end('late'), 600));
    const response = await upstreamHttp.client().request(`${url}/x`, { headersTimeoutMs: 2000 });
    expect(await response.text()).to.equal('late');
  });

  it('errors the body stream when upstream stalls longer than idleMs between chunks', async () => {
    const url = await server(stallAfterOneChunk);
    const response = await upstreamHttp.client().request(`${url}/x`);
    expect(response.status).to.equal(200);
    const chunks: string[] = [];
    const started = Date.now();
    const error = await (async () => {
      for await (const chunk of response.body) chunks.push(String(chunk));
    })().then(
      () => undefined,
      (caught: unknown) => caught as { code?: string },
    );
    expect(chunks.join('')).to.equal('first chunk');
    expect(error?.code).to.equal('UND_ERR_BODY_TIMEOUT');
    expect(Date.now() - started).to.be.within(200, 2500);
  });

  it('applies the timeouts through a proxy dispatcher as well', async () => {
    const { startHttpProxy } = await import('../fixtures/proxy-servers.js');
    const proxy = await startHttpProxy();
    servers.push(proxy);
    const url = await server(silent);
    const error = await upstreamHttp
      .client(proxy.url)
      .request(`${url}/x`)
      .then(
        () => undefined,
        (caught: unknown) => caught as { code?: string },
      );
    expect(error?.code).to.equal('UND_ERR_HEADERS_TIMEOUT');
    expect(proxy.connections).to.have.length(1);
  });
});

describe('upstream timeouts through the gateway', function () {
  this.timeout(15_000);
  let upstream: FakeUpstream;
  let tg: TestGateway;

  before(async () => {
    upstream = await startTickUpstream();
  });
  afterEach(async () => {
    await tg?.close();
  });
  after(async () => {
    await upstream.close();
  });

  async function gateway(): Promise<TestGateway> {
    tg = await createTestGateway({
      plugins: [tickPlugin],
      accounts: [{ type: 'tick-upstream', name: 'slow', credentials: { token: 'tick-secret-token', baseUrl: upstream.url } }],
      config: { server: { timeouts: { connectMs: 2000, firstByteMs: 300, idleMs: 300 } } },
    });
    return tg;
  }

  it('answers 504 upstream_timeout when upstream sends no headers in time, and cools the account down as network', async () => {
    upstream.setHandler(() => new Promise(() => {}));
    await gateway();
    const res = await sendRequest(`${tg.url}/tick/v1/ticks`, { headers: { 'x-api-key': tg.key }, body: { model: 'tick-1' } });
    expect(res.status, res.text()).to.equal(504);
    expect(res.json<{ error: { code: string } }>().error.code).to.equal('upstream_timeout');
    const id = tg.accountIds[0]!;
    expect(await waitFor(async () => (await tg.gateway.store.accountState.getMany([id])).get(id)?.cooldownKind)).to.equal(
      'network',
    );
  });

  it('ends a stream that stalls longer than idleMs with the protocol error frame', async () => {
    upstream.setHandler(async (_req, res) => {
      await writeSse(res, [{ data: { n: 1 } }], { end: false });
      await new Promise(() => {});
    });
    await gateway();
    const res = await sendRequest(`${tg.url}/tick/v1/ticks`, {
      headers: { 'x-api-key': tg.key },
      body: { model: 'tick-1', stream: true },
    });
    expect(res.status).to.equal(200);
    expect(res.text()).to.contain('data: {"n":1}');
    expect(res.text()).to.match(/event: error\ndata: \{"code":"upstream_error"/);
  });
});
