/**
 * The Droid plugin in a gateway next to other providers' accounts: the `/droid` routes
 * reach only droid accounts (and droid accounts also serve the general routes), each
 * protocol goes to its Factory endpoint with the client's headers, query and bytes
 * unchanged and only the credential set, an account's `endpoints` setting and token
 * counts keep it off requests it cannot serve, streamed chat is counted even when the
 * client did not ask for usage, the model lists, and the `droid-cli` client detector.
 */
import { expect } from 'chai';
import { createTestGateway, sendRequest, startFakeUpstream, type FakeUpstream, type TestGateway } from '@switchyard/core/testing';
import claudePlugin from '@switchyard/plugin-claude';
import openaiPlugin from '@switchyard/plugin-openai';
import droidPlugin from '../src/index.js';
import { CHAT_USAGE, startFakeFactory, writeAnthropicUnary } from './fake-factory.js';

const FACTORY_KEY = 'fk-gateway-test-key-4d2a';
const CONSOLE_KEY = 'sk-ant-api03-console-key-for-droid-tests';
const plugins = [claudePlugin, openaiPlugin, droidPlugin];
const messages = { model: 'claude-sonnet-4-5', max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] };

describe('droid plugin in a gateway', function () {
  this.timeout(30_000);
  let factory: FakeUpstream;
  let anthropic: FakeUpstream;
  let tg: TestGateway | undefined;

  async function start(options: { settings?: Record<string, unknown>; console?: boolean; keys?: object[] } = {}) {
    const accounts: Array<NonNullable<Parameters<typeof createTestGateway>[0]['accounts']>[number]> = [
      {
        type: 'droid',
        name: 'factory',
        credentials: { apiKeys: [FACTORY_KEY], baseUrl: factory.url },
        settings: options.settings ?? {},
      },
    ];
    if (options.console) {
      accounts.push({
        type: 'claude-console',
        name: 'console',
        credentials: { apiKey: CONSOLE_KEY, baseUrl: anthropic.url },
        priority: 1,
      });
    }
    tg = await createTestGateway({ plugins, accounts, ...(options.keys ? { keys: options.keys as never } : {}) });
    return tg;
  }
  const claude = (gateway: TestGateway, path: string, headers: Record<string, string> = {}, body: unknown = messages) =>
    sendRequest(`${gateway.url}${path}`, {
      headers: { 'x-api-key': gateway.key, 'anthropic-version': '2023-06-01', ...headers },
      body,
    });

  beforeEach(async () => {
    factory = await startFakeFactory({ accept: [FACTORY_KEY] });
    anthropic = await startFakeUpstream((_req, res) => writeAnthropicUnary(res));
  });
  afterEach(async () => {
    await tg?.close();
    tg = undefined;
    await factory.close();
    await anthropic.close();
  });

  it('serves /droid routes with droid accounts only, while the general routes may use any account', async () => {
    // The console account has the better priority: the general route picks it, the /droid route never does.
    const gateway = await start({ console: true });
    expect((await claude(gateway, '/droid/claude/v1/messages')).status).to.equal(200);
    expect(factory.requests).to.have.length(1);
    expect(anthropic.requests).to.have.length(0);
    expect((await claude(gateway, '/api/v1/messages')).status).to.equal(200);
    expect(anthropic.requests).to.have.length(1);
    const [general, droid] = await gateway.usageRecords({ count: 2 });
    expect(droid!.accountType).to.equal('droid');
    expect(general!.accountType).to.equal('claude-console');
  });

  it('relays the client headers, query and bytes to the endpoint of each protocol, setting only the credential', async () => {
    const gateway = await start();
    const raw = '{"model":"claude-sonnet-4-5",  "max_tokens":8,"messages":[{"role":"user","content":"caf\\u00e9"}]}';
    const headers = {
      'user-agent': 'factory-cli/0.31.0',
      'x-factory-client': 'cli',
      'anthropic-beta': 'interleaved-thinking-2025-05-14',
      'content-type': 'application/json',
    };
    const res = await sendRequest(`${gateway.url}/droid/claude/v1/messages?beta=true`, {
      headers: { ...headers, authorization: `Bearer ${gateway.key}`, 'anthropic-version': '2023-06-01' },
      body: raw,
    });
    expect(res.status, res.text()).to.equal(200);
    const [upstream] = factory.requests;
    expect(upstream!.url).to.equal('/api/llm/a/v1/messages?beta=true');
    expect(upstream!.text()).to.equal(raw);
    expect(upstream!.headers).to.include({
      ...headers,
      authorization: `Bearer ${FACTORY_KEY}`,
      'anthropic-version': '2023-06-01',
    });
    expect(upstream!.headers['x-api-key']).to.equal(undefined);

    const openai = (path: string, body: unknown) =>
      sendRequest(`${gateway.url}${path}`, { headers: { authorization: `Bearer ${gateway.key}` }, body });
    expect((await openai('/droid/openai/v1/responses', { model: 'gpt-5', input: 'hi' })).status).to.equal(200);
    expect((await openai('/droid/openai/responses', { model: 'gpt-5-codex', input: 'hi' })).status).to.equal(200);
    const chat = { model: 'glm-4.6', messages: [{ role: 'user', content: 'hi' }] };
    expect((await openai('/droid/comm/v1/chat/completions', chat)).status).to.equal(200);
    expect(factory.requests.map((request) => request.path)).to.deep.equal([
      '/api/llm/a/v1/messages',
      '/api/llm/o/v1/responses',
      '/api/llm/o/v1/responses',
      '/api/llm/o/v1/chat/completions',
    ]);
    expect(factory.requests.every((request) => request.headers.authorization === `Bearer ${FACTORY_KEY}`)).to.equal(true);
  });

  it('keeps an account to the endpoints its settings allow, and off token counts', async () => {
    const gateway = await start({ settings: { endpoints: ['openai'] } });
    const res = await claude(gateway, '/droid/claude/v1/messages');
    expect(res.status).to.equal(503);
    expect(res.json()).to.have.nested.property('error.type');
    const count = await claude(gateway, '/api/v1/messages/count_tokens', {}, { model: 'claude-sonnet-4-5', messages: [] });
    expect(count.status).to.equal(503);
    expect(factory.requests).to.have.length(0);
    const ok = await sendRequest(`${gateway.url}/droid/openai/v1/responses`, {
      headers: { authorization: `Bearer ${gateway.key}` },
      body: { model: 'gpt-5', input: 'hi' },
    });
    expect(ok.status).to.equal(200);
  });

  it('counts a streamed chat answer the client asked no usage for, without showing it the usage chunk', async () => {
    const gateway = await start();
    const res = await sendRequest(`${gateway.url}/droid/comm/v1/chat/completions`, {
      headers: { authorization: `Bearer ${gateway.key}` },
      body: { model: 'glm-4.6', messages: [{ role: 'user', content: 'hi' }], stream: true },
    });
    expect(res.status).to.equal(200);
    expect(res.text()).to.include('data: [DONE]');
    expect(res.text()).not.to.include('"usage"');
    expect(factory.requests[0]!.json()).to.have.deep.property('stream_options', { include_usage: true });
    const [record] = await gateway.usageRecords();
    expect(record!.usage).to.include({ inputTokens: CHAT_USAGE.prompt_tokens, outputTokens: CHAT_USAGE.completion_tokens });
    expect(record!.model).to.equal('glm-4.6');
  });

  it('lists the models of each /droid family in its protocol shape', async () => {
    const gateway = await start({ settings: { models: ['claude-sonnet-4-5', 'gpt-5', 'glm-4.6'] } });
    const list = (path: string) =>
      sendRequest(`${gateway.url}${path}`, { method: 'GET', headers: { authorization: `Bearer ${gateway.key}` } });
    const anthropicList = await list('/droid/claude/v1/models');
    expect(anthropicList.json<{ data: Array<{ id: string; type: string }> }>().data.map((model) => model.id)).to.include(
      'claude-sonnet-4-5',
    );
    const openaiList = await list('/droid/comm/v1/models');
    expect(openaiList.json()).to.have.property('object', 'list');
    expect(openaiList.json<{ data: Array<{ id: string }> }>().data.map((model) => model.id)).to.include('glm-4.6');
    expect((await list('/droid/openai/v1/models')).status).to.equal(200);
  });

  it('recognises Droid CLI for keys restricted to it, by user-agent or x-factory-client', async () => {
    const gateway = await start({ keys: [{ name: 'droid-only', limits: { clients: ['droid-cli'] } }] });
    const send = (headers: Record<string, string>) => claude(gateway, '/droid/claude/v1/messages', headers);
    expect((await send({ 'user-agent': 'factory-cli/0.19.3' })).status).to.equal(200);
    expect((await send({ 'user-agent': 'node', 'x-factory-client': 'droid' })).status).to.equal(200);
    const claudeCode = await send({ 'user-agent': 'claude-cli/2.1.197 (external, sdk-cli)' });
    expect(claudeCode.status).to.equal(403);
    expect(claudeCode.json()).to.have.nested.property('error.type', 'permission_error');
  });
});
