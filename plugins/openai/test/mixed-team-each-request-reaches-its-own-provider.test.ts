/**
 * A mixed team (issue 15): one `claude-console` account and one `openai-api` account,
 * neither listing models, each against its own fake upstream on 127.0.0.1. Every request
 * reaches only the provider that serves its model, on the Anthropic route and on both
 * OpenAI chat routes (where Claude models go through the chat -> Anthropic translator);
 * the same with the Claude account narrowed to `claude-sonnet-*`. A model no account
 * admits is a 404 in each route's protocol shape, naming the model and what the key can
 * use; when every account that admits it is paused, a 503 with Retry-After.
 */
import { expect } from 'chai';
import type http from 'node:http';
import {
  createTestGateway,
  sendRequest,
  startFakeUpstream,
  waitFor,
  type FakeUpstream,
  type RecordedRequest,
  type TestGateway,
} from '@switchyard/core/testing';
import { claudePlugin } from '@switchyard/plugin-claude';
import { geminiPlugin } from '@switchyard/plugin-gemini';
import { openaiPlugin } from '../src/index.js';
import { chatCompletion } from './fake-openai-upstream.js';

const ANTHROPIC_KEY = 'sk-ant-mixed-team-0123456789';
const OPENAI_KEY = 'sk-openai-mixed-team-0123456789';
const ROUTES = ['/api/v1/messages', '/openai/v1/chat/completions', '/api/v1/chat/completions'] as const;
const CLAUDE_MODELS = ['claude-sonnet-4-6', 'claude-sonnet-4-5'];
const GPT_MODELS = ['gpt-4.1-mini', 'gpt-5'];

function anthropicAnswer(req: RecordedRequest, res: http.ServerResponse): void {
  const model = req.json<{ model: string }>().model;
  res.writeHead(200, { 'content-type': 'application/json' }).end(
    JSON.stringify({
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      model,
      stop_reason: 'end_turn',
      stop_sequence: null,
      content: [{ type: 'text', text: 'from anthropic' }],
      usage: { input_tokens: 3, output_tokens: 2 },
    }),
  );
}

function openAiAnswer(req: RecordedRequest, res: http.ServerResponse): void {
  res
    .writeHead(200, { 'content-type': 'application/json' })
    .end(JSON.stringify(chatCompletion('from openai', req.json<{ model: string }>().model)));
}

function bodyFor(route: string, model: string): Record<string, unknown> {
  const messages = [{ role: 'user', content: 'hi' }];
  return route.endsWith('/messages') ? { model, max_tokens: 16, messages } : { model, messages };
}

describe('a mixed team: every request reaches an account that really serves its model', () => {
  let anthropic: FakeUpstream;
  let openai: FakeUpstream;
  let tg: TestGateway | undefined;

  beforeEach(async () => {
    anthropic = await startFakeUpstream(anthropicAnswer);
    openai = await startFakeUpstream(openAiAnswer);
  });
  afterEach(async () => {
    await tg?.close();
    tg = undefined;
    await anthropic.close();
    await openai.close();
  });

  async function startTeam(
    claudeSettings: Record<string, unknown> = {},
    store: 'embedded' | 'redis' = 'embedded',
  ): Promise<TestGateway> {
    tg = await createTestGateway({
      store,
      keys: [
        { name: 'default' },
        { name: 'limited', limits: { models: { allow: ['claude-sonnet-*', 'mystery-*'] } } },
        { name: 'claude-only', limits: { binding: { account: 'team-claude' } } },
      ],
      plugins: [claudePlugin, openaiPlugin, geminiPlugin],
      accounts: [
        {
          id: 'team-claude',
          type: 'claude-console',
          name: 'team claude',
          credentials: { apiKey: ANTHROPIC_KEY, baseUrl: anthropic.url },
          settings: claudeSettings,
        },
        { type: 'openai-api', name: 'team openai', credentials: { apiKey: OPENAI_KEY, baseUrl: openai.url } },
      ],
    });
    return tg;
  }

  const send = (gateway: TestGateway, route: string, model: string) =>
    sendRequest(`${gateway.url}${route}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${gateway.key}` },
      body: bodyFor(route, model),
    });

  /**
   * 100 requests over the three routes; Claude models on every route, GPT models on the
   * chat routes, in an irregular order (runs of the same family, so least-recently-used
   * ordering alone cannot make the answer right).
   */
  async function sendMixed(gateway: TestGateway, claudeModels: readonly string[]): Promise<void> {
    for (let i = 0; i < 100; i++) {
      const route = ROUTES[i % ROUTES.length]!;
      const claude = route.endsWith('/messages') || (i * 7) % 5 < 2;
      const model = claude ? claudeModels[i % claudeModels.length]! : GPT_MODELS[i % GPT_MODELS.length]!;
      const response = await send(gateway, route, model);
      expect(response.status, `${route} ${model}: ${response.text()}`).to.equal(200);
    }
    const toAnthropic = anthropic.requests.map((req) => req.json<{ model: string }>().model);
    const toOpenAi = openai.requests.map((req) => req.json<{ model: string }>().model);
    expect(toAnthropic.length + toOpenAi.length).to.equal(100);
    expect(
      toAnthropic.filter((model) => !model.startsWith('claude-')),
      'non-Claude models sent to Anthropic',
    ).to.deep.equal([]);
    expect(
      toOpenAi.filter((model) => !model.startsWith('gpt-')),
      'non-GPT models sent to OpenAI',
    ).to.deep.equal([]);
    expect(anthropic.requests.every((req) => req.headers['x-api-key'] === ANTHROPIC_KEY)).to.equal(true);
    expect(openai.requests.every((req) => req.headers.authorization === `Bearer ${OPENAI_KEY}`)).to.equal(true);
    expect(toOpenAi.length).to.be.greaterThan(0);
  }

  it('sends each of 100 mixed requests only to its own provider when neither account lists models', async () => {
    await sendMixed(await startTeam(), CLAUDE_MODELS);
  });

  it('does the same with the Redis store', async () => {
    await sendMixed(await startTeam({}, 'redis'), CLAUDE_MODELS);
  });

  it('prefers the native account at equal priority when a translated one admits the model too', async () => {
    // An Anthropic-compatible endpoint that also lists GPT models: both accounts admit them.
    const gateway = await startTeam({ models: ['claude-sonnet-*', ...GPT_MODELS] });
    for (let i = 0; i < 10; i++) {
      const response = await send(gateway, ROUTES[1 + (i % 2)]!, GPT_MODELS[i % GPT_MODELS.length]!);
      expect(response.status, response.text()).to.equal(200);
    }
    expect(openai.requests).to.have.length(10);
    expect(anthropic.requests).to.have.length(0);
  });

  it('does the same when the Claude account narrows its models to claude-sonnet-*', async () => {
    const gateway = await startTeam({ models: ['claude-sonnet-*'] });
    await sendMixed(gateway, CLAUDE_MODELS);
    const refused = await send(gateway, '/api/v1/messages', 'claude-haiku-4-5');
    expect(refused.status).to.equal(404);
    expect(refused.json<{ error: { type: string } }>().error.type).to.equal('not_found_error');
  });

  it('answers a model no account admits with 404 in each protocol shape, naming the model and what the key can use', async () => {
    const gateway = await startTeam();
    const anthropicShape = await send(gateway, '/api/v1/messages', 'no-such-model-1');
    expect(anthropicShape.status).to.equal(404);
    const anthropicError = anthropicShape.json<{ type: string; error: { type: string; message: string } }>();
    expect(anthropicError.type).to.equal('error');
    expect(anthropicError.error.type).to.equal('not_found_error');
    expect(anthropicError.error.message).to.contain('no-such-model-1').and.to.contain('claude-*');

    for (const route of ['/openai/v1/chat/completions', '/api/v1/chat/completions']) {
      const openAiShape = await send(gateway, route, 'no-such-model-1');
      expect(openAiShape.status, route).to.equal(404);
      const error = openAiShape.json<{ error: { code: string; type: string; message: string } }>().error;
      expect(error.code).to.equal('model_not_found');
      expect(error.type).to.equal('not_found_error');
      expect(error.message).to.contain('no-such-model-1').and.to.contain('claude-*').and.to.contain('gpt-*');
    }

    const googleShape = await sendRequest(`${gateway.url}/gemini/v1beta/models/no-such-model-1:generateContent`, {
      method: 'POST',
      headers: { 'x-goog-api-key': gateway.key },
      body: { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] },
    });
    expect(googleShape.status).to.equal(404);
    const googleError = googleShape.json<{ error: { code: number; status: string; message: string } }>().error;
    expect(googleError).to.include({ code: 404, status: 'NOT_FOUND' });
    expect(googleError.message).to.contain('no-such-model-1');
    expect(anthropic.requests).to.have.length(0);
    expect(openai.requests).to.have.length(0);
  });

  it("names the key's own model rules in the 404, and keeps a model they refuse a 403", async () => {
    const gateway = await startTeam();
    const limited = gateway.keys['limited']!;
    const sendAs = (model: string) =>
      sendRequest(`${gateway.url}/api/v1/messages`, {
        method: 'POST',
        headers: { 'x-api-key': limited },
        body: bodyFor('/api/v1/messages', model),
      });
    const unknown = await sendAs('mystery-model-2');
    expect(unknown.status).to.equal(404);
    expect(unknown.json<{ error: { message: string } }>().error.message)
      .to.contain('claude-*')
      .and.to.contain('allow only claude-sonnet-*, mystery-*');
    const refused = await sendAs('claude-haiku-4-5');
    expect(refused.status).to.equal(403);
    expect(refused.json<{ error: { type: string } }>().error.type).to.equal('permission_error');
  });

  it('answers 404 to a key bound to an account whose catalog does not admit the model, though another account does', async () => {
    const gateway = await startTeam();
    const bound = gateway.keys['claude-only']!;
    const response = await sendRequest(`${gateway.url}/api/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bound}` },
      body: bodyFor('/api/v1/chat/completions', 'gpt-4.1-mini'),
    });
    expect(response.status).to.equal(404);
    const error = response.json<{ error: { code: string; message: string } }>().error;
    expect(error.code).to.equal('model_not_found');
    expect(error.message).to.contain('gpt-4.1-mini').and.to.contain('claude-*').and.not.to.contain('gpt-*');
    expect(anthropic.requests).to.have.length(0);
    expect(openai.requests).to.have.length(0);
  });

  it('answers 503 with Retry-After, not a 404 nor overloaded_error, when every account that admits the model is paused', async () => {
    const gateway = await startTeam();
    // What the admin's pause button stores (every instance reads it within 200 ms).
    const pausedAt = { at: new Date().toISOString(), reason: 'maintenance' };
    await gateway.gateway.store.settings.set(
      'scheduling.accountControl',
      Object.fromEntries(gateway.accountIds.map((id) => [id, { paused: pausedAt }])),
    );
    const paused = await waitFor(
      async () => {
        const response = await send(gateway, '/api/v1/messages', 'claude-sonnet-4-6');
        return response.status === 503 ? response : undefined;
      },
      { what: 'the pause to be seen' },
    );
    expect(Number(paused.headers['retry-after'])).to.be.greaterThan(0);
    expect(paused.json<{ error: { type: string } }>().error.type).to.equal('api_error');
    const chat = await send(gateway, '/openai/v1/chat/completions', 'gpt-4.1-mini');
    expect(chat.status).to.equal(503);
    expect(Number(chat.headers['retry-after'])).to.be.greaterThan(0);
    expect(chat.json<{ error: { code: string } }>().error.code).to.equal('no_account_available');
    expect(anthropic.requests).to.have.length(0);
    expect(openai.requests).to.have.length(0);
  });
});
