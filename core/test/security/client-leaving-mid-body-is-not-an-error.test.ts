import { expect } from 'chai';
import { sendRequest, waitFor } from '@switchyard/core/testing';
import { tickGatewayForSuite } from '../fixtures/tick-gateway-for-suite.js';
import { openRawRequest } from '../fixtures/raw-http-client.js';

/** A body of 40 MB is announced; 20 MB of it are sent before the client walks away. */
const DECLARED = 40 * 1024 * 1024;
const SENT = 20 * 1024 * 1024;

describe('a client leaving in the middle of its request body is logged at debug, never as an error', () => {
  const suite = tickGatewayForSuite();

  const leftLines = () => suite.tg.logs.filter((line) => line['message'] === 'client left while sending the request body');
  const errorLines = () => suite.tg.logs.filter((line) => line['level'] === 'error');

  const contentTypes = ['application/json', 'application/octet-stream', undefined];
  for (const contentType of contentTypes) {
    for (const framing of ['content-length', 'chunked'] as const) {
      it(`stays quiet for a ${contentType ?? 'typeless'} body with ${framing} framing`, async () => {
        const before = leftLines().length;
        const head = [
          'POST /tick/v1/ticks HTTP/1.1',
          'Host: 127.0.0.1',
          `x-api-key: ${suite.tg.key}`,
          ...(contentType ? [`content-type: ${contentType}`] : []),
          framing === 'chunked' ? 'transfer-encoding: chunked' : `content-length: ${DECLARED}`,
          '',
          '',
        ].join('\r\n');
        const connection = openRawRequest(suite.tg.url, framing === 'chunked' ? `${head}${DECLARED.toString(16)}\r\n` : head);
        // More than the socket buffers hold: once the kernel took it all, the gateway has been reading the body.
        await connection.send(Buffer.concat([Buffer.from('{"model":"tick-1","input":"'), Buffer.alloc(SENT, 'x')]));
        connection.destroy();
        await waitFor(() => leftLines().length > before || errorLines().length > 0, {
          what: 'a log line about the client leaving',
        });
        expect(errorLines(), JSON.stringify(errorLines())).to.deep.equal([]);
        expect(leftLines().at(-1)!['level']).to.equal('debug');
      });
    }
  }

  it('keeps serving afterwards', async () => {
    const res = await sendRequest(`${suite.tg.url}/tick/v1/ticks`, {
      headers: { 'x-api-key': suite.tg.key },
      body: { model: 'tick-1', count: 1 },
    });
    expect(res.status).to.equal(200);
    expect(errorLines()).to.deep.equal([]);
  });
});
