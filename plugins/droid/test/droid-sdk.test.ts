/**
 * The official SDKs through the `/droid` routes to a fake Factory API on 127.0.0.1:
 * `@anthropic-ai/sdk` (create and stream) on `/droid/claude`, and `openai` for the
 * Responses API (create and stream) on `/droid/openai/v1` and chat completions (create
 * and stream) on `/droid/comm/v1`. Usage is priced by the model that answered from the
 * Claude and OpenAI price tables; a model no table knows is recorded as unpriced.
 */
import Anthropic from '@anthropic-ai/sdk';
import { expect } from 'chai';
import OpenAI from 'openai';
import { createTestGateway, type FakeUpstream, type TestGateway } from '@switchyard/core/testing';
import claudePlugin from '@switchyard/plugin-claude';
import openaiPlugin from '@switchyard/plugin-openai';
import droidPlugin from '../src/index.js';
import { startFakeFactory } from './fake-factory.js';

const FACTORY_KEY = 'fk-sdk-test-key-8c3e1f';

describe('official SDKs through the /droid routes', function () {
  this.timeout(30_000);
  let factory: FakeUpstream;
  let tg: TestGateway;

  beforeEach(async () => {
    factory = await startFakeFactory({ accept: [FACTORY_KEY], intervalMs: 10 });
    tg = await createTestGateway({
      plugins: [claudePlugin, openaiPlugin, droidPlugin],
      accounts: [{ type: 'droid', name: 'factory', credentials: { apiKeys: [FACTORY_KEY], baseUrl: factory.url } }],
    });
  });
  afterEach(async () => {
    await tg.close();
    await factory.close();
  });

  it('@anthropic-ai/sdk: messages.create and messages.stream on /droid/claude', async () => {
    const client = new Anthropic({ apiKey: tg.key, baseURL: `${tg.url}/droid/claude`, maxRetries: 0 });
    const message = await client.messages.create({
      model: 'claude-sonnet-4-6',
      max_tokens: 64,
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(message.content[0]).to.deep.include({ type: 'text', text: 'Hello from Factory.' });
    const stream = client.messages.stream({
      model: 'claude-sonnet-4-6',
      max_tokens: 64,
      messages: [{ role: 'user', content: 'hi' }],
    });
    const texts: string[] = [];
    stream.on('text', (text) => texts.push(text));
    const final = await stream.finalMessage();
    expect(texts.join('')).to.equal('Hello there from Factory');
    expect(final.usage).to.include({ output_tokens: 12, cache_read_input_tokens: 100 });
    expect(factory.requests.map((request) => request.path)).to.deep.equal(['/api/llm/a/v1/messages', '/api/llm/a/v1/messages']);
    expect(factory.requests[0]!.headers['user-agent']).to.match(/^Anthropic\/JS/);

    const records = await tg.usageRecords({ count: 2 });
    for (const record of records) {
      // Sonnet 4.6 at Anthropic's list prices: 30 x $3 + 100 x $0.30 (cache read) + 12 x $15 = 300 micro-dollars.
      expect(record.usage).to.include({ inputTokens: 30, cacheReadTokens: 100, outputTokens: 12 });
      expect(record.costMicros).to.equal(300);
      expect(record.priced).to.equal(true);
    }
  });

  it('openai: responses.create and responses.stream on /droid/openai/v1', async () => {
    const client = new OpenAI({ apiKey: tg.key, baseURL: `${tg.url}/droid/openai/v1`, maxRetries: 0 });
    const response = await client.responses.create({ model: 'gpt-5', input: 'hi' });
    expect(response.output_text).to.equal('Hello from Factory.');
    const stream = client.responses.stream({ model: 'gpt-5', input: 'hi' });
    const deltas: string[] = [];
    stream.on('response.output_text.delta', (event) => deltas.push(event.delta));
    const final = await stream.finalResponse();
    expect(deltas.join('')).to.equal('Hello there from Factory');
    expect(final.usage).to.include({ input_tokens: 40, output_tokens: 9 });
    expect(factory.requests.map((request) => request.path)).to.deep.equal(['/api/llm/o/v1/responses', '/api/llm/o/v1/responses']);

    const records = await tg.usageRecords({ count: 2 });
    for (const record of records) {
      // GPT-5 at OpenAI's list prices: 30 x $1.25 + 10 x $0.125 (cached) + 9 x $10 = 128.75, rounded to 129 micro-dollars.
      expect(record.usage).to.include({ inputTokens: 30, cacheReadTokens: 10, outputTokens: 9 });
      expect(record.costMicros).to.equal(129);
    }
  });

  it('openai: chat.completions create and stream on /droid/comm/v1; a model no price table knows is unpriced', async () => {
    const client = new OpenAI({ apiKey: tg.key, baseURL: `${tg.url}/droid/comm/v1`, maxRetries: 0 });
    const completion = await client.chat.completions.create({ model: 'glm-4.6', messages: [{ role: 'user', content: 'hi' }] });
    expect(completion.choices[0]!.message.content).to.equal('Hello from Factory.');
    const stream = await client.chat.completions.create({
      model: 'glm-4.6',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let usage: OpenAI.CompletionUsage | undefined | null;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      usage = chunk.usage ?? usage;
    }
    expect(text).to.equal('Hello there from Factory');
    expect(usage).to.include({ prompt_tokens: 25, completion_tokens: 6 });
    expect(factory.requests.map((request) => request.path)).to.deep.equal([
      '/api/llm/o/v1/chat/completions',
      '/api/llm/o/v1/chat/completions',
    ]);

    const records = await tg.usageRecords({ count: 2 });
    for (const record of records) {
      expect(record.usage).to.include({ inputTokens: 25, outputTokens: 6 });
      expect(record.priced).to.equal(false);
    }
  });
});
