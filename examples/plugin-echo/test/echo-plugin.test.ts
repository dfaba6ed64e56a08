/**
 * The echo plugin inside a real gateway: model allow-list, the public HEAD, the model
 * list, errors in the echo shape (bad key, unknown route, bad JSON, oversized body, a
 * cut stream), header forwarding, sticky sessions and prices.
 */
import { expect } from 'chai';
import { createTestGateway, sendRequest, writeSse, type FakeUpstream, type TestGateway } from '@switchyard/core/testing';
import echoPlugin from '../src/index.js';
import { echoFrames, startFakeEchoUpstream } from './fake-echo-upstream.js';

const API_KEY = 'echo-plugin-test-key-9c2e';

interface EchoError {
  error: { type: string; message: string };
}

function expectEchoError(res: { status: number; json<T>(): T; text(): string }, status: number): EchoError {
  expect(res.status, res.text()).to.equal(status);
  const body = res.json<EchoError>();
  expect(body.error.type, res.text()).to.be.a('string');
  expect(body.error.message, res.text()).to.be.a('string');
  return body;
}

describe('echo plugin in a gateway', function () {
  this.timeout(20_000);
  let fake: FakeUpstream;
  let tg: TestGateway | undefined;
  const auth = (): Record<string, string> => ({ authorization: `Bearer ${tg!.key}` });

  async function start(
    accounts: Array<{ settings?: Record<string, unknown>; priority?: number; baseUrl?: string | null }> = [{}],
    config = {},
  ): Promise<TestGateway> {
    tg = await createTestGateway({
      plugins: [echoPlugin],
      config,
      accounts: accounts.map((account, index) => ({
        type: 'echo-key',
        name: `echo-${index + 1}`,
        credentials: account.baseUrl === null ? { apiKey: API_KEY } : { apiKey: API_KEY, baseUrl: account.baseUrl ?? fake.url },
        settings: account.settings ?? {},
        priority: account.priority ?? 50,
      })),
    });
    return tg;
  }

  beforeEach(async () => {
    fake = await startFakeEchoUpstream({ apiKey: API_KEY, intervalMs: 5 });
  });
  afterEach(async () => {
    await tg?.close();
    tg = undefined;
    await fake.close();
  });

  it('echoes unary and streamed requests through an echo-key account', async () => {
    const gw = await start();
    const unary = await sendRequest(`${gw.url}/echo/v1/echo`, {
      headers: auth(),
      body: { model: 'echo-1', input: 'one two three' },
    });
    expect(unary.status, unary.text()).to.equal(200);
    expect(unary.json()).to.deep.include({ output: 'one two three', usage: { input_tokens: 3, output_tokens: 3 } });

    const stream = await sendRequest(`${gw.url}/echo/v1/echo`, {
      headers: auth(),
      body: { model: 'echo-1', input: 'one two three', stream: true },
    });
    expect(stream.status).to.equal(200);
    expect(stream.headers['content-type']).to.match(/^text\/event-stream/);
    expect(stream.text())
      .to.match(/^event: start\n/)
      .and.to.include('event: delta\n')
      .and.to.match(/event: done\ndata: \{"usage":\{"input_tokens":3,"output_tokens":3\}\}\n\n$/);
  });

  it('takes baseUrl as origin plus path prefix: a trailing /v1 given anyway is not doubled', async () => {
    const gw = await start([{ baseUrl: `${fake.url}/v1/` }]);
    const res = await sendRequest(`${gw.url}/echo/v1/echo`, { headers: auth(), body: { model: 'echo-1', input: 'hi' } });
    expect(res.status, res.text()).to.equal(200);
    expect(fake.requests.map((request) => request.path)).to.deep.equal(['/v1/echo']);
  });

  it('serves only the models an account allows', async () => {
    const gw = await start([{ settings: { models: ['echo-1', 'echo-2'] } }]);
    const allowed = await sendRequest(`${gw.url}/echo/v1/echo`, { headers: auth(), body: { model: 'echo-2', input: 'hi' } });
    expect(allowed.status, allowed.text()).to.equal(200);
    const before = fake.requests.length;
    const refused = await sendRequest(`${gw.url}/echo/v1/echo`, { headers: auth(), body: { model: 'echo-3', input: 'hi' } });
    expect(refused.status, refused.text()).to.be.within(400, 599);
    expectEchoError(refused, refused.status);
    expect(fake.requests.length, 'no upstream call for a model no account serves').to.equal(before);
  });

  it('answers HEAD on the mount point without a key and without calling upstream', async () => {
    const gw = await start();
    for (const path of ['/echo', '/echo/']) {
      const res = await sendRequest(`${gw.url}${path}`, { method: 'HEAD' });
      expect(res.status, `HEAD ${path}`).to.equal(200);
    }
    expect(fake.requests).to.have.length(0);
  });

  it('lists the models of the echo accounts', async () => {
    const gw = await start([{ settings: { models: ['echo-1', 'echo-2'] } }, { settings: { models: ['echo-2', 'echo-9'] } }]);
    const res = await sendRequest(`${gw.url}/echo/v1/models`, { headers: auth() });
    expect(res.status, res.text()).to.equal(200);
    const ids = res.json<{ data: Array<{ id: string }> }>().data.map((model) => model.id);
    expect([...new Set(ids)].sort()).to.deep.equal(['echo-1', 'echo-2', 'echo-9']);
    expect(fake.requests).to.have.length(0);
    const anonymous = await sendRequest(`${gw.url}/echo/v1/models`);
    expectEchoError(anonymous, 401);
  });

  it('refuses a missing or invalid key with 401 in the echo shape', async () => {
    const gw = await start();
    const body = { model: 'echo-1', input: 'hi' };
    expectEchoError(await sendRequest(`${gw.url}/echo/v1/echo`, { body }), 401);
    expectEchoError(
      await sendRequest(`${gw.url}/echo/v1/echo`, { headers: { authorization: 'Bearer sy_not-a-real-key-000000000000' }, body }),
      401,
    );
    expect(fake.requests).to.have.length(0);
  });

  it('answers an unknown route with 404 in the echo shape', async () => {
    const gw = await start();
    expectEchoError(await sendRequest(`${gw.url}/echo/v1/nope`, { headers: auth(), body: {} }), 404);
  });

  it('refuses malformed JSON with 400 in the echo shape', async () => {
    const gw = await start();
    const res = await sendRequest(`${gw.url}/echo/v1/echo`, {
      headers: { ...auth(), 'content-type': 'application/json' },
      body: '{"model": "echo-1", "input": ',
    });
    expectEchoError(res, 400);
    expect(fake.requests).to.have.length(0);
  });

  it('refuses an oversized body with 413 and keeps serving', async () => {
    const gw = await start([{}], { server: { bodyLimitMb: 0.01 } });
    const big = await sendRequest(`${gw.url}/echo/v1/echo`, {
      headers: auth(),
      body: { model: 'echo-1', input: 'x'.repeat(20_000) },
    });
    expectEchoError(big, 413);
    expect(fake.requests).to.have.length(0);
    const small = await sendRequest(`${gw.url}/echo/v1/echo`, {
      headers: auth(),
      body: { model: 'echo-1', input: 'still here' },
    });
    expect(small.status, small.text()).to.equal(200);
  });

  it('ends a stream that upstream cut with an echo error frame', async () => {
    const gw = await start();
    fake.setHandler(async (_req, res) => {
      await writeSse(res, echoFrames().slice(0, 3), { intervalMs: 10, end: false });
      res.destroy();
    });
    const res = await sendRequest(`${gw.url}/echo/v1/echo`, {
      headers: auth(),
      body: { model: 'echo-1', input: 'hi', stream: true },
    });
    expect(res.status).to.equal(200);
    expect(res.text()).to.match(/^event: start\n/);
    expect(res.text()).to.match(/event: error\ndata: \{"error":\{"type":"[a-z_]+","message":"[^"]+"\}\}\n\n$/);
  });

  it('forwards client headers, swaps the key for the account key', async () => {
    const gw = await start();
    const res = await sendRequest(`${gw.url}/echo/v1/echo`, {
      headers: { ...auth(), 'x-echo-trace': 'trace-42', 'user-agent': 'echo-cli/1.2.3' },
      body: { model: 'echo-1', input: 'hi' },
    });
    expect(res.status, res.text()).to.equal(200);
    const seen = fake.requests[0]!;
    expect(seen.headers['x-echo-trace']).to.equal('trace-42');
    expect(seen.headers['user-agent']).to.equal('echo-cli/1.2.3');
    expect(seen.headers.authorization).to.equal(`Bearer ${API_KEY}`);
    expect(JSON.stringify(seen.headers)).not.to.include(gw.key);
  });

  it('keeps a session on one account', async () => {
    const other = await startFakeEchoUpstream({ apiKey: API_KEY, intervalMs: 5 });
    try {
      const gw = await start([{}, { baseUrl: other.url }]);
      for (let round = 0; round < 4; round += 1) {
        const res = await sendRequest(`${gw.url}/echo/v1/echo`, {
          headers: { ...auth(), 'x-echo-session': 'conversation-1' },
          body: { model: 'echo-1', input: 'hi' },
        });
        expect(res.status, res.text()).to.equal(200);
      }
      const counts = [fake.requests.length, other.requests.length].sort();
      expect(counts, 'all four requests of the session went to one account').to.deep.equal([0, 4]);
    } finally {
      await other.close();
    }
  });

  it('prices echo-1 and echo-* models from the plugin price table', async () => {
    const gw = await start();
    for (const model of ['echo-1', 'echo-7']) {
      const res = await sendRequest(`${gw.url}/echo/v1/echo`, { headers: auth(), body: { model, input: 'a b c d' } });
      expect(res.status, res.text()).to.equal(200);
    }
    const records = await gw.usageRecords({ count: 2 });
    for (const record of records) {
      // 4 input tokens at $1/M + 4 output tokens at $2/M = 12 micro-dollars.
      expect(record.usage).to.include({ inputTokens: 4, outputTokens: 4 });
      expect(record.costMicros, `cost of ${record.model}`).to.equal(12);
    }
  });

  it('reports an account without baseUrl as a clear error, without calling anything', async () => {
    const gw = await start([{ baseUrl: null }]);
    const res = await sendRequest(`${gw.url}/echo/v1/echo`, { headers: auth(), body: { model: 'echo-1', input: 'hi' } });
    expect(res.status, res.text()).to.be.within(400, 599);
    expectEchoError(res, res.status);
    expect(fake.requests).to.have.length(0);
    expect(JSON.stringify(gw.logs), 'the operator sees why').to.include('baseUrl');
  });

  it('rejects an account whose apiKey fails the credential schema', async () => {
    const gw = await start([]);
    let failure: unknown;
    await gw.gateway
      .createAccount({ type: 'echo-key', name: 'tiny', credentials: { apiKey: 'zq9x7', baseUrl: fake.url } })
      .catch((error: unknown) => {
        failure = error;
      });
    expect(failure, 'createAccount refuses an apiKey under 8 characters').to.be.instanceOf(Error);
    expect(String((failure as Error).message), 'the error does not repeat the secret').not.to.include('zq9x7');
  });
});
