/**
 * OpenAI chat clients served by a Claude account (the Claude plugin's `claude-console`
 * type) through the openai-chat -> anthropic-messages translator, against a fake
 * Anthropic API: a streamed tool call through the official openai SDK, a unary answer on
 * the forced `/openai/claude` route, and usage recorded on the Claude account in
 * Anthropic's token counts (cache reads and writes kept apart).
 */
import { expect } from 'chai';
import type http from 'node:http';
import OpenAI from 'openai';
import {
  createTestGateway,
  startFakeUpstream,
  waitFor,
  writeSse,
  type FakeUpstream,
  type RecordedRequest,
  type TestGateway,
} from '@switchyard/core/testing';
import { claudePlugin } from '@switchyard/plugin-claude';
import { openaiPlugin } from '../../src/index.js';

const ANTHROPIC_KEY = 'sk-ant-translator-test-0123456789';
const USAGE = { input_tokens: 15, cache_creation_input_tokens: 100, cache_read_input_tokens: 200, output_tokens: 1 };

async function anthropicAnswer(req: RecordedRequest, res: http.ServerResponse): Promise<void> {
  if (req.headers['x-api-key'] !== ANTHROPIC_KEY || req.path !== '/v1/messages') {
    res
      .writeHead(401, { 'content-type': 'application/json' })
      .end(JSON.stringify({ type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' } }));
    return;
  }
  const body = req.json<{ stream?: boolean; model: string }>();
  if (!body.stream) {
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        id: 'msg_u',
        type: 'message',
        role: 'assistant',
        model: body.model,
        stop_reason: 'end_turn',
        stop_sequence: null,
        content: [{ type: 'text', text: 'Hello from Claude.' }],
        usage: { ...USAGE, output_tokens: 4 },
      }),
    );
    return;
  }
  const events = [
    {
      type: 'message_start',
      message: {
        id: 'msg_s',
        type: 'message',
        role: 'assistant',
        model: body.model,
        content: [],
        stop_reason: null,
        usage: USAGE,
      },
    },
    { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
    { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Let me look.' } },
    { type: 'content_block_stop', index: 0 },
    {
      type: 'content_block_start',
      index: 1,
      content_block: { type: 'tool_use', id: 'toolu_01', name: 'get_weather', input: {} },
    },
    { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '{"city": ' } },
    { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '"Lyon"}' } },
    { type: 'content_block_stop', index: 1 },
    { type: 'message_delta', delta: { stop_reason: 'tool_use', stop_sequence: null }, usage: { output_tokens: 42 } },
    { type: 'message_stop' },
  ];
  await writeSse(
    res,
    events.map((data) => ({ event: data.type, data })),
    { intervalMs: 5 },
  );
}

describe('openai chat served by a Claude account (translator)', () => {
  let anthropic: FakeUpstream;
  let tg: TestGateway;
  beforeEach(async () => {
    anthropic = await startFakeUpstream(anthropicAnswer);
    tg = await createTestGateway({
      plugins: [openaiPlugin, claudePlugin],
      accounts: [
        {
          type: 'claude-console',
          name: 'claude',
          credentials: { apiKey: ANTHROPIC_KEY, baseUrl: anthropic.url },
          settings: { models: ['claude-sonnet-4-5'] },
        },
      ],
    });
  });
  afterEach(async () => {
    await tg.close();
    await anthropic.close();
  });

  it('streams a tool call to the openai SDK and records Anthropic usage on the Claude account', async () => {
    const client = new OpenAI({ apiKey: tg.key, baseURL: `${tg.url}/openai/v1`, maxRetries: 0 });
    const stream = await client.chat.completions.create({
      model: 'claude-sonnet-4-5',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Weather in Lyon?' },
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
    let text = '';
    let args = '';
    let name: string | undefined;
    let id: string | undefined;
    let finish: string | null = null;
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of stream) {
      const choice = chunk.choices[0];
      text += choice?.delta.content ?? '';
      for (const call of choice?.delta.tool_calls ?? []) {
        id ??= call.id;
        name ??= call.function?.name;
        args += call.function?.arguments ?? '';
      }
      finish = choice?.finish_reason ?? finish;
      usage = chunk.usage ?? usage;
    }
    expect({ text, id, name, args: JSON.parse(args), finish }).to.deep.equal({
      text: 'Let me look.',
      id: 'toolu_01',
      name: 'get_weather',
      args: { city: 'Lyon' },
      finish: 'tool_calls',
    });
    expect(usage).to.deep.include({ prompt_tokens: 315, completion_tokens: 42 });
    const sent = anthropic.requests[0]!.json<Record<string, unknown>>();
    expect(sent).to.deep.include({ model: 'claude-sonnet-4-5', system: 'Be brief.', stream: true, max_tokens: 8192 });
    const [record] = await waitFor(async () => {
      const list = await tg.gateway.store.usage.list();
      return list.length > 0 ? list : undefined;
    });
    expect(record).to.deep.include({ accountId: tg.accountIds[0], accountType: 'claude-console', protocol: 'openai-chat' });
    expect(record!.usage).to.include({ inputTokens: 15, cacheReadTokens: 200, outputTokens: 42 });
    expect(record!.usage.cacheWrite5mTokens + record!.usage.cacheWrite1hTokens).to.equal(100);
  });

  it('answers unary on the forced /openai/claude route', async () => {
    const client = new OpenAI({ apiKey: tg.key, baseURL: `${tg.url}/openai/claude/v1`, maxRetries: 0 });
    const answer = await client.chat.completions.create({
      model: 'claude-sonnet-4-5',
      messages: [{ role: 'user', content: 'Hi' }],
    });
    expect(answer.choices[0]!.message.content).to.equal('Hello from Claude.');
    expect(answer.choices[0]!.finish_reason).to.equal('stop');
    expect(answer.usage).to.deep.include({ prompt_tokens: 315, completion_tokens: 4 });
  });

  it('translates an Anthropic error into OpenAI error JSON', async () => {
    anthropic.setHandler((_req, res) => {
      res
        .writeHead(400, { 'content-type': 'application/json' })
        .end(JSON.stringify({ type: 'error', error: { type: 'invalid_request_error', message: 'messages: empty' } }));
    });
    const client = new OpenAI({ apiKey: tg.key, baseURL: `${tg.url}/openai/v1`, maxRetries: 0 });
    const error = await client.chat.completions
      .create({ model: 'claude-sonnet-4-5', messages: [{ role: 'user', content: 'Hi' }] })
      .catch((e: unknown) => e);
    expect(error).to.be.instanceOf(OpenAI.APIError);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).to.equal(400);
    expect((error as InstanceType<typeof OpenAI.APIError>).error).to.deep.equal({
      message: 'messages: empty',
      type: 'invalid_request_error',
      param: null,
      code: 'invalid_request_error',
    });
  });

  it('answers a stream whose first event is an Anthropic error as that HTTP error, in OpenAI error JSON', async () => {
    anthropic.setHandler((_req, res) =>
      writeSse(res, [
        {
          event: 'error',
          data: {
            type: 'error',
            error: { type: 'rate_limit_error', message: 'Number of requests has exceeded your rate limit' },
          },
        },
      ]),
    );
    const client = new OpenAI({ apiKey: tg.key, baseURL: `${tg.url}/openai/v1`, maxRetries: 0 });
    const error = await client.chat.completions
      .create({ model: 'claude-sonnet-4-5', stream: true, messages: [{ role: 'user', content: 'Hi' }] })
      .catch((e: unknown) => e);
    expect(error).to.be.instanceOf(OpenAI.APIError);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).to.equal(429);
    expect((error as InstanceType<typeof OpenAI.APIError>).message).to.contain('exceeded your rate limit');
  });
});
