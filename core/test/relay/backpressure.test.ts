/**
 * Backpressure: a client that stops reading holds the upstream back (the gateway pauses
 * its upstream read instead of buffering the whole answer), and every byte still
 * arrives, in order, once the client reads again.
 */
import { once } from 'node:events';
import http from 'node:http';
import { expect } from 'chai';
import { createTestGateway, startFakeUpstream, waitFor, type FakeUpstream, type TestGateway } from '@switchyard/core/testing';
import { tickPlugin } from '../fixtures/tick-plugin.js';

const FRAME_PAD = 'x'.repeat(16 * 1024);
const FRAMES = 4096; // 64 MB in all
const FRAME_BYTES = Buffer.byteLength(`data: ${JSON.stringify({ n: 1, pad: FRAME_PAD })}\n\n`);

describe('relay backpressure', () => {
  let upstream: FakeUpstream;
  let tg: TestGateway;
  let written = 0;
  /** Whether the upstream is waiting for its socket to drain (it cannot write on). */
  let stalled = false;

  before(async () => {
    upstream = await startFakeUpstream(async (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      for (let n = 1; n <= FRAMES; n++) {
        // Frames of equal length (n padded), so the byte count tells how many were sent.
        const frame = `data: ${JSON.stringify({ n: 1, pad: FRAME_PAD })}\n\n`;
        written += frame.length;
        if (!res.write(frame)) {
          stalled = true;
          await once(res, 'drain');
          stalled = false;
        }
      }
      res.end(`data: ${JSON.stringify({ usage: { in: 1, out: FRAMES } })}\n\n`);
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

  it('holds the upstream back while the client does not read, then delivers every byte', async () => {
    const url = new URL(`${tg.url}/tick/v1/ticks`);
    const req = http.request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': tg.key } });
    req.end(JSON.stringify({ model: 'tick-1', stream: true }));
    const [res] = (await once(req, 'response')) as [http.IncomingMessage];
    expect(res.statusCode).to.equal(200);
    res.pause();
    // The buffers between upstream and the paused client fill up until the upstream has to
    // wait for a drain and its count stops moving (the same over a few checks).
    let seen = -1;
    let still = 0;
    await waitFor(
      () => {
        still = stalled && written === seen ? still + 1 : 0;
        seen = written;
        return still >= 3 || written >= FRAMES * FRAME_BYTES;
      },
      { timeoutMs: 10_000, what: 'the upstream to stop writing' },
    );
    const whilePaused = written;
    expect(whilePaused, 'bytes upstream wrote while the client read nothing').to.be.below((FRAMES * FRAME_BYTES) / 2);
    let received = 0;
    let tail = '';
    res.on('data', (chunk: Buffer) => {
      received += chunk.length;
      tail = (tail + chunk.toString('latin1')).slice(-200);
    });
    res.resume();
    await once(res, 'end');
    expect(received).to.equal(
      FRAMES * FRAME_BYTES + Buffer.byteLength(`data: ${JSON.stringify({ usage: { in: 1, out: FRAMES } })}\n\n`),
    );
    expect(tail).to.contain(`"out":${FRAMES}`);
    const record = await waitFor(async () => (await tg.gateway.store.usage.list({ keyId: tg.keyId }))[0]);
    expect(record.status).to.equal(200);
    expect(record.usage.outputTokens).to.equal(FRAMES);
  });
});
