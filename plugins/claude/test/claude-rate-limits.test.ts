/**
 * Subscription rate limits in a gateway: a 429 on a per-family weekly window leaves the
 * account serving the other families, and an account set to pause on the 5-hour
 * window's warning is left out until the window resets.
 */
import { expect } from 'chai';
import { createTestGateway, sendRequest, type FakeUpstream, type TestGateway } from '@switchyard/core/testing';
import { claudePlugin } from '../src/index.js';
import { anthropicHandler, startFakeAnthropic, writeAnthropicError, writeAnthropicUnary } from './fake-anthropic-upstream.js';

describe('claude subscription rate limits', function () {
  this.timeout(20_000);
  let first: FakeUpstream;
  let second: FakeUpstream;
  let tg: TestGateway | undefined;

  beforeEach(async () => {
    first = await startFakeAnthropic();
    second = await startFakeAnthropic();
  });
  afterEach(async () => {
    await tg?.close();
    tg = undefined;
    await first.close();
    await second.close();
  });

  const ask = (model: string) =>
    sendRequest(`${tg!.url}/api/v1/messages`, {
      headers: { 'x-api-key': tg!.key },
      body: { model, max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] },
    });

  it('limits only the family of a per-family weekly window', async () => {
    const reset = Math.floor(Date.now() / 1000) + 3600;
    const normal = anthropicHandler();
    first.setHandler(async (req, res) => {
      if (req.json<{ model: string }>().model.startsWith('claude-opus')) {
        res.setHeader('anthropic-ratelimit-unified-reset', String(reset));
        res.setHeader('anthropic-ratelimit-unified-representative-claim', 'seven_day_opus');
        return writeAnthropicError(res, 429, 'rate limited');
      }
      await normal(req, res);
    });
    tg = await createTestGateway({
      plugins: [claudePlugin],
      accounts: [
        {
          type: 'claude-console',
          name: 'first',
          priority: 10,
          credentials: { apiKey: 'sk-ant-api03-first-000000', baseUrl: first.url },
        },
        {
          type: 'claude-console',
          name: 'second',
          priority: 20,
          credentials: { apiKey: 'sk-ant-api03-second-00000', baseUrl: second.url },
        },
      ],
    });
    expect((await ask('claude-opus-4-8')).status, 'failed over to the second account').to.equal(200);
    expect(second.requests).to.have.length(1);
    const state = (await tg.gateway.store.accountState.getMany([tg.accountIds[0]!])).get(tg.accountIds[0]!);
    expect(state?.coolingDownUntil ?? 0, 'no account-wide cooldown').to.be.at.most(Date.now());

    expect((await ask('claude-sonnet-4-6')).status).to.equal(200);
    expect(first.requests, 'sonnet still served by the first account').to.have.length(2);
    expect((await ask('claude-opus-4-7')).status).to.equal(200);
    expect(first.requests, 'opus skips the first account').to.have.length(2);
    expect(second.requests).to.have.length(2);
  });

  it('pauses an account whose 5-hour window warns, when its settings ask for it', async () => {
    const reset = String(Math.floor(Date.now() / 1000) + 3600);
    first.setHandler((_req, res) =>
      writeAnthropicUnary(res, {
        headers: { 'anthropic-ratelimit-unified-5h-status': 'allowed_warning', 'anthropic-ratelimit-unified-5h-reset': reset },
      }),
    );
    const credentials = (url: string) => ({ accessToken: 'sk-ant-oat01-pause-test-token', baseUrl: url });
    tg = await createTestGateway({
      plugins: [claudePlugin],
      accounts: [
        {
          type: 'claude-oauth',
          name: 'paused',
          priority: 10,
          credentials: credentials(first.url),
          settings: { pauseOnFiveHourWarning: true },
        },
        { type: 'claude-oauth', name: 'other', priority: 20, credentials: credentials(second.url) },
      ],
    });
    for (let round = 0; round < 3; round += 1) expect((await ask('claude-sonnet-4-6')).status).to.equal(200);
    expect(first.requests, 'one answer with the warning, then paused').to.have.length(1);
    expect(second.requests).to.have.length(2);
  });

  it('keeps using an account whose 5-hour window warns without that setting', async () => {
    const reset = String(Math.floor(Date.now() / 1000) + 3600);
    first.setHandler((_req, res) =>
      writeAnthropicUnary(res, {
        headers: { 'anthropic-ratelimit-unified-5h-status': 'allowed_warning', 'anthropic-ratelimit-unified-5h-reset': reset },
      }),
    );
    tg = await createTestGateway({
      plugins: [claudePlugin],
      accounts: [
        {
          type: 'claude-oauth',
          name: 'warned',
          priority: 10,
          credentials: { accessToken: 'sk-ant-oat01-warned-token-0', baseUrl: first.url },
        },
        {
          type: 'claude-oauth',
          name: 'other',
          priority: 20,
          credentials: { accessToken: 'sk-ant-oat01-other-token-00', baseUrl: second.url },
        },
      ],
    });
    for (let round = 0; round < 3; round += 1) expect((await ask('claude-sonnet-4-6')).status).to.equal(200);
    expect(first.requests).to.have.length(3);
  });
});
