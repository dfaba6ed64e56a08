/**
 * Anthropic sometimes answers 200 and then sends the failure as the stream's first
 * event (`event: error`, `overloaded_error`). The Claude protocol's `streamStartError`
 * reads it as the matching HTTP error (529 here), so the gateway cools the account down
 * and fails over while nothing reached the client (issue 14, item 7).
 */
import { expect } from 'chai';
import { createTestGateway, sendRequest, waitFor, writeSse, type FakeUpstream, type TestGateway } from '@switchyard/core/testing';
import { claudePlugin } from '../src/index.js';
import { anthropicStreamStartError } from '../src/anthropic-stream-start.js';
import { anthropicHandler, startFakeAnthropic } from './fake-anthropic-upstream.js';

const GOOD_KEY = 'sk-ant-api03-good-account-key-0001';
const OVERLOADED_KEY = 'sk-ant-api03-overloaded-account-key-0002';
const OVERLOADED_EVENT = { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } };

describe('claude: an error as the first stream event', function () {
  this.timeout(20_000);
  let fake: FakeUpstream;
  let tg: TestGateway | undefined;

  beforeEach(async () => {
    fake = await startFakeAnthropic({ intervalMs: 1 });
    const serve = anthropicHandler({ intervalMs: 1 });
    fake.setHandler((req, res) =>
      req.headers['x-api-key'] === OVERLOADED_KEY
        ? writeSse(res, [{ event: 'error', data: OVERLOADED_EVENT }], { headers: { 'request-id': 'req_overloaded' } })
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
      plugins: [claudePlugin],
      accounts: keys.map((apiKey, index) => ({
        type: 'claude-console',
        name: `console-${index + 1}`,
        priority: 10 + index,
        credentials: { apiKey, baseUrl: fake.url },
      })),
    });
    return tg;
  }
  const send = (gw: TestGateway) =>
    sendRequest(`${gw.url}/v1/messages`, {
      headers: { 'x-api-key': gw.key, 'anthropic-version': '2023-06-01' },
      body: { model: 'claude-sonnet-4-6', max_tokens: 5, stream: true, messages: [{ role: 'user', content: 'hi' }] },
    });

  it('fails over to the next account and cools the overloaded one down', async () => {
    const gw = await start([OVERLOADED_KEY, GOOD_KEY]);
    const res = await send(gw);
    expect(res.status).to.equal(200);
    expect(res.text()).to.match(/^event: message_start\n/);
    expect(res.text()).not.to.contain('overloaded_error');
    expect(fake.requests.map((request) => request.headers['x-api-key'])).to.deep.equal([OVERLOADED_KEY, GOOD_KEY]);
    const overloaded = gw.accountIds[0]!;
    const state = (await gw.gateway.store.accountState.getMany([overloaded])).get(overloaded);
    expect(state?.cooldownKind).to.equal('overloaded');
    expect(state?.coolingDownUntil).to.be.greaterThan(Date.now());
    const [record] = await waitFor(async () => {
      const records = await gw.gateway.store.usage.list();
      return records.length > 0 ? records : undefined;
    });
    expect(record!.accountId).to.equal(gw.accountIds[1]);
    expect(record!.usage.outputTokens).to.be.greaterThan(0);
  });

  it("answers 529 with Anthropic's error body when no other account can serve", async () => {
    const gw = await start([OVERLOADED_KEY]);
    const res = await send(gw);
    expect(res.status).to.equal(529);
    expect(res.headers['content-type']).to.match(/application\/json/);
    expect(res.json()).to.deep.equal(OVERLOADED_EVENT);
    expect(res.headers['request-id']).to.equal('req_overloaded');
  });

  it('reads each Anthropic error type as its HTTP status, and nothing else as an error', () => {
    const cases: Array<[string, number]> = [
      ['overloaded_error', 529],
      ['rate_limit_error', 429],
      ['api_error', 500],
      ['authentication_error', 401],
      ['permission_error', 403],
      ['invalid_request_error', 400],
      ['not_found_error', 404],
      ['request_too_large', 413],
      ['billing_error', 402],
      ['timeout_error', 504],
      ['some_new_error', 500],
    ];
    for (const [type, status] of cases) {
      const data = JSON.stringify({ type: 'error', error: { type, message: 'm' } });
      const answer = anthropicStreamStartError({ event: 'error', data });
      expect(answer?.status, type).to.equal(status);
      expect(answer?.body).to.equal(data);
    }
    expect(anthropicStreamStartError({ event: 'error', data: 'not json' })?.status).to.equal(500);
    expect(JSON.parse(String(anthropicStreamStartError({ event: 'error', data: 'not json' })?.body))).to.have.nested.property(
      'error.type',
      'api_error',
    );
    expect(anthropicStreamStartError({ event: 'message_start', data: '{"type":"message_start","message":{}}' })).to.equal(
      undefined,
    );
    expect(anthropicStreamStartError({ event: 'ping', data: '{"type":"ping"}' })).to.equal(undefined);
  });
});
