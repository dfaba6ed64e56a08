/**
 * The `anthropic-messages -> gemini` translator on real shapes: a Claude Code style
 * request (system blocks, a `role: "system"` message, thinking, tool use and results,
 * images), Gemini SSE chunks as `streamGenerateContent?alt=sse` sends them (CRLF, split
 * at odd byte offsets), a unary answer, Google errors and a cut stream.
 */
import { expect } from 'chai';
import type { TranslatorDefinition } from '@switchyard/plugin-api';
import { messagesToGeminiTranslator } from '../../src/index.js';

const context = { model: 'gemini-2.5-pro', stream: true, operation: 'messages' };

function run(translator: TranslatorDefinition, upstream: string, step = 7): string {
  const stream = translator.createStream(context);
  const bytes = Buffer.from(upstream, 'utf8');
  let out = '';
  for (let offset = 0; offset < bytes.length; offset += step) out += stream.push(bytes.subarray(offset, offset + step)) ?? '';
  return out + (stream.end() ?? '');
}

function events(text: string): { event: string; data: Record<string, unknown> }[] {
  return text
    .split('\n\n')
    .filter((frame) => frame.trim() !== '')
    .map((frame) => {
      const event = /^event: (.*)$/m.exec(frame)?.[1] ?? '';
      const data = JSON.parse(/^data: (.*)$/m.exec(frame)?.[1] ?? 'null') as Record<string, unknown>;
      expect(data.type).to.equal(event);
      return { event, data };
    });
}

const sse = (chunks: unknown[]) => chunks.map((chunk) => `data: ${JSON.stringify(chunk)}\r\n\r\n`).join('');

describe('anthropic-messages -> gemini translator', () => {
  it('converts a Claude Code request: systemInstruction, turns, images, function calls and responses', () => {
    const { body, operation, stream } = messagesToGeminiTranslator.request(
      {
        model: 'claude-opus-4-8',
        max_tokens: 64000,
        stream: true,
        thinking: { type: 'adaptive' },
        system: [
          { type: 'text', text: 'You are a coding agent.', cache_control: { type: 'ephemeral' } },
          { type: 'text', text: 'Be careful.' },
        ],
        tools: [{ name: 'Bash', description: 'Runs a command', input_schema: { type: 'object', properties: {} } }],
        tool_choice: { type: 'tool', name: 'Bash' },
        temperature: 1,
        top_k: 40,
        stop_sequences: ['END'],
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'What is in here?' },
              { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
              { type: 'image', source: { type: 'url', url: 'https://example.com/a.webp' } },
            ],
          },
          { role: 'system', content: [{ type: 'text', text: 'Agent types: general.' }] },
          {
            role: 'assistant',
            content: [
              { type: 'thinking', thinking: 'hmm', signature: 'sig' },
              { type: 'tool_use', id: 'toolu_9', name: 'Bash', input: { command: 'ls' } },
            ],
          },
          {
            role: 'user',
            content: [
              { type: 'tool_result', tool_use_id: 'toolu_9', content: 'a.txt', is_error: true },
              { type: 'text', text: 'Go on.' },
            ],
          },
        ],
      },
      context,
    );
    expect(operation).to.equal('streamGenerateContent');
    expect(stream).to.equal(true);
    expect(body).to.deep.equal({
      systemInstruction: { parts: [{ text: 'You are a coding agent.\n\nBe careful.\n\nAgent types: general.' }] },
      contents: [
        {
          role: 'user',
          parts: [
            { text: 'What is in here?' },
            { inlineData: { mimeType: 'image/png', data: 'iVBORw0KGgo=' } },
            { fileData: { mimeType: 'image/webp', fileUri: 'https://example.com/a.webp' } },
          ],
        },
        {
          role: 'model',
          parts: [
            { functionCall: { name: 'Bash', args: { command: 'ls' } }, thoughtSignature: 'skip_thought_signature_validator' },
          ],
        },
        { role: 'user', parts: [{ functionResponse: { name: 'Bash', response: { error: 'a.txt' } } }, { text: 'Go on.' }] },
      ],
      tools: [
        {
          functionDeclarations: [
            { name: 'Bash', description: 'Runs a command', parametersJsonSchema: { type: 'object', properties: {} } },
          ],
        },
      ],
      toolConfig: { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['Bash'] } },
      generationConfig: { maxOutputTokens: 64000, temperature: 1, topK: 40, stopSequences: ['END'] },
    });
    const unary = messagesToGeminiTranslator.request({ messages: [] }, { ...context, stream: false });
    expect(unary.operation).to.equal('generateContent');
  });

  it('streams text and a function call as Anthropic events, usage from the last usageMetadata', () => {
    const upstream = sse([
      { candidates: [{ content: { role: 'model', parts: [{ text: 'Checking' }] }, index: 0 }], modelVersion: 'gemini-2.5-pro' },
      {
        candidates: [{ content: { role: 'model', parts: [{ text: 'plan', thought: true }, { text: ' now.' }] }, index: 0 }],
        modelVersion: 'gemini-2.5-pro',
      },
      {
        candidates: [
          {
            content: {
              role: 'model',
              parts: [{ functionCall: { name: 'Bash', args: { command: 'ls -la' } }, thoughtSignature: 'CiQB' }],
            },
            finishReason: 'STOP',
            index: 0,
          },
        ],
        usageMetadata: {
          promptTokenCount: 900,
          cachedContentTokenCount: 800,
          candidatesTokenCount: 20,
          thoughtsTokenCount: 30,
          totalTokenCount: 950,
        },
        modelVersion: 'gemini-2.5-pro',
      },
    ]);
    const out = events(run(messagesToGeminiTranslator, upstream, 5));
    expect(out.map((e) => e.event)).to.deep.equal([
      'message_start',
      'ping',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'content_block_start',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(out[4]!.data.delta).to.deep.equal({ type: 'text_delta', text: ' now.' });
    const tool = out[6]!.data.content_block as Record<string, unknown>;
    expect(tool).to.deep.include({ type: 'tool_use', name: 'Bash', input: {} });
    expect(tool.id).to.match(/^toolu_[0-9a-f]{32}$/);
    expect(JSON.parse((out[7]!.data.delta as { partial_json: string }).partial_json)).to.deep.equal({ command: 'ls -la' });
    expect(out[9]!.data).to.deep.equal({
      type: 'message_delta',
      delta: { stop_reason: 'tool_use', stop_sequence: null },
      usage: { input_tokens: 100, output_tokens: 50, cache_creation_input_tokens: 0, cache_read_input_tokens: 800 },
    });
  });

  it('maps MAX_TOKENS and SAFETY; a stream without a finish reason ends with an error event', () => {
    const stop = (finishReason: string) =>
      (
        events(
          run(messagesToGeminiTranslator, sse([{ candidates: [{ content: { parts: [{ text: 'x' }] }, finishReason }] }])),
        ).find((e) => e.event === 'message_delta')!.data.delta as { stop_reason: string }
      ).stop_reason;
    expect(stop('MAX_TOKENS')).to.equal('max_tokens');
    expect(stop('SAFETY')).to.equal('refusal');
    const cut = events(run(messagesToGeminiTranslator, sse([{ candidates: [{ content: { parts: [{ text: 'Hal' }] } }] }])));
    expect(cut.at(-1)!.event).to.equal('error');
    expect(cut.map((e) => e.event)).not.to.include('message_stop');
  });

  it('converts a unary answer and Google errors (also the array form)', () => {
    const message = messagesToGeminiTranslator.response(
      {
        candidates: [{ content: { role: 'model', parts: [{ text: 'Bonjour.' }] }, finishReason: 'STOP' }],
        usageMetadata: { promptTokenCount: 40, candidatesTokenCount: 10, totalTokenCount: 50 },
        modelVersion: 'gemini-2.5-flash',
      },
      { ...context, stream: false },
    );
    expect(message).to.deep.include({
      type: 'message',
      model: 'gemini-2.5-flash',
      content: [{ type: 'text', text: 'Bonjour.' }],
      stop_reason: 'end_turn',
      usage: { input_tokens: 40, output_tokens: 10, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    });
    const quota = { error: { code: 429, message: 'Resource has been exhausted', status: 'RESOURCE_EXHAUSTED' } };
    const expected = { type: 'error', error: { type: 'rate_limit_error', message: 'Resource has been exhausted' } };
    expect(messagesToGeminiTranslator.error!(quota, 429, context)).to.deep.equal(expected);
    expect(messagesToGeminiTranslator.error!([quota], 429, context)).to.deep.equal(expected);
  });
});

describe('anthropic-messages -> gemini: count_tokens', () => {
  it('asks Gemini countTokens with the converted request and answers input_tokens', () => {
    const count = { ...context, stream: false, operation: 'count_tokens' };
    const translated = messagesToGeminiTranslator.request(
      { model: 'claude-opus-4-8', system: 'Be brief.', messages: [{ role: 'user', content: 'Hi' }] },
      count,
    );
    expect(translated).to.deep.equal({
      operation: 'countTokens',
      stream: false,
      body: {
        generateContentRequest: {
          model: 'models/gemini-2.5-pro',
          contents: [{ role: 'user', parts: [{ text: 'Hi' }] }],
          systemInstruction: { parts: [{ text: 'Be brief.' }] },
        },
      },
    });
    expect(messagesToGeminiTranslator.response({ totalTokens: 31 }, count)).to.deep.equal({ input_tokens: 31 });
  });
});
