import { expect } from 'chai';
import { sendRequest, type TestGateway } from '@switchyard/core/testing';
import { tickGatewayForSuite } from '../fixtures/tick-gateway-for-suite.js';
import { openRawRequest } from '../fixtures/raw-http-client.js';

/** A POST whose headers promise `contentLength` bytes; no body byte is ever sent. */
function promise(tg: TestGateway, contentLength: string): string {
  return [
    'POST /tick/v1/ticks HTTP/1.1',
    'Host: 127.0.0.1',
    `x-api-key: ${tg.key}`,
    'content-type: application/json',
    `content-length: ${contentLength}`,
    '',
    '',
  ].join('\r\n');
}

describe('a Content-Length beyond the body limit is refused at once, whatever its size', () => {
  const suite = tickGatewayForSuite({ config: { server: { bodyLimitMb: 1 } } });

  const limitBytes = 1024 * 1024;
  const oversized = [String(limitBytes + 1), String(2 ** 31), String(2 ** 32 + 5), String(2 ** 53), '18446744073709551615'];

  for (const length of oversized) {
    it(`answers 413 in the route's shape before any body byte for Content-Length ${length}`, async () => {
      const connection = openRawRequest(suite.tg.url, promise(suite.tg, length), 5000);
      const answer = await connection.answer;
      connection.destroy();
      expect(answer.status, `answer to ${length}`).to.equal(413);
      expect(JSON.parse(answer.body)).to.deep.include({
        error: { code: 'payload_too_large', message: 'The request body is larger than this gateway accepts.' },
      });
      // Answered on the headers alone: well before the 5 s the raw client would wait.
      expect(answer.elapsedMs).to.be.below(3000);
    });
  }

  for (const length of ['1e30', 'abc', '-1', '0x10', '100000000000000000000000000000']) {
    it(`answers 400 to the unreadable Content-Length ${JSON.stringify(length)} and closes the connection`, async () => {
      const answer = await openRawRequest(suite.tg.url, promise(suite.tg, length), 5000).answer;
      expect(answer.status).to.equal(400);
      expect(answer.closed).to.equal(true);
      expect(JSON.parse(answer.body)).to.have.nested.property('error.type', 'invalid_request');
    });
  }

  it('keeps serving afterwards', async () => {
    const res = await sendRequest(`${suite.tg.url}/tick/v1/ticks`, {
      headers: { 'x-api-key': suite.tg.key },
      body: { model: 'tick-1', count: 1 },
    });
    expect(res.status).to.equal(200);
  });
});
