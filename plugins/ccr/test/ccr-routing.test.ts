/**
 * Which requests reach a CCR account: only models named `ccr,…` (the type claims the
 * prefix), never an unprefixed model, and a `ccr,` model never reaches another account
 * type, even one admitting every model; with no CCR account the client gets a 404 in
 * Anthropic's error shape. Upstream gets the model without the prefix and the client's
 * other fields, headers and query as they came, with the account's key.
 */
import { expect } from 'chai';
import { createTestGateway, sendRequest, type FakeUpstream, type TestGateway } from '@switchyard/core/testing';
import { claudePlugin } from '@switchyard/plugin-claude';
import { openaiPlugin } from '@switchyard/plugin-openai';
import { ccrPlugin } from '../src/index.js';
import { startFakeCcr } from './fake-ccr-upstream.js';

const ROUTER_KEY = 'ccr-routing-router-key-1f3a';
const CONSOLE_KEY = 'sk-ant-api03-routing-console-77b2';

describe('ccr routing', function () {
  this.timeout(20_000);
  let router: FakeUpstream;
  let anthropic: FakeUpstream;
  let tg: TestGateway | undefined;

  beforeEach(async () => {
    router = await startFakeCcr({ credential: ROUTER_KEY });
    anthropic = await startFakeCcr({ credential: CONSOLE_KEY });
  });
  afterEach(async () => {
    await tg?.close();
    tg = undefined;
    await router.close();
    await anthropic.close();
  });

  const ccrAccount = (settings: Record<string, unknown> = {}, priority = 10) => ({
    type: 'ccr',
    name: 'router',
    priority,
    settings,
    credentials: { apiKey: ROUTER_KEY, baseUrl: router.url },
  });
  const consoleAccount = (settings: Record<string, unknown> = {}) => ({
    type: 'claude-console',
    name: 'console',
    priority: 50,
    settings,
    credentials: { apiKey: CONSOLE_KEY, baseUrl: anthropic.url },
  });
  const start = async (accounts: Record<string, unknown>[]) =>
    (tg = await createTestGateway({ plugins: [claudePlugin, ccrPlugin], accounts: accounts as never }));
  const post = (gateway: TestGateway, body: Record<string, unknown>, path = '/api/v1/messages') =>
    sendRequest(`${gateway.url}${path}`, {
      headers: { 'x-api-key': gateway.key, 'anthropic-version': '2023-06-01', 'anthropic-beta': 'test-beta-1' },
      body,
    });

  it('sends a ccr, model to the CCR account, the prefix removed and everything else as the client sent it', async () => {
    const gateway = await start([ccrAccount({}, 90), consoleAccount({ models: ['*'] })]);
    const body = {
      model: 'ccr,openrouter,deepseek/deepseek-chat',
      max_tokens: 64,
      system: 'be brief',
      metadata: { user_id: 'u-1' },
      unknown_field: { kept: [1, 2, 3] },
      messages: [{ role: 'user', content: 'héllo' }],
    };
    const res = await post(gateway, body, '/api/v1/messages?beta=true');
    expect(res.status, res.text()).to.equal(200);
    expect(anthropic.requests).to.have.length(0);
    const seen = router.requests[0]!;
    expect(seen.url).to.equal('/v1/messages?beta=true');
    expect(seen.json()).to.deep.equal({ ...body, model: 'openrouter,deepseek/deepseek-chat' });
    expect(seen.headers.authorization).to.equal(`Bearer ${ROUTER_KEY}`);
    expect(seen.headers['x-api-key']).to.equal(undefined);
    expect(seen.headers['anthropic-beta']).to.equal('test-beta-1');
    expect(seen.headers['anthropic-version']).to.equal('2023-06-01');
    // Its ccr, models are in no price table by design: no startup warning that it can serve nothing.
    expect(gateway.logs.some((line) => String(line.msg ?? line.message).includes('can serve no request'))).to.equal(false);
  });

  it('never chooses a CCR account for an unprefixed model, even one admitting every model', async () => {
    const gateway = await start([ccrAccount({ models: ['*'] }), consoleAccount()]);
    const res = await post(gateway, { model: 'claude-sonnet-4-5', max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] });
    expect(res.status, res.text()).to.equal(200);
    expect(router.requests).to.have.length(0);
    expect(anthropic.requests).to.have.length(1);
    expect(anthropic.requests[0]!.json()).to.include({ model: 'claude-sonnet-4-5' });
  });

  it('answers 404 in Anthropic shape for an unprefixed model when only a CCR account exists', async () => {
    const gateway = await start([ccrAccount({ models: ['*'] })]);
    const res = await post(gateway, { model: 'claude-sonnet-4-5', max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] });
    expect(res.status, res.text()).to.equal(404);
    expect(res.json()).to.deep.include({ type: 'error' });
    expect((res.json() as { error: { type: string } }).error.type).to.equal('not_found_error');
    expect(router.requests).to.have.length(0);
  });

  it('never sends a ccr, model to another account type, even one admitting every model: 404 in Anthropic shape', async () => {
    const gateway = await start([consoleAccount({ models: ['*'] })]);
    const res = await post(gateway, {
      model: 'ccr,openrouter,deepseek/deepseek-chat',
      max_tokens: 8,
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(res.status, res.text()).to.equal(404);
    const error = (res.json() as { type: string; error: { type: string; message: string } }).error;
    expect(error.type).to.equal('not_found_error');
    expect(error.message).to.include('ccr,openrouter,deepseek/deepseek-chat');
    expect(anthropic.requests).to.have.length(0);
  });

  it('narrows to the ccr, patterns the account lists', async () => {
    const gateway = await start([ccrAccount({ models: ['ccr,openrouter,*'] })]);
    const ok = await post(gateway, { model: 'ccr,openrouter,x/y', max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] });
    expect(ok.status, ok.text()).to.equal(200);
    const refused = await post(gateway, {
      model: 'ccr,deepseek,deepseek-chat',
      max_tokens: 8,
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(refused.status, refused.text()).to.equal(404);
    expect(router.requests).to.have.length(1);
  });

  it('relays count_tokens to the router with the prefix removed', async () => {
    const gateway = await start([ccrAccount()]);
    const res = await post(
      gateway,
      { model: 'ccr,openrouter,deepseek/deepseek-chat', messages: [{ role: 'user', content: 'hi' }] },
      '/api/v1/messages/count_tokens',
    );
    expect(res.status, res.text()).to.equal(200);
    expect(res.json()).to.deep.equal({ input_tokens: 7 });
    expect(router.requests[0]!.path).to.equal('/v1/messages/count_tokens');
    expect(router.requests[0]!.json()).to.include({ model: 'openrouter,deepseek/deepseek-chat' });
  });

  it('lists the exact ccr, models of CCR accounts in the model list, and no ccr, model for other accounts', async () => {
    const gateway = await start([
      ccrAccount({ models: ['ccr,openrouter,deepseek/deepseek-chat', 'ccr,openrouter,*'] }),
      consoleAccount({ models: ['*', 'ccr,sneaky,model'] }),
    ]);
    const res = await sendRequest(`${gateway.url}/api/v1/models`, {
      method: 'GET',
      headers: { 'x-api-key': gateway.key, 'anthropic-version': '2023-06-01' },
    });
    expect(res.status, res.text()).to.equal(200);
    const ids = (res.json() as { data: { id: string }[] }).data.map((model) => model.id);
    expect(ids).to.include('ccr,openrouter,deepseek/deepseek-chat');
    expect(ids).to.include('claude-sonnet-4-5');
    expect(ids.filter((id) => id.startsWith('ccr,'))).to.deep.equal(['ccr,openrouter,deepseek/deepseek-chat']);
  });

  it('serves an OpenAI chat client naming a ccr, model, through the openai-chat -> anthropic-messages translator', async () => {
    tg = await createTestGateway({ plugins: [claudePlugin, openaiPlugin, ccrPlugin], accounts: [ccrAccount() as never] });
    const res = await sendRequest(`${tg.url}/openai/v1/chat/completions`, {
      headers: { authorization: `Bearer ${tg.key}` },
      body: { model: 'ccr,openrouter,deepseek/deepseek-chat', messages: [{ role: 'user', content: 'hi' }] },
    });
    expect(res.status, res.text()).to.equal(200);
    const answer = res.json() as { object: string; choices: { message: { content: string } }[] };
    expect(answer.object).to.equal('chat.completion');
    expect(answer.choices[0]!.message.content).to.equal('Hello from the fake router upstream.');
    const seen = router.requests[0]!;
    expect(seen.path).to.equal('/v1/messages');
    expect(seen.json()).to.include({ model: 'openrouter,deepseek/deepseek-chat' });
    expect(seen.headers['anthropic-version']).to.equal('2023-06-01');
  });
});
