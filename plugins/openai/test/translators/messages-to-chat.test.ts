/**
 * The `anthropic-messages -> openai-chat` translator on real shapes: a Claude Code style
 * request (system blocks with cache_control, a `role: "system"` message, thinking, tool
 * use and results, images), chat chunks as OpenAI streams them (split at odd byte
 * offsets), unary answers, errors and a cut stream.
 */
import { expect } from 'chai';
import { messagesToChatTranslator } from '../../src/translators/index.js';
import { runStream, sse } from './run-stream.js';

const context = { model: 'gpt-5', stream: true, operation: 'messages' };

/** The Anthropic events of an SSE text: each frame's `event:` name and parsed data. */
function events(text: string): { event: string; data: Record<string, unknown> }[] {
  return text
    .split('\n\n')
    .filter((frame) => frame.trim() !== '')
    .map((frame) => {
      const event = /^event: (.*)$/m.exec(frame)?.[1] ?? '';
      const data = JSON.parse(/^data: (.*)$/m.exec(frame)?.[1] ?? 'null') as Record<string, unknown>;
      expect(data.type, `event line and data type agree in ${frame}`).to.equal(event);
      return { event, data };
    });
}

const claudeCodeRequest = {
  model: 'claude-sonnet-4-5',
  max_tokens: 32000,
  stream: true,
  thinking: { type: 'adaptive' },
  output_config: { effort: 'high' },
  metadata: { user_id: '{"device_id":"abc","session_id":"s1"}' },
  system: [
    { type: 'text', text: 'x-anthropic-billing-header: cc_version=2.1.197' },
    { type: 'text', text: 'You are a coding agent.', cache_control: { type: 'ephemeral' } },
  ],
  tools: [
    {
      name: 'Bash',
      description: 'Runs a command',
      input_schema: { type: 'object', properties: { command: { type: 'string' } } },
    },
    { type: 'web_search_20250305', name: 'web_search', max_uses: 3 },
  ],
  tool_choice: { type: 'auto', disable_parallel_tool_use: true },
  stop_sequences: ['\n\nHuman:'],
  temperature: 0.5,
  top_k: 40,
  messages: [
    {
      role: 'user',
      content: [
        { type: 'text', text: 'List files, and look at this:', cache_control: { type: 'ephemeral' } },
        { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
        { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
      ],
    },
    { role: 'system', content: 'Available agent types: general.' },
    {
      role: 'assistant',
      content: [
        { type: 'thinking', thinking: 'I should run ls.', signature: 'sig' },
        { type: 'text', text: 'Running ls.' },
        { type: 'tool_use', id: 'toolu_01', name: 'Bash', input: { command: 'ls' } },
      ],
    },
    {
      role: 'user',
      content: [
        {
          type: 'tool_result',
          tool_use_id: 'toolu_01',
          content: [
            { type: 'text', text: 'a.txt\nb.txt' },
            { type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: '/9j/4AAQ' } },
          ],
        },
        { type: 'text', text: 'Now summarise.' },
      ],
    },
  ],
};

describe('anthropic-messages -> openai-chat translator', () => {
  it('converts a Claude Code request: system, images, tool calls, tool results, options', () => {
    const { body, operation, stream } = messagesToChatTranslator.request(claudeCodeRequest, context);
    expect(operation).to.equal('chat');
    expect(stream).to.equal(true);
    expect(body).to.deep.equal({
      model: 'gpt-5',
      stream: true,
      stream_options: { include_usage: true },
      max_completion_tokens: 32000,
      temperature: 0.5,
      stop: ['\n\nHuman:'],
      tools: [
        {
          type: 'function',
          function: {
            name: 'Bash',
            description: 'Runs a command',
            parameters: { type: 'object', properties: { command: { type: 'string' } } },
          },
        },
      ],
      tool_choice: 'auto',
      parallel_tool_calls: false,
      messages: [
        { role: 'system', content: 'x-anthropic-billing-header: cc_version=2.1.197\n\nYou are a coding agent.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'List files, and look at this:' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
            { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg' } },
          ],
        },
        { role: 'system', content: 'Available agent types: general.' },
        {
          role: 'assistant',
          content: 'Running ls.',
          tool_calls: [{ id: 'toolu_01', type: 'function', function: { name: 'Bash', arguments: '{"command":"ls"}' } }],
        },
        { role: 'tool', tool_call_id: 'toolu_01', content: 'a.txt\nb.txt' },
        {
          role: 'user',
          content: [
            { type: 'image_url', image_url: { url: 'data:image/jpeg;base64,/9j/4AAQ' } },
            { type: 'text', text: 'Now summarise.' },
          ],
        },
      ],
    });
  });

  it('maps tool_choice any and a named tool; a unary request asks for no usage chunk', () => {
    const base = { model: 'claude-haiku-4-5', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] };
    const tools = [{ name: 'f', input_schema: { type: 'object' } }];
    const any = messagesToChatTranslator.request({ ...base, tools, tool_choice: { type: 'any' } }, { ...context, stream: false });
    expect(any.body).to.deep.include({ tool_choice: 'required', stream: false, messages: [{ role: 'user', content: 'hi' }] });
    expect(any.body).not.to.have.property('stream_options');
    const named = messagesToChatTranslator.request({ ...base, tools, tool_choice: { type: 'tool', name: 'f' } }, context);
    expect(named.body).to.deep.include({ tool_choice: { type: 'function', function: { name: 'f' } } });
    const noModelInContext = messagesToChatTranslator.request(base, { stream: false, operation: 'messages' });
    expect(noModelInContext.body).to.deep.include({ model: 'claude-haiku-4-5' });
    expect(() => messagesToChatTranslator.request('nope', context)).to.throw(/JSON object/);
    expect(() => messagesToChatTranslator.request(base, { ...context, operation: 'count_tokens' })).to.throw(/token counting/);
  });

  it('streams text and a tool call as Anthropic events, usage from the usage chunk', () => {
    const base = { id: 'chatcmpl-9', object: 'chat.completion.chunk', created: 1_760_000_000, model: 'gpt-5-2025-08-07' };
    const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({
      data: { ...base, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] },
    });
    const upstream = sse([
      chunk({ role: 'assistant', content: '', refusal: null }),
      chunk({ content: 'Let me ' }),
      chunk({ content: 'check.' }),
      chunk({
        tool_calls: [{ index: 0, id: 'call_abc', type: 'function', function: { name: 'Bash', arguments: '' } }],
      }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '{"comm' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: 'and":"ls"}' } }] }),
      chunk({}, 'tool_calls'),
      {
        data: {
          ...base,
          choices: [],
          usage: {
            prompt_tokens: 120,
            completion_tokens: 15,
            total_tokens: 135,
            prompt_tokens_details: { cached_tokens: 100 },
          },
        },
      },
      { data: '[DONE]' },
    ]).replace('data: "[DONE]"', 'data: [DONE]');
    const out = events(runStream(messagesToChatTranslator, upstream, { model: 'gpt-5', step: 5 }));
    expect(out.map((e) => e.event)).to.deep.equal([
      'message_start',
      'ping',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect((out[0]!.data.message as Record<string, unknown>).model).to.equal('gpt-5-2025-08-07');
    expect(out[2]!.data).to.deep.equal({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
    expect(out[3]!.data.delta).to.deep.equal({ type: 'text_delta', text: 'Let me ' });
    expect(out[6]!.data).to.deep.equal({
      type: 'content_block_start',
      index: 1,
      content_block: { type: 'tool_use', id: 'call_abc', name: 'Bash', input: {} },
    });
    const json = out.slice(7, 9).map((e) => (e.data.delta as { partial_json: string }).partial_json);
    expect(JSON.parse(json.join(''))).to.deep.equal({ command: 'ls' });
    expect(out[10]!.data).to.deep.equal({
      type: 'message_delta',
      delta: { stop_reason: 'tool_use', stop_sequence: null },
      usage: { input_tokens: 20, output_tokens: 15, cache_creation_input_tokens: 0, cache_read_input_tokens: 100 },
    });
  });

  it('maps finish reasons: length to max_tokens, content_filter to refusal', () => {
    const frame = (finish: string) =>
      sse([
        { data: { choices: [{ index: 0, delta: { content: 'x' }, finish_reason: null }] } },
        { data: { choices: [{ index: 0, delta: {}, finish_reason: finish }] } },
      ]);
    const stop = (finish: string) =>
      (
        events(runStream(messagesToChatTranslator, frame(finish))).find((e) => e.event === 'message_delta')!.data.delta as {
          stop_reason: string;
        }
      ).stop_reason;
    expect(stop('length')).to.equal('max_tokens');
    expect(stop('content_filter')).to.equal('refusal');
    expect(stop('stop')).to.equal('end_turn');
  });

  it('ends a cut stream with an error event, and turns an error chunk into one', () => {
    const cut = sse([{ data: { model: 'gpt-5', choices: [{ index: 0, delta: { content: 'Hal' }, finish_reason: null }] } }]);
    const out = events(runStream(messagesToChatTranslator, cut));
    expect(out.at(-1)!.event).to.equal('error');
    expect(out.map((e) => e.event)).not.to.include('message_stop');
    const failed = events(
      runStream(messagesToChatTranslator, sse([{ data: { error: { message: 'server overloaded', type: 'server_error' } } }])),
    );
    expect(failed.at(-1)!.data).to.deep.equal({ type: 'error', error: { type: 'api_error', message: 'server overloaded' } });
  });

  it('converts a unary chat completion with a tool call, and OpenAI errors by status', () => {
    const message = messagesToChatTranslator.response(
      {
        id: 'chatcmpl-1',
        object: 'chat.completion',
        model: 'gpt-5-2025-08-07',
        choices: [
          {
            index: 0,
            message: {
              role: 'assistant',
              content: 'Sure.',
              tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'Bash', arguments: '{"command":"pwd"}' } }],
            },
            finish_reason: 'tool_calls',
          },
        ],
        usage: { prompt_tokens: 50, completion_tokens: 9, total_tokens: 59, prompt_tokens_details: { cached_tokens: 0 } },
      },
      { ...context, stream: false },
    ) as Record<string, unknown>;
    expect(message).to.deep.include({
      type: 'message',
      role: 'assistant',
      model: 'gpt-5-2025-08-07',
      stop_reason: 'tool_use',
      stop_sequence: null,
      content: [
        { type: 'text', text: 'Sure.' },
        { type: 'tool_use', id: 'call_1', name: 'Bash', input: { command: 'pwd' } },
      ],
      usage: { input_tokens: 50, output_tokens: 9, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    });
    expect(message.id).to.match(/^msg_[0-9a-f]{32}$/);
    const error = messagesToChatTranslator.error!(
      { error: { message: 'Rate limit reached for gpt-5', type: 'requests', code: 'rate_limit_exceeded' } },
      429,
      context,
    );
    expect(error).to.deep.equal({ type: 'error', error: { type: 'rate_limit_error', message: 'Rate limit reached for gpt-5' } });
  });
});
