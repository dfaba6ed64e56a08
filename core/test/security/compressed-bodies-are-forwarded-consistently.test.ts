import { expect } from 'chai';
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { createTestGateway, sendRequest, startFakeUpstream, type FakeUpstream, type TestGateway } from '@switchyard/core/testing';
import { tickPlugin } from '../fixtures/tick-plugin.js';

describe('a compressed request body reaches the upstream with bytes and headers that agree', () => {
  let upstream: FakeUpstream;
  let tg: TestGateway;

  before(async () => {
    upstream = await startFakeUpstream((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ticks":1,"usage":{"in":1,"out":1}}');
    });
    tg = await createTestGateway({
      plugins: [tickPlugin],
      accounts: [{ type: 'tick-upstream', name: 'one', credentials: { token: 'tick-secret-token', baseUrl: upstream.url } }],
    });
  });
  after(async () => {
    await tg.close();
    await upstream.close();
  });

  const original = JSON.stringify({ model: 'tick-1', count: 1, input: 'compress me '.repeat(50) });
  const encodings: [string, string, (input: Buffer) => Buffer][] = [
    ['gzip', 'gzip', gzipSync],
    ['x-gzip', 'gzip', gzipSync],
    ['GZIP', 'gzip', gzipSync],
    ['deflate', 'zlib-wrapped deflate', deflateSync],
    ['deflate', 'raw deflate', deflateRawSync],
    ['br', 'brotli', brotliCompressSync],
  ];

  for (const [encoding, format, compress] of encodings) {
    for (const contentType of ['application/json', 'text/plain']) {
      it(`forwards a "${encoding}" (${format}) ${contentType} body decoded, without content-encoding`, async () => {
        const res = await sendRequest(`${tg.url}/tick/v1/ticks`, {
          headers: { 'x-api-key': tg.key, 'content-type': contentType, 'content-encoding': encoding },
          body: compress(Buffer.from(original)),
        });
        expect(res.status, res.text()).to.equal(200);
        const seen = upstream.requests.at(-1)!;
        expect(seen.headers['content-encoding']).to.equal(undefined);
        expect(seen.text()).to.equal(original);
        if (seen.headers['content-length'] !== undefined)
          expect(Number(seen.headers['content-length'])).to.equal(seen.body.length);
      });
    }
  }

  it('forwards an identity body byte for byte', async () => {
    const res = await sendRequest(`${tg.url}/tick/v1/ticks`, {
      headers: { 'x-api-key': tg.key, 'content-type': 'application/json', 'content-encoding': 'identity' },
      body: original,
    });
    expect(res.status).to.equal(200);
    expect(upstream.requests.at(-1)!.text()).to.equal(original);
  });
});
