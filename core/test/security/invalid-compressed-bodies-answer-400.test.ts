import { expect } from 'chai';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { sendRequest } from '@switchyard/core/testing';
import { tickGatewayForSuite } from '../fixtures/tick-gateway-for-suite.js';

describe("a request body that cannot be decoded gets 400 in the route's shape, never 500", () => {
  const suite = tickGatewayForSuite({ config: { server: { bodyLimitMb: 1 } } });

  const json = Buffer.from(JSON.stringify({ model: 'tick-1', count: 1 }));
  const post = (encoding: string, body: Buffer, contentType = 'application/json') =>
    sendRequest(`${suite.tg.url}/tick/v1/ticks`, {
      headers: { 'x-api-key': suite.tg.key, 'content-type': contentType, 'content-encoding': encoding },
      body,
    });

  const garbage: [string, Buffer][] = [
    ['br', Buffer.from('this is not brotli at all, not even close')],
    ['gzip', Buffer.from('this is not gzip')],
    ['deflate', Buffer.from('this is not deflate')],
    ['gzip', gzipSync(json).subarray(0, 12)],
    ['br', brotliCompressSync(json).subarray(0, 5)],
  ];

  for (const [encoding, body] of garbage) {
    for (const contentType of ['application/json', 'application/octet-stream']) {
      it(`answers 400 to an undecodable ${encoding} body (${body.length} bytes, ${contentType})`, async () => {
        const before = suite.upstream.requests.length;
        const res = await post(encoding, body, contentType);
        expect(res.status, res.text()).to.equal(400);
        expect(res.json<{ error: { code: string; message: string } }>().error).to.deep.include({ code: 'invalid_request' });
        expect(res.json<{ error: { message: string } }>().error.message).to.match(new RegExp(encoding));
        expect(suite.upstream.requests.length).to.equal(before);
      });
    }
  }

  it('answers 400 to a content coding the gateway does not know', async () => {
    const res = await post('zstd', json);
    expect(res.status).to.equal(400);
    expect(res.json<{ error: { code: string } }>().error.code).to.equal('invalid_request');
  });

  it('answers 413 to a small compressed body that expands beyond the body limit', async () => {
    const bomb = gzipSync(Buffer.alloc(4 * 1024 * 1024, 0x20));
    expect(bomb.length).to.be.below(64 * 1024);
    const res = await post('gzip', bomb);
    expect(res.status).to.equal(413);
    expect(res.json<{ error: { code: string } }>().error.code).to.equal('payload_too_large');
  });

  it('still accepts well-formed gzip, deflate and br bodies', async () => {
    for (const [encoding, body] of [
      ['gzip', gzipSync(json)],
      ['deflate', deflateSync(json)],
      ['br', brotliCompressSync(json)],
    ] as const) {
      const res = await post(encoding, body);
      expect(res.status, `${encoding}: ${res.text()}`).to.equal(200);
    }
  });
});
