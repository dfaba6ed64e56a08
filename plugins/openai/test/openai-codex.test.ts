/**
 * `openai-codex` against a local fake token endpoint and Codex backend: login (PKCE),
 * refresh ahead of expiry, usage windows kept on the account, a used-up window as
 * quota_exhausted, and an OpenAI chat client (official SDK, streamed tool call) served by
 * the Codex account through the chat -> responses translator.
 */
import { expect } from 'chai';
import OpenAI from 'openai';
import {
  createAuthFlowContext,
  createTestGateway,
  sendRequest,
  waitFor,
  writeSse,
  type TestGateway,
} from '@switchyard/core/testing';
import { openaiPlugin } from '../src/index.js';
import { codexUsageKey } from '../src/codex-usage-window.js';
import { CODEX_WINDOW_HEADERS, startFakeCodex } from './fake-codex-backend.js';

type Fake = Awaited<ReturnType<typeof startFakeCodex>>;

const options = (fake: Fake) => ({
  codex: {
    clientId: 'codex-test-client',
    tokenUrl: `${fake.url}/oauth/token`,
    authorizationUrl: `${fake.url}/oauth/authorize`,
    endpoint: `${fake.url}/backend-api/codex`,
  },
});

describe('openai-codex accounts', () => {
  let fake: Fake;
  let tg: TestGateway | undefined;
  beforeEach(async () => {
    fake = await startFakeCodex();
  });
  afterEach(async () => {
    await tg?.close();
    tg = undefined;
    await fake.close();
  });

  async function gateway(credentials: Record<string, unknown>): Promise<TestGateway> {
    tg = await createTestGateway({
      plugins: [openaiPlugin],
      accounts: [{ type: 'openai-codex', name: 'codex', credentials }],
      config: { pluginOptions: { openai: options(fake) } },
    });
    return tg;
  }

  it('logs in with PKCE and reads the ChatGPT account id from the id token', async () => {
    // The gateway instantiates the plugin with the options; its flow is then driven as the admin would.
    const plugin = openaiPlugin;
    tg = await createTestGateway({ plugins: [plugin], config: { pluginOptions: { openai: options(fake) } } });
    const type = tg.gateway.registry.accountType('openai-codex')!.definition;
    const flow = type.authFlows![0]!;
    const context = createAuthFlowContext();
    const started = await flow.start(context);
    const url = new URL(started.authorizationUrl!);
    expect(url.pathname).to.equal('/oauth/authorize');
    expect(url.searchParams.get('code_challenge_method')).to.equal('S256');
    expect(url.searchParams.get('scope')).to.equal('openid profile email offline_access');
    const done = await flow.complete(context, started.state, {
      code: `http://localhost:1455/auth/callback?code=${fake.state.code}&state=${String(started.state.state)}`,
    });
    expect(done).to.deep.include({ status: 'done', suggestedName: 'codex dev@example.com' });
    expect((done as { credentials: unknown }).credentials).to.deep.include({
      accessToken: 'codex-issued-1',
      refreshToken: 'codex-refresh-1',
      accountId: 'acct-42',
    });
  });

  it('refreshes ahead of expiry and keeps the usage windows on the account', async () => {
    const tg = await gateway({
      accessToken: 'codex-access-1',
      refreshToken: 'codex-refresh-1',
      expiresAt: Date.now() + 30_000,
      accountId: 'acct-42',
    });
    const client = new OpenAI({ apiKey: tg.key, baseURL: `${tg.url}/openai/v1`, maxRetries: 0 });
    const answer = await client.responses.create({ model: 'gpt-5', input: 'hi' });
    expect(answer.output_text).to.equal('Hello there from the fake upstream');
    expect(fake.requests.map((request) => request.path)).to.deep.equal(['/oauth/token', '/backend-api/codex/responses']);
    expect(fake.requests[1]!.headers.authorization).to.equal('Bearer codex-issued-1');
    const snapshot = await waitFor(() =>
      tg.gateway.store.pluginKv.get<Record<string, unknown>>('openai', codexUsageKey(tg.accountIds[0]!)),
    );
    expect(snapshot).to.deep.include({
      primary: { usedPercent: 42, windowMinutes: 300, resetAfterSeconds: 3600 },
      secondary: { usedPercent: 7, windowMinutes: 10080, resetAfterSeconds: 86400 },
    });
  });

  it('treats usage_limit_reached as a used-up window until its reset', async () => {
    const tg = await gateway({
      accessToken: 'codex-access-1',
      refreshToken: 'codex-refresh-1',
      expiresAt: Date.now() + 3_600_000,
      accountId: 'acct-42',
    });
    fake.setHandler((_req, res) => {
      res
        .writeHead(429, { 'content-type': 'application/json', ...CODEX_WINDOW_HEADERS, 'x-codex-primary-used-percent': '100' })
        .end(JSON.stringify({ error: { type: 'usage_limit_reached', message: 'limit', resets_in_seconds: 1800 } }));
    });
    const res = await sendRequest(`${tg.url}/openai/v1/responses`, {
      headers: { authorization: `Bearer ${tg.key}` },
      body: { model: 'gpt-5', input: 'hi' },
    });
    expect(res.status).to.equal(429);
    const line = tg.logs.find((entry) => entry.kind === 'quota_exhausted');
    expect(line, 'logged as quota_exhausted').not.to.equal(undefined);
    expect(Number(line!.cooldownMs)).to.be.at.least(1_800_000 - 5_000);
  });

  it('serves an OpenAI SDK chat stream with a tool call through the chat -> responses translator', async () => {
    const tg = await gateway({
      accessToken: 'codex-access-1',
      refreshToken: 'codex-refresh-1',
      expiresAt: Date.now() + 3_600_000,
      accountId: 'acct-42',
    });
    fake.setHandler(async (_req, res) => {
      const call = { id: 'fc_1', type: 'function_call', call_id: 'call_9', name: 'get_weather', arguments: '' };
      const usage = {
        input_tokens: 30,
        input_tokens_details: { cached_tokens: 10 },
        output_tokens: 6,
        output_tokens_details: { reasoning_tokens: 0 },
      };
      await writeSse(
        res,
        [
          { data: { type: 'response.created', response: { id: 'resp_7', model: 'gpt-5-codex', status: 'in_progress' } } },
          { data: { type: 'response.output_item.added', output_index: 0, item: call } },
          { data: { type: 'response.function_call_arguments.delta', item_id: 'fc_1', output_index: 0, delta: '{"city":' } },
          { data: { type: 'response.function_call_arguments.delta', item_id: 'fc_1', output_index: 0, delta: '"Oslo"}' } },
          { data: { type: 'response.output_item.done', output_index: 0, item: { ...call, arguments: '{"city":"Oslo"}' } } },
          {
            data: {
              type: 'response.completed',
              response: { id: 'resp_7', model: 'gpt-5-codex', status: 'completed', output: [], usage },
            },
          },
        ],
        { intervalMs: 5, headers: CODEX_WINDOW_HEADERS },
      );
    });
    const client = new OpenAI({ apiKey: tg.key, baseURL: `${tg.url}/openai/v1`, maxRetries: 0 });
    const stream = await client.chat.completions.create({
      model: 'gpt-5-codex',
      messages: [
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: 'Weather in Oslo?' },
      ],
      tools: [
        {
          type: 'function',
          function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
        },
      ],
      stream: true,
      stream_options: { include_usage: true },
    });
    let args = '';
    let name: string | undefined;
    let finish: string | null = null;
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of stream) {
      for (const call of chunk.choices[0]?.delta.tool_calls ?? []) {
        name ??= call.function?.name;
        args += call.function?.arguments ?? '';
      }
      finish = chunk.choices[0]?.finish_reason ?? finish;
      usage = chunk.usage ?? usage;
    }
    expect({ name, args: JSON.parse(args), finish }).to.deep.equal({
      name: 'get_weather',
      args: { city: 'Oslo' },
      finish: 'tool_calls',
    });
    expect(usage).to.deep.include({ prompt_tokens: 30, completion_tokens: 6 });
    const sent = fake.requests[0]!.json<Record<string, unknown>>();
    expect(sent).to.deep.include({ model: 'gpt-5-codex', instructions: 'You are terse.', stream: true, store: false });
    const [record] = await waitFor(async () => {
      const list = await tg.gateway.store.usage.list();
      return list.length > 0 ? list : undefined;
    });
    expect(record).to.deep.include({ accountId: tg.accountIds[0], accountType: 'openai-codex', protocol: 'openai-chat' });
    expect(record!.usage).to.include({ inputTokens: 20, cacheReadTokens: 10, outputTokens: 6 });
  });
});
