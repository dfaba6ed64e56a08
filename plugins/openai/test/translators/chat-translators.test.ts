/**
 * Fixtures both ways for the three chat translators: requests (system prompt, image,
 * tools, a tool call and its result), unary answers, and streams incl. a streamed tool
 * call, usage and stop reasons.
 */
import { expect } from 'chai';
import { chatToAnthropicTranslator, chatToGeminiTranslator, chatToResponsesTranslator } from '../../src/translators/index.js';
import { CHAT_REQUEST } from './chat-request-fixtures.js';
import { assemble, dataFrames, runStream, sse } from './run-stream.js';

const ctx = (stream: boolean) => ({
  model: 'some-model',
  stream,
  operation: 'chat',
  clientBody: { stream_options: { include_usage: true } },
});
const WEATHER = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };

describe('openai-chat -> openai-responses translator', () => {
  it('converts the request', () => {
    const { body, operation, stream } = chatToResponsesTranslator.request({ ...CHAT_REQUEST, stream: true }, ctx(true));
    expect(operation).to.equal('responses');
    expect(stream).to.equal(true);
    expect(body).to.deep.equal({
      model: 'some-model',
      stream: true,
      instructions: 'Be brief.',
      input: [
        {
          type: 'message',
          role: 'user',
          content: [
            { type: 'input_text', text: 'What is in this image, and the weather in Paris?' },
            { type: 'input_image', image_url: 'data:image/png;base64,iVBORw0KGgo=', detail: 'auto' },
          ],
        },
        { type: 'function_call', call_id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
        { type: 'function_call_output', call_id: 'call_1', output: '{"temp":21}' },
      ],
      tools: [{ type: 'function', name: 'get_weather', description: 'Weather by city', parameters: WEATHER, strict: false }],
      tool_choice: 'auto',
      max_output_tokens: 300,
      temperature: 0.5,
    });
  });

  it('converts a unary answer with a tool call', () => {
    const chat = chatToResponsesTranslator.response(
      {
        id: 'resp_9',
        model: 'gpt-5',
        status: 'completed',
        created_at: 5,
        output: [
          { type: 'reasoning', summary: [] },
          { type: 'function_call', id: 'fc_1', call_id: 'call_7', name: 'get_weather', arguments: '{"city":"Rome"}' },
        ],
        usage: {
          input_tokens: 30,
          input_tokens_details: { cached_tokens: 10 },
          output_tokens: 9,
          output_tokens_details: { reasoning_tokens: 4 },
        },
      },
      ctx(false),
    );
    expect(chat).to.deep.include({ id: 'resp_9', object: 'chat.completion', model: 'gpt-5', created: 5 });
    const { choices, usage } = chat as { choices: unknown[]; usage: unknown };
    expect(choices[0]).to.deep.equal({
      index: 0,
      logprobs: null,
      finish_reason: 'tool_calls',
      message: {
        role: 'assistant',
        content: null,
        refusal: null,
        tool_calls: [{ id: 'call_7', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Rome"}' } }],
      },
    });
    expect(usage).to.deep.equal({
      prompt_tokens: 30,
      completion_tokens: 9,
      total_tokens: 39,
      prompt_tokens_details: { cached_tokens: 10 },
      completion_tokens_details: { reasoning_tokens: 4 },
    });
  });

  it('converts a stream with text and a streamed tool call', () => {
    const events = [
      { type: 'response.created', response: { id: 'resp_1', model: 'gpt-5' } },
      { type: 'response.output_item.added', output_index: 0, item: { id: 'msg_1', type: 'message' } },
      { type: 'response.output_text.delta', item_id: 'msg_1', delta: 'Checking ' },
      { type: 'response.output_text.delta', item_id: 'msg_1', delta: 'now.' },
      {
        type: 'response.output_item.added',
        output_index: 1,
        item: { id: 'fc_1', type: 'function_call', call_id: 'call_1', name: 'get_weather', arguments: '' },
      },
      { type: 'response.function_call_arguments.delta', item_id: 'fc_1', output_index: 1, delta: '{"city":' },
      { type: 'response.function_call_arguments.delta', item_id: 'fc_1', output_index: 1, delta: '"Paris"}' },
      {
        type: 'response.completed',
        response: { id: 'resp_1', status: 'completed', usage: { input_tokens: 12, output_tokens: 5 } },
      },
    ];
    const out = runStream(chatToResponsesTranslator, sse(events.map((data) => ({ event: data.type, data }))), {
      clientBody: { stream_options: { include_usage: true } },
    });
    const result = assemble(dataFrames(out));
    expect(result).to.deep.include({ text: 'Checking now.', finish: 'tool_calls', done: true });
    expect(result.toolCalls).to.deep.equal([{ id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' }]);
    expect(result.usage).to.deep.include({ prompt_tokens: 12, completion_tokens: 5, total_tokens: 17 });
    const withoutUsage = assemble(dataFrames(runStream(chatToResponsesTranslator, sse(events.map((data) => ({ data }))))));
    expect(withoutUsage.usage, 'no usage chunk unless include_usage').to.equal(undefined);
  });
});

describe('openai-chat -> gemini translator', () => {
  it('converts the request', () => {
    const { body, operation } = chatToGeminiTranslator.request(CHAT_REQUEST, ctx(true));
    expect(operation).to.equal('streamGenerateContent');
    expect(body).to.deep.equal({
      systemInstruction: { parts: [{ text: 'Be brief.' }] },
      contents: [
        {
          role: 'user',
          parts: [
            { text: 'What is in this image, and the weather in Paris?' },
            { inlineData: { mimeType: 'image/png', data: 'iVBORw0KGgo=' } },
          ],
        },
        { role: 'model', parts: [{ functionCall: { name: 'get_weather', args: { city: 'Paris' } } }] },
        { role: 'user', parts: [{ functionResponse: { name: 'get_weather', response: { temp: 21 } } }] },
      ],
      tools: [{ functionDeclarations: [{ name: 'get_weather', description: 'Weather by city', parametersJsonSchema: WEATHER }] }],
      toolConfig: { functionCallingConfig: { mode: 'AUTO' } },
      generationConfig: { temperature: 0.5, maxOutputTokens: 300, stopSequences: ['END'] },
    });
    expect(chatToGeminiTranslator.request(CHAT_REQUEST, ctx(false)).operation).to.equal('generateContent');
  });

  it('converts a unary answer, skipping thoughts', () => {
    const chat = chatToGeminiTranslator.response(
      {
        candidates: [
          {
            content: { role: 'model', parts: [{ text: 'thinking...', thought: true }, { text: 'Hi!' }] },
            finishReason: 'MAX_TOKENS',
          },
        ],
        usageMetadata: { promptTokenCount: 10, cachedContentTokenCount: 4, candidatesTokenCount: 3, thoughtsTokenCount: 2 },
        modelVersion: 'gemini-2.5-pro',
        responseId: 'r1',
      },
      ctx(false),
    ) as { choices: { message: unknown; finish_reason: string }[]; usage: unknown; model: string };
    expect(chat.model).to.equal('gemini-2.5-pro');
    expect(chat.choices[0]).to.deep.include({
      finish_reason: 'length',
      message: { role: 'assistant', content: 'Hi!', refusal: null },
    });
    expect(chat.usage).to.deep.equal({
      prompt_tokens: 10,
      completion_tokens: 5,
      total_tokens: 15,
      prompt_tokens_details: { cached_tokens: 4 },
      completion_tokens_details: { reasoning_tokens: 2 },
    });
  });

  it('converts a stream with text and a tool call', () => {
    const chunks = [
      { candidates: [{ content: { role: 'model', parts: [{ text: 'Let me ' }] } }], modelVersion: 'gemini-2.5-flash' },
      { candidates: [{ content: { role: 'model', parts: [{ text: 'check.' }] } }] },
      {
        candidates: [
          {
            content: { role: 'model', parts: [{ functionCall: { name: 'get_weather', args: { city: 'Paris' } } }] },
            finishReason: 'STOP',
          },
        ],
        usageMetadata: { promptTokenCount: 8, candidatesTokenCount: 6 },
      },
    ];
    const out = runStream(chatToGeminiTranslator, sse(chunks.map((data) => ({ data }))).replace(/\n/g, '\r\n'), {
      clientBody: { stream_options: { include_usage: true } },
      step: 5,
    });
    const frames = dataFrames(out.replace(/\r\n/g, '\n'));
    const result = assemble(frames);
    expect(result).to.deep.include({ text: 'Let me check.', finish: 'tool_calls', done: true });
    expect(result.toolCalls).to.deep.equal([{ id: 'call_0', name: 'get_weather', arguments: '{"city":"Paris"}' }]);
    expect(result.usage).to.deep.include({ prompt_tokens: 8, completion_tokens: 6 });
    expect((frames[1] as { model: string }).model).to.equal('gemini-2.5-flash');
  });

  it('converts a Google error into OpenAI error JSON', () => {
    expect(
      chatToGeminiTranslator.error!(
        { error: { code: 429, message: 'slow down', status: 'RESOURCE_EXHAUSTED' } },
        429,
        ctx(false),
      ),
    ).to.deep.equal({ error: { message: 'slow down', type: 'resource_exhausted', param: null, code: 'RESOURCE_EXHAUSTED' } });
  });
});

describe('openai-chat -> anthropic-messages translator', () => {
  it('converts the request', () => {
    const { body, operation } = chatToAnthropicTranslator.request(CHAT_REQUEST, ctx(false));
    expect(operation).to.equal('messages');
    expect(body).to.deep.equal({
      model: 'some-model',
      system: 'Be brief.',
      max_tokens: 300,
      stream: false,
      temperature: 0.5,
      stop_sequences: ['END'],
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is in this image, and the weather in Paris?' },
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
          ],
        },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'call_1', name: 'get_weather', input: { city: 'Paris' } }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'call_1', content: '{"temp":21}' }] },
      ],
      tools: [{ name: 'get_weather', description: 'Weather by city', input_schema: WEATHER }],
      tool_choice: { type: 'auto' },
    });
  });

  it('converts a unary answer with usage incl. cache', () => {
    const chat = chatToAnthropicTranslator.response(
      {
        id: 'msg_1',
        type: 'message',
        role: 'assistant',
        model: 'claude-x',
        stop_reason: 'tool_use',
        content: [
          { type: 'text', text: 'On it.' },
          { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Oslo' } },
        ],
        usage: { input_tokens: 5, cache_creation_input_tokens: 100, cache_read_input_tokens: 50, output_tokens: 12 },
      },
      ctx(false),
    ) as {
      choices: { message: { tool_calls: unknown[]; content: string }; finish_reason: string }[];
      usage: Record<string, unknown>;
    };
    expect(chat.choices[0]!.finish_reason).to.equal('tool_calls');
    expect(chat.choices[0]!.message.content).to.equal('On it.');
    expect(chat.choices[0]!.message.tool_calls).to.deep.equal([
      { id: 'toolu_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } },
    ]);
    expect(chat.usage).to.deep.include({
      prompt_tokens: 155,
      completion_tokens: 12,
      prompt_tokens_details: { cached_tokens: 50 },
    });
  });

  it('converts a stream with a streamed tool call', () => {
    const events = [
      { type: 'message_start', message: { id: 'msg_1', model: 'claude-x', usage: { input_tokens: 9, output_tokens: 1 } } },
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Sure.' } },
      { type: 'content_block_stop', index: 0 },
      {
        type: 'content_block_start',
        index: 1,
        content_block: { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: {} },
      },
      { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '' } },
      { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '{"city": "Pa' } },
      { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: 'ris"}' } },
      { type: 'content_block_stop', index: 1 },
      { type: 'message_delta', delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 20 } },
      { type: 'message_stop' },
    ];
    const out = runStream(chatToAnthropicTranslator, sse(events.map((data) => ({ event: data.type, data }))), {
      clientBody: { stream_options: { include_usage: true } },
    });
    const result = assemble(dataFrames(out));
    expect(result).to.deep.include({ text: 'Sure.', finish: 'tool_calls', done: true });
    expect(result.toolCalls).to.deep.equal([{ id: 'toolu_1', name: 'get_weather', arguments: '{"city": "Paris"}' }]);
    expect(result.usage).to.deep.include({ prompt_tokens: 9, completion_tokens: 20 });
  });

  it('ends the stream with an OpenAI error frame on an Anthropic error event', () => {
    const out = runStream(
      chatToAnthropicTranslator,
      sse([{ event: 'error', data: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } } }]),
    );
    const frames = dataFrames(out);
    expect(frames[0]).to.deep.equal({
      error: { message: 'Overloaded', type: 'overloaded_error', param: null, code: 'overloaded_error' },
    });
    expect(frames.at(-1)).to.equal('[DONE]');
  });
});
