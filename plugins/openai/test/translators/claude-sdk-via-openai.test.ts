/**
 * Claude Code on an OpenAI account: the official `@anthropic-ai/sdk` talks Anthropic
 * Messages to the gateway with a key bound to a group holding only an `openai-api`
 * account, which a fake OpenAI-compatible server on 127.0.0.1 answers in chat SSE. Create,
 * stream and a tool-use round trip go through the anthropic-messages -> openai-chat
 * translator; usage is recorded in the upstream's counts on the OpenAI account.
 */
import { expect } from 'chai';
import type http from 'node:http';
import Anthropic from '@anthropic-ai/sdk';
import {
  createTestGateway,
  startFakeUpstream,
  writeSse,
  type FakeUpstream,
  type RecordedRequest,
  type TestGateway,
} from '@switchyard/core/testing';
import { claudePlugin } from '@switchyard/plugin-claude';
import { openaiPlugin } from '../../src/index.js';

const OPENAI_KEY = 'sk-compatible-upstream-0123456789';
const USAGE = { prompt_tokens: 300, completion_tokens: 12, total_tokens: 312, prompt_tokens_details: { cached_tokens: 200 } };

interface ChatBody {
  model: string;
  stream?: boolean;
  tools?: unknown[];
  messages: { role: string; content: unknown }[];
}

async function openAiAnswer(req: RecordedRequest, res: http.ServerResponse): Promise<void> {
  if (req.headers.authorization !== `Bearer ${OPENAI_KEY}` || req.path !== '/v1/chat/completions') {
    res.writeHead(401, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        error: { message: 'Incorrect API key provided', type: 'invalid_request_error', code: 'invalid_api_key' },
      }),
    );
    return;
  }
  const body = req.json<ChatBody>();
  const wantsTool = body.tools !== undefined && body.messages.at(-1)?.role !== 'tool';
  if (!body.stream) {
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        id: 'chatcmpl-u',
        object: 'chat.completion',
        created: 1_760_000_000,
        model: body.model,
        choices: [{ index: 0, message: { role: 'assistant', content: 'Hello from gpt.' }, finish_reason: 'stop' }],
        usage: USAGE,
      }),
    );
    return;
  }
  const base = { id: 'chatcmpl-s', object: 'chat.completion.chunk', created: 1_760_000_000, model: body.model };
  const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({
    data: { ...base, choices: [{ index: 0, delta, finish_reason: finish }] },
  });
  const answer = wantsTool
    ? [
        chunk({ tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '' } }] }),
        chunk({ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }),
        chunk({ tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] }),
        chunk({}, 'tool_calls'),
      ]
    : [chunk({ content: 'It is ' }), chunk({ content: 'sunny ' }), chunk({ content: 'in Paris.' }), chunk({}, 'stop')];
  await writeSse(
    res,
    [chunk({ role: 'assistant', content: '' }), ...answer, { data: { ...base, choices: [], usage: USAGE } }, { data: '[DONE]' }],
    { intervalMs: 5 },
  );
}

const weatherTool = {
  name: 'get_weather',
  description: 'Weather of a city',
  input_schema: { type: 'object' as const, properties: { city: { type: 'string' } }, required: ['city'] },
};

describe('Claude clients served by an openai-api account (anthropic-messages -> openai-chat)', () => {
  let upstream: FakeUpstream;
  let tg: TestGateway;
  let client: Anthropic;

  beforeEach(async () => {
    upstream = await startFakeUpstream(openAiAnswer);
    tg = await createTestGateway({
      plugins: [claudePlugin, openaiPlugin],
      config: { groups: [{ id: 'compat', name: 'OpenAI-compatible' }] },
      accounts: [
        {
          type: 'openai-api',
          name: 'compat',
          groups: ['compat'],
          credentials: { apiKey: OPENAI_KEY, baseUrl: `${upstream.url}/v1` },
          settings: { models: ['claude-*'] },
        },
      ],
      keys: [{ name: 'team', limits: { binding: { group: 'compat' } } }],
    });
    client = new Anthropic({ apiKey: tg.key, baseURL: tg.url, maxRetries: 0 });
  });
  afterEach(async () => {
    await tg.close();
    await upstream.close();
  });

  it('answers messages.create from the chat completion, with usage split into input and cache reads', async () => {
    const message = await client.messages.create({
      model: 'claude-opus-4-8',
      max_tokens: 1024,
      system: [{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral' } }],
      messages: [{ role: 'user', content: 'Hi' }],
    });
    expect(message.content).to.deep.equal([{ type: 'text', text: 'Hello from gpt.' }]);
    expect(message.stop_reason).to.equal('end_turn');
    expect(message.usage).to.deep.include({ input_tokens: 100, cache_read_input_tokens: 200, output_tokens: 12 });
    const sent = upstream.requests[0]!.json<ChatBody & Record<string, unknown>>();
    expect(sent).to.deep.include({
      model: 'claude-opus-4-8',
      stream: false,
      max_completion_tokens: 1024,
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
      ],
    });
    const [record] = await tg.usageRecords();
    expect(record!.protocol).to.equal('anthropic-messages');
    expect(record!.accountType).to.equal('openai-api');
    expect(record!.usage).to.include({ inputTokens: 100, cacheReadTokens: 200, outputTokens: 12 });
  });

  it('streams through the SDK: text events as they arrive, finalMessage with stop reason and usage', async () => {
    const stream = client.messages.stream({
      model: 'claude-opus-4-8',
      max_tokens: 1024,
      messages: [{ role: 'user', content: 'Weather?' }],
    });
    const deltas: string[] = [];
    stream.on('text', (text) => deltas.push(text));
    const message = await stream.finalMessage();
    expect(deltas).to.deep.equal(['It is ', 'sunny ', 'in Paris.']);
    expect(message.content).to.deep.equal([{ type: 'text', text: 'It is sunny in Paris.' }]);
    expect(message.stop_reason).to.equal('end_turn');
    expect(message.usage).to.deep.include({ input_tokens: 100, cache_read_input_tokens: 200, output_tokens: 12 });
    expect(upstream.requests[0]!.json()).to.deep.include({ stream: true, stream_options: { include_usage: true } });
    const [record] = await tg.usageRecords();
    expect(record!.stream).to.equal(true);
    expect(record!.usage).to.include({ inputTokens: 100, cacheReadTokens: 200, outputTokens: 12 });
  });

  it('runs a tool-use round trip: tool_use from tool_calls, tool_result sent back as a tool message', async () => {
    const first = await client.messages
      .stream({
        model: 'claude-opus-4-8',
        max_tokens: 1024,
        tools: [weatherTool],
        messages: [{ role: 'user', content: 'Weather in Paris?' }],
      })
      .finalMessage();
    expect(first.stop_reason).to.equal('tool_use');
    const call = first.content.find((block) => block.type === 'tool_use');
    expect(call).to.deep.include({ id: 'call_1', name: 'get_weather', input: { city: 'Paris' } });
    expect(upstream.requests[0]!.json<ChatBody>().tools).to.deep.equal([
      {
        type: 'function',
        function: { name: 'get_weather', description: 'Weather of a city', parameters: weatherTool.input_schema },
      },
    ]);

    const second = await client.messages.create({
      model: 'claude-opus-4-8',
      max_tokens: 1024,
      stream: false,
      tools: [weatherTool],
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        { role: 'assistant', content: first.content },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'call_1', content: 'sunny, 21°C' }] },
      ],
    });
    expect(second.content).to.deep.equal([{ type: 'text', text: 'Hello from gpt.' }]);
    expect(upstream.requests[1]!.json<ChatBody>().messages).to.deep.equal([
      { role: 'user', content: 'Weather in Paris?' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }],
      },
      { role: 'tool', tool_call_id: 'call_1', content: 'sunny, 21°C' },
    ]);
  });

  it('turns an OpenAI error into an Anthropic error the SDK raises with its status', async () => {
    upstream.setHandler((_req, res) => {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: "Unsupported parameter: 'max_tokens'", type: 'invalid_request_error' } }));
    });
    const failure = await client.messages
      .create({ model: 'claude-opus-4-8', max_tokens: 10, messages: [{ role: 'user', content: 'Hi' }] })
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(failure).to.be.instanceOf(Anthropic.BadRequestError);
    expect((failure as InstanceType<typeof Anthropic.BadRequestError>).error).to.deep.equal({
      type: 'error',
      error: { type: 'invalid_request_error', message: "Unsupported parameter: 'max_tokens'" },
    });
  });
});

describe('Claude model names on an OpenAI group through model aliases', () => {
  let upstream: FakeUpstream;
  let tg: TestGateway;

  beforeEach(async () => {
    upstream = await startFakeUpstream(openAiAnswer);
    tg = await createTestGateway({
      plugins: [claudePlugin, openaiPlugin],
      // The group maps every Claude model to gpt-5; the key maps Haiku to gpt-5-mini (the key's table wins).
      config: { groups: [{ id: 'compat', name: 'OpenAI', modelAliases: { 'claude-*': 'gpt-5' } }] },
      accounts: [
        { type: 'openai-api', name: 'openai', groups: ['compat'], credentials: { apiKey: OPENAI_KEY, baseUrl: upstream.url } },
      ],
      keys: [
        { name: 'team', limits: { binding: { group: 'compat' }, modelAliases: { 'claude-haiku-4-5': 'gpt-5-mini' } } },
        { name: 'unbound' },
      ],
    });
  });
  afterEach(async () => {
    await tg.close();
    await upstream.close();
  });

  it('serves claude-* as gpt-5 (group) and Haiku as gpt-5-mini (key); usage keeps requested and served model', async () => {
    const client = new Anthropic({ apiKey: tg.keys['team']!, baseURL: `${tg.url}/api`, maxRetries: 0 });
    const message = await client.messages
      .stream({ model: 'claude-opus-4-8', max_tokens: 512, messages: [{ role: 'user', content: 'Weather?' }] })
      .finalMessage();
    expect(message.content).to.deep.equal([{ type: 'text', text: 'It is sunny in Paris.' }]);
    expect(message.model, 'the answer names the model that served it').to.equal('gpt-5');
    await client.messages.create({ model: 'claude-haiku-4-5', max_tokens: 64, messages: [{ role: 'user', content: 'Hi' }] });
    expect(upstream.requests.map((request) => request.json<ChatBody>().model)).to.deep.equal(['gpt-5', 'gpt-5-mini']);

    const records = await tg.usageRecords({ count: 2 });
    const byRequested = new Map(records.map((record) => [record.requestedModel, record]));
    expect(byRequested.get('claude-opus-4-8')).to.include({
      model: 'gpt-5',
      accountType: 'openai-api',
      protocol: 'anthropic-messages',
    });
    expect(byRequested.get('claude-haiku-4-5')).to.include({ model: 'gpt-5-mini' });
    // gpt-5: 100 input × 1.25 + 200 cache reads × 0.125 + 12 output × 10 = 270 micro-dollars
    expect(byRequested.get('claude-opus-4-8')!.costMicros).to.equal(270);
  });

  it('a key without the binding gets no group alias: no OpenAI account serves a Claude model', async () => {
    const client = new Anthropic({ apiKey: tg.keys['unbound']!, baseURL: tg.url, maxRetries: 0 });
    const failure = await client.messages
      .create({ model: 'claude-opus-4-8', max_tokens: 64, messages: [{ role: 'user', content: 'Hi' }] })
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(failure).to.be.instanceOf(Anthropic.APIError);
    expect(upstream.requests).to.have.length(0);
    const [record] = await tg.usageRecords();
    expect(record!.model).to.equal('claude-opus-4-8');
    expect(record!.requestedModel).to.equal(undefined);
  });
});
