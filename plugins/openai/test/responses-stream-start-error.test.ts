/**
 * A Responses stream whose first event is `error` or `response.failed` (a 200 that is
 * really a rate limit or a server error) is read as that HTTP error: the account cools
 * down and the request fails over while nothing reached the client (issue 14, item 7).
 */
import { expect } from 'chai';
import { createTestGateway, sendRequest, writeSse, type FakeUpstream, type TestGateway } from '@switchyard/core/testing';
import openaiPlugin from '../src/index.js';
import { responsesStreamStartError } from '../src/responses-stream-start.js';
import { openAiHandler, startFakeOpenAi } from './fake-openai-upstream.js';

const LIMITED_KEY = 'sk-openai-limited-0123456789';
const GOOD_KEY = 'sk-openai-good-0123456789';
const RATE_LIMITED = {
  type: 'error',
  code: 'rate_limit_exceeded',
  message: 'Rate limit reached for gpt-5',
  param: null,
  sequence_number: 0,
};

describe('openai-responses: an error as the first stream event', function () {
  this.timeout(20_000);
  let fake: FakeUpstream;
  let tg: TestGateway | undefined;

  beforeEach(async () => {
    fake = await startFakeOpenAi();
    const serve = openAiHandler({ intervalMs: 1 });
    fake.setHandler((req, res) =>
      req.headers.authorization === `Bearer ${LIMITED_KEY}`
        ? writeSse(res, [{ event: 'error', data: RATE_LIMITED }])
        : serve(req, res),
    );
  });
  afterEach(async () => {
    await tg?.close();
    tg = undefined;
    await fake.close();
  });

  async function start(keys: readonly string[]): Promise<TestGateway> {
    tg = await createTestGateway({
      plugins: [openaiPlugin],
      accounts: keys.map((apiKey, index) => ({
        type: 'openai-api',
        name: `api-${index + 1}`,
        priority: 10 + index,
        credentials: { apiKey, baseUrl: `${fake.url}/v1` },
      })),
    });
    return tg;
  }
  const send = (gw: TestGateway) =>
    sendRequest(`${gw.url}/openai/v1/responses`, {
      headers: { authorization: `Bearer ${gw.key}` },
      body: { model: 'gpt-5', input: 'hi', stream: true },
    });

  it('fails over to the next account and cools the rate-limited one down', async () => {
    const gw = await start([LIMITED_KEY, GOOD_KEY]);
    const res = await send(gw);
    expect(res.status).to.equal(200);
    expect(res.text()).to.match(/^event: response\.created\n/);
    expect(res.text()).to.contain('response.completed');
    const limited = gw.accountIds[0]!;
    expect((await gw.gateway.store.accountState.getMany([limited])).get(limited)?.cooldownKind).to.equal('rate_limited');
  });

  it('answers 429 in OpenAI error JSON when no other account can serve', async () => {
    const gw = await start([LIMITED_KEY]);
    const res = await send(gw);
    expect(res.status).to.equal(429);
    expect(res.json()).to.deep.equal({
      error: { message: 'Rate limit reached for gpt-5', type: 'rate_limit_error', param: null, code: 'rate_limit_exceeded' },
    });
  });

  it('reads response.failed as its error code, and leaves response.created alone', () => {
    const failed = responsesStreamStartError({
      event: 'response.failed',
      data: JSON.stringify({
        type: 'response.failed',
        response: { status: 'failed', error: { code: 'server_error', message: 'boom' } },
      }),
    });
    expect(failed?.status).to.equal(500);
    expect(JSON.parse(String(failed?.body))).to.deep.equal({
      error: { message: 'boom', type: 'server_error', param: null, code: 'server_error' },
    });
    expect(
      responsesStreamStartError({ event: 'error', data: JSON.stringify({ code: 'insufficient_quota', message: 'q' }) })?.status,
    ).to.equal(429);
    expect(responsesStreamStartError({ event: 'error', data: 'not json' })?.status).to.equal(500);
    expect(responsesStreamStartError({ event: 'response.created', data: '{"type":"response.created"}' })).to.equal(undefined);
  });
});
