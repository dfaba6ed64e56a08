/**
 * The official `openai` SDK through the gateway to a fake OpenAI API: chat unary and
 * streamed (with usage), Responses unary and streamed; plus the gateway-level routes
 * (`/api` chat path, model list, the WebSocket refusal Codex needs, OpenAI error JSON).
 */
import { expect } from 'chai';
import OpenAI from 'openai';
import { createTestGateway, sendRequest, waitFor, type FakeUpstream, type TestGateway } from '@switchyard/core/testing';
import openaiPlugin from '../src/index.js';
import { startFakeOpenAi, writeChatStream } from './fake-openai-upstream.js';

const API_KEY = 'sk-upstream-key-0123456789';

describe('openai plugin through the official openai SDK', () => {
  let fake: FakeUpstream;
  let tg: TestGateway;

  beforeEach(async () => {
    fake = await startFakeOpenAi({ apiKey: API_KEY });
    tg = await createTestGateway({
      plugins: [openaiPlugin],
      accounts: [{ type: 'openai-api', name: 'oa', credentials: { apiKey: API_KEY, baseUrl: `${fake.url}/v1` } }],
    });
  });
  afterEach(async () => {
    await tg.close();
    await fake.close();
  });

  const client = (path = '/openai/v1') => new OpenAI({ apiKey: tg.key, baseURL: `${tg.url}${path}`, maxRetries: 0 });

  it('completes a chat unary and streamed (with include_usage), and records usage with cached tokens split out', async () => {
    const unary = await client().chat.completions.create({ model: 'gpt-5', messages: [{ role: 'user', content: 'hi' }] });
    expect(unary.choices[0]!.message.content).to.equal('Hello from the fake.');
    const stream = await client('/api/v1').chat.completions.create({
      model: 'gpt-5',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let usage: unknown;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).to.equal('Hello there from the fake upstream');
    expect(usage).to.deep.include({ prompt_tokens: 20, completion_tokens: 7 });
    expect(fake.requests.map((request) => request.path)).to.deep.equal(['/v1/chat/completions', '/v1/chat/completions']);
    expect(fake.requests[0]!.headers.authorization).to.equal(`Bearer ${API_KEY}`);
    const records = await waitFor(async () => {
      const list = await tg.gateway.store.usage.list();
      return list.length >= 2 ? list : undefined;
    });
    for (const record of records) {
      expect(record.usage).to.include({ inputTokens: 12, cacheReadTokens: 8, outputTokens: 7, reasoningTokens: 2 });
      // gpt-5: 12 × 1.25 + 8 × 0.125 + 7 × 10 = 86 micro-dollars
      expect(record.costMicros).to.equal(86);
    }
  });

  it('counts a chat stream whose client did not ask for usage, without showing it the usage chunk', async () => {
    const stream = await client().chat.completions.create({
      model: 'gpt-5',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
    });
    let text = '';
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const chunk of stream) {
      chunks.push(chunk);
      text += chunk.choices[0]?.delta.content ?? '';
    }
    expect(text).to.equal('Hello there from the fake upstream');
    expect(
      chunks.every((chunk) => chunk.choices.length > 0 && !chunk.usage),
      'no usage chunk',
    ).to.equal(true);
    expect(fake.requests[0]!.json()).to.deep.include({ stream_options: { include_usage: true } });
    const [record] = await waitFor(async () => {
      const list = await tg.gateway.store.usage.list();
      return list.length > 0 ? list : undefined;
    });
    expect(record!.usage).to.include({ inputTokens: 12, cacheReadTokens: 8, outputTokens: 7 });
  });

  it('stops upstream when a client that did not ask for usage leaves mid-stream', async () => {
    fake.setHandler((_req, res) => writeChatStream(res, { intervalMs: 100, text: 'one two three four five six seven eight' }));
    const res = await sendRequest(`${tg.url}/openai/v1/chat/completions`, {
      headers: { authorization: `Bearer ${tg.key}` },
      body: { model: 'gpt-5', messages: [{ role: 'user', content: 'hi' }], stream: true },
      abortAfterChunks: 2,
    });
    expect(res.aborted).to.equal(true);
    await fake.waitForAbort();
    expect(fake.aborted).to.equal(1);
  });

  it('answers Responses unary and streamed', async () => {
    const unary = await client().responses.create({ model: 'gpt-5', input: 'hi' });
    expect(unary.output_text).to.equal('Hello from the fake.');
    const stream = await client().responses.create({ model: 'gpt-5', input: 'hi', stream: true });
    const types: string[] = [];
    let text = '';
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === 'response.output_text.delta') text += event.delta;
    }
    expect(text).to.equal('Hello there from the fake upstream');
    expect(types.at(-1)).to.equal('response.completed');
    const short = new OpenAI({ apiKey: tg.key, baseURL: `${tg.url}/openai`, maxRetries: 0 });
    expect((await short.responses.create({ model: 'gpt-5', input: 'hi' })).output_text).to.equal('Hello from the fake.');
    expect(fake.requests.map((request) => request.path)).to.deep.equal(['/v1/responses', '/v1/responses', '/v1/responses']);
  });

  it('refuses the Responses WebSocket upgrade with 426 so Codex falls back to HTTP', async () => {
    for (const path of ['/openai/v1/responses', '/openai/responses']) {
      const res = await sendRequest(`${tg.url}${path}`, {
        headers: {
          authorization: `Bearer ${tg.key}`,
          connection: 'Upgrade',
          upgrade: 'websocket',
          'sec-websocket-version': '13',
          'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
        },
      });
      expect(res.status, path).to.equal(426);
    }
    expect(fake.requests).to.have.length(0);
  });

  it('lists models and renders gateway errors as OpenAI error JSON', async () => {
    const models = await client().models.list();
    expect(models.data.map((model) => model.id)).to.include('gpt-5');
    const anonymous = await sendRequest(`${tg.url}/openai/v1/chat/completions`, { body: { model: 'gpt-5', messages: [] } });
    expect(anonymous.status).to.equal(401);
    expect(anonymous.json<{ error: Record<string, unknown> }>().error).to.include({ type: 'authentication_error', param: null });
    const error = await client()
      .chat.completions.create({ model: 'claude-x', messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e);
    expect(error).to.be.instanceOf(OpenAI.APIError);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).to.be.within(400, 599);
    expect(fake.requests).to.have.length(0);
  });

  it('passes an upstream insufficient_quota 429 on as quota_exhausted', async () => {
    fake.setHandler((_req, res) => {
      res
        .writeHead(429, { 'content-type': 'application/json' })
        .end(
          JSON.stringify({ error: { message: 'quota', type: 'insufficient_quota', code: 'insufficient_quota', param: null } }),
        );
    });
    const res = await sendRequest(`${tg.url}/openai/v1/chat/completions`, {
      headers: { authorization: `Bearer ${tg.key}` },
      body: { model: 'gpt-5', messages: [] },
    });
    expect(res.status).to.equal(429);
    expect(JSON.stringify(tg.logs)).to.include('quota_exhausted');
  });
});
