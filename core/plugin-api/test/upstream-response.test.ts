/** `upstreamResponse` and `callUpstream` give an answer `text()` and `json()` reading its own body. */
import { expect } from 'chai';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { callUpstream, upstreamResponse, type HttpClient } from '@switchyard/plugin-api';

async function* pieces(...chunks: string[]): AsyncGenerator<Uint8Array> {
  for (const chunk of chunks) yield Buffer.from(chunk, 'utf8');
}

describe('plugin-api upstreamResponse()', () => {
  it('reads a body split anywhere (even inside a character) as text and as JSON', async () => {
    const bytes = Buffer.from('{"greeting":"h\u00e9llo \ud83d\ude00"}', 'utf8');
    const cut = bytes.indexOf(0xf0) + 2; // inside the 4-byte emoji
    const response = upstreamResponse({
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: Readable.from([bytes.subarray(0, cut), bytes.subarray(cut)]),
    });
    expect(await response.json()).to.deep.equal({ greeting: 'h\u00e9llo \ud83d\ude00' });
  });

  it('keeps the usage it is given, and omits it otherwise', async () => {
    const usage = Promise.resolve(null);
    expect(upstreamResponse({ status: 200, headers: {}, body: pieces(), usage }).usage).to.equal(usage);
    expect('usage' in upstreamResponse({ status: 200, headers: {}, body: pieces() })).to.equal(false);
  });

  it('reads the body of a copy with another body, not the original', async () => {
    const original = upstreamResponse({ status: 200, headers: {}, body: pieces('original') });
    const copy = { ...original, body: pieces('re', 'placed') };
    expect(await copy.text()).to.equal('replaced');
    expect(await original.text()).to.equal('original');
  });

  it('rejects with a SyntaxError for a body that is not JSON', async () => {
    const response = upstreamResponse({ status: 502, headers: {}, body: pieces('<html>bad gateway</html>') });
    let error: unknown;
    await response.json().catch((caught: unknown) => (error = caught));
    expect(error).to.be.instanceOf(SyntaxError);
  });
});

describe('plugin-api callUpstream()', () => {
  let server: http.Server;
  let url: string;
  before(async () => {
    server = http.createServer((req, res) => {
      res.writeHead(418, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ method: req.method, path: req.url }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  /** The smallest HttpClient: fetch, with the body as a Node stream. */
  const client: HttpClient = {
    async request(target, options = {}) {
      const answer = await fetch(target, { method: options.method ?? 'GET', signal: options.signal ?? null });
      const body = Readable.fromWeb(answer.body! as never);
      return {
        status: answer.status,
        headers: Object.fromEntries(answer.headers),
        body,
        text: () => new Response(Readable.toWeb(body) as never).text(),
        json: () => new Response(Readable.toWeb(body) as never).json(),
        bytes: async () => new Uint8Array(await new Response(Readable.toWeb(body) as never).arrayBuffer()),
      };
    },
  };

  it('returns every HTTP answer with json() over its body', async () => {
    const signal = new AbortController().signal;
    const response = await callUpstream(client, `${url}/v1/x`, { method: 'POST', headers: {}, signal }, 'test');
    expect(response.status).to.equal(418);
    expect(await response.json()).to.deep.equal({ method: 'POST', path: '/v1/x' });
  });

  it('turns a connection failure into a network error naming only the origin', async () => {
    const signal = new AbortController().signal;
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    let error: { kind?: string; message?: string } | undefined;
    await callUpstream(
      client,
      `http://127.0.0.1:${port}/v1/x?key=secret-123`,
      { method: 'GET', headers: {}, signal },
      'test',
    ).catch((caught: { kind?: string; message?: string }) => (error = caught));
    expect(error?.kind).to.equal('network');
    expect(error?.message).to.match(new RegExp(`^test upstream http://127\\.0\\.0\\.1:${port} unreachable`));
    expect(error?.message).not.to.include('secret-123');
  });
});
