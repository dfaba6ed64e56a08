import { expect } from 'chai';
import {
  createTestGateway,
  sendRequest,
  startFakeUpstream,
  waitFor,
  type FakeUpstream,
  type TestGateway,
} from '@switchyard/core/testing';
import { tickPlugin } from '../fixtures/tick-plugin.js';
import { openRawRequest } from '../fixtures/raw-http-client.js';

const KB = 1024;
/** 100 KB of request bodies held at once; 80 KB at most per body. */
const CAP_MB = 100 / 1024;
const BODY_LIMIT_MB = 80 / 1024;

/**
 * A tick upstream that keeps requests whose body says `hold: true` waiting until
 * `release()`, so their bodies stay in the gateway's memory meanwhile.
 */
async function startHoldingUpstream(): Promise<FakeUpstream & { release(): void }> {
  let open!: () => void;
  let gate = new Promise<void>((resolve) => (open = resolve));
  const fake = await startFakeUpstream(async (req, res) => {
    if (req.json<{ hold?: boolean }>().hold) await gate;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ticks: 1, usage: { in: 1, out: 1 } }));
  });
  return Object.assign(fake, {
    release() {
      open();
      gate = new Promise<void>((resolve) => (open = resolve));
    },
  });
}

function body(bytes: number, hold = false): string {
  const frame = JSON.stringify({ model: 'tick-1', hold, input: '' });
  return JSON.stringify({ model: 'tick-1', hold, input: 'x'.repeat(bytes - frame.length) });
}

describe('request bodies held in memory at once are capped across all requests', () => {
  let upstream: FakeUpstream & { release(): void };
  let tg: TestGateway;

  before(async () => {
    upstream = await startHoldingUpstream();
    tg = await createTestGateway({
      plugins: [tickPlugin],
      accounts: [{ type: 'tick-upstream', name: 'one', credentials: { token: 'tick-secret-token', baseUrl: upstream.url } }],
      config: { server: { maxBufferedBodyMb: CAP_MB, bodyLimitMb: BODY_LIMIT_MB } },
    });
  });
  after(async () => {
    upstream.release();
    await tg.close();
    await upstream.close();
  });

  const url = () => `${tg.url}/tick/v1/ticks`;
  const send = (text: string, timeoutMs = 5000) =>
    sendRequest(url(), { headers: { 'x-api-key': tg.key, 'content-type': 'application/json' }, body: text, timeoutMs });

  /** Starts a request whose 60 KB body stays held until `upstream.release()`; resolves once upstream has it. */
  async function holdSixtyKb(): Promise<{ answer: ReturnType<typeof send> }> {
    const before = upstream.requests.length;
    const answer = send(body(60 * KB, true), 10_000);
    await waitFor(() => upstream.requests.length > before, { what: 'the held request to reach upstream' });
    // Wrapped: an async function returning the bare promise would wait for it.
    return { answer };
  }

  it('answers 503 with Retry-After in the route shape to a body that would pass the cap, while one within it succeeds', async () => {
    const held = (await holdSixtyKb()).answer;
    try {
      const refused = await send(body(60 * KB));
      expect(refused.status).to.equal(503);
      expect(Number(refused.headers['retry-after'])).to.be.at.least(1);
      expect(refused.json<{ error: { code: string } }>().error.code).to.equal('gateway_busy');
      const small = await send(body(10 * KB));
      expect(small.status, small.text()).to.equal(200);
    } finally {
      upstream.release();
    }
    expect((await held).status).to.equal(200);
  });

  it('gives the room back once a request is over: the refused body then goes through', async () => {
    const res = await send(body(60 * KB));
    expect(res.status, res.text()).to.equal(200);
  });

  it('refuses several large bodies arriving at once beyond the cap, and accepts them again afterwards', async () => {
    const held = (await holdSixtyKb()).answer;
    try {
      const burst = await Promise.all(Array.from({ length: 4 }, () => send(body(50 * KB))));
      expect(burst.map((res) => res.status)).to.deep.equal([503, 503, 503, 503]);
    } finally {
      upstream.release();
    }
    expect((await held).status).to.equal(200);
    const after = await Promise.all([send(body(45 * KB)), send(body(45 * KB))]);
    expect(after.map((res) => res.status)).to.deep.equal([200, 200]);
  });

  it('counts a chunked body (no Content-Length) as it arrives and refuses it once it would pass the cap', async () => {
    const held = (await holdSixtyKb()).answer;
    const head = [
      'POST /tick/v1/ticks HTTP/1.1',
      'Host: 127.0.0.1',
      `x-api-key: ${tg.key}`,
      'content-type: application/json',
      'transfer-encoding: chunked',
      '',
      '',
    ].join('\r\n');
    const payload = Buffer.from(body(50 * KB));
    try {
      const connection = openRawRequest(tg.url, `${head}${payload.length.toString(16)}\r\n`, 5000);
      connection.write(payload);
      connection.write('\r\n');
      const answer = await connection.answer;
      connection.destroy();
      expect(answer.status).to.equal(503);
      expect(JSON.parse(answer.body)).to.have.nested.property('error.code', 'gateway_busy');
    } finally {
      upstream.release();
    }
    expect((await held).status).to.equal(200);
    expect((await send(body(60 * KB))).status).to.equal(200);
  });

  it('gives the room back when a client leaves in the middle of its body', async () => {
    const head = [
      'POST /tick/v1/ticks HTTP/1.1',
      'Host: 127.0.0.1',
      `x-api-key: ${tg.key}`,
      'content-type: application/json',
      `content-length: ${70 * KB}`,
      '',
      '',
    ].join('\r\n');
    const connection = openRawRequest(tg.url, `${head}{"model":"tick-1","input":"xxxx`, 5000);
    connection.destroy();
    await connection.closed;
    // 70 KB were reserved for that body: until they are given back, 60 KB more cannot fit.
    await waitFor(async () => (await send(body(60 * KB))).status === 200, {
      what: 'the reservation of the abandoned body to be released',
    });
  });

  it('answers 413, not 503, to a body larger than the route accepts at all', async () => {
    const res = await send(body(90 * KB));
    expect(res.status).to.equal(413);
    expect(res.json<{ error: { code: string } }>().error.code).to.equal('payload_too_large');
  });
});
