/**
 * A fake Factory API for the tests: a real HTTP server on 127.0.0.1 serving Factory's
 * three LLM endpoints in their wire formats: `/api/llm/a/v1/messages` (Anthropic
 * Messages, JSON or SSE), `/api/llm/o/v1/responses` (OpenAI Responses, JSON or typed
 * SSE events) and `/api/llm/o/v1/chat/completions` (chat completions, JSON or SSE, the
 * usage chunk only when asked for). It accepts `Authorization: Bearer` with one of the
 * credentials it is given and answers 401 in Factory's JSON error shape otherwise.
 */
import type http from 'node:http';
import { startFakeUpstream, writeSse, type FakeUpstream, type RecordedRequest, type SseFrame } from '@switchyard/core/testing';

/** What every Anthropic answer reports. */
export const ANTHROPIC_USAGE = {
  input_tokens: 30,
  output_tokens: 12,
  cache_creation_input_tokens: 0,
  cache_read_input_tokens: 100,
};
/** What every Responses answer reports. */
export const RESPONSES_USAGE = {
  input_tokens: 40,
  input_tokens_details: { cached_tokens: 10 },
  output_tokens: 9,
  output_tokens_details: { reasoning_tokens: 4 },
  total_tokens: 49,
};
/** What every chat answer reports. */
export const CHAT_USAGE = { prompt_tokens: 25, completion_tokens: 6, total_tokens: 31 };

/** Writes Factory's error JSON with `status`. */
export function writeFactoryError(res: http.ServerResponse, status: number, message = `fake factory error ${status}`): void {
  res.statusCode = status;
  if (!res.hasHeader('content-type')) res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ detail: message, status }));
}

/** A unary Anthropic message. */
export function anthropicMessage(model: string, text = 'Hello from Factory.'): Record<string, unknown> {
  return {
    id: 'msg_factory_1',
    type: 'message',
    role: 'assistant',
    model,
    content: [{ type: 'text', text }],
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage: ANTHROPIC_USAGE,
  };
}

export function writeAnthropicUnary(res: http.ServerResponse, model = 'claude-sonnet-4-5-20250929'): void {
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(anthropicMessage(model)));
}

/** The frames of a streamed Anthropic message. */
export function anthropicFrames(model = 'claude-sonnet-4-5-20250929', text = 'Hello there from Factory'): SseFrame[] {
  const message = {
    ...anthropicMessage(model, ''),
    content: [],
    stop_reason: null,
    usage: { ...ANTHROPIC_USAGE, output_tokens: 1 },
  };
  return [
    { event: 'message_start', data: { type: 'message_start', message } },
    { event: 'content_block_start', data: { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } } },
    ...text.split(/(?<= )/).map((word) => ({
      event: 'content_block_delta',
      data: { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: word } },
    })),
    { event: 'content_block_stop', data: { type: 'content_block_stop', index: 0 } },
    {
      event: 'message_delta',
      data: { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 12 } },
    },
    { event: 'message_stop', data: { type: 'message_stop' } },
  ];
}

export function writeAnthropicStream(res: http.ServerResponse, options: { model?: string; intervalMs?: number } = {}) {
  return writeSse(res, anthropicFrames(options.model), { intervalMs: options.intervalMs ?? 30 });
}

/** A Responses object. */
export function responseObject(model: string, text = 'Hello from Factory.', status = 'completed'): Record<string, unknown> {
  return {
    id: 'resp_factory_1',
    object: 'response',
    created_at: 1_764_000_000,
    status,
    model,
    output: [
      {
        id: 'msg_1',
        type: 'message',
        status: 'completed',
        role: 'assistant',
        content: [{ type: 'output_text', text, annotations: [] }],
      },
    ],
    usage: RESPONSES_USAGE,
  };
}

export function writeResponsesUnary(res: http.ServerResponse, model = 'gpt-5-2025-08-07'): void {
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(responseObject(model)));
}

/** The typed frames of a streamed Responses answer. */
export function responsesFrames(model = 'gpt-5-2025-08-07', text = 'Hello there from Factory'): SseFrame[] {
  let seq = 0;
  const frame = (type: string, data: Record<string, unknown>): SseFrame => ({
    event: type,
    data: { type, sequence_number: seq++, ...data },
  });
  const item = { id: 'msg_1', type: 'message', status: 'in_progress', role: 'assistant', content: [] };
  return [
    frame('response.created', { response: { ...responseObject(model, '', 'in_progress'), output: [], usage: null } }),
    frame('response.output_item.added', { output_index: 0, item }),
    frame('response.content_part.added', {
      item_id: 'msg_1',
      output_index: 0,
      content_index: 0,
      part: { type: 'output_text', text: '', annotations: [] },
    }),
    ...text
      .split(/(?<= )/)
      .map((delta) => frame('response.output_text.delta', { item_id: 'msg_1', output_index: 0, content_index: 0, delta })),
    frame('response.output_text.done', { item_id: 'msg_1', output_index: 0, content_index: 0, text }),
    frame('response.completed', { response: responseObject(model, text) }),
  ];
}

export function writeResponsesStream(res: http.ServerResponse, options: { model?: string; intervalMs?: number } = {}) {
  return writeSse(res, responsesFrames(options.model), { intervalMs: options.intervalMs ?? 30 });
}

/** A unary chat completion. */
export function chatCompletion(model: string, text = 'Hello from Factory.'): Record<string, unknown> {
  return {
    id: 'chatcmpl-factory-1',
    object: 'chat.completion',
    created: 1_764_000_000,
    model,
    choices: [{ index: 0, message: { role: 'assistant', content: text, refusal: null }, finish_reason: 'stop' }],
    usage: CHAT_USAGE,
  };
}

export function writeChatUnary(res: http.ServerResponse, model = 'glm-4.6'): void {
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(chatCompletion(model)));
}

/** The frames of a streamed chat completion; the usage chunk only `withUsage`. */
export function chatFrames(options: { model?: string; text?: string; withUsage?: boolean } = {}): SseFrame[] {
  const base = {
    id: 'chatcmpl-factory-2',
    object: 'chat.completion.chunk',
    created: 1_764_000_000,
    model: options.model ?? 'glm-4.6',
  };
  const words = (options.text ?? 'Hello there from Factory').split(/(?<= )/);
  const frames: SseFrame[] = [
    { data: { ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] } },
    ...words.map((word) => ({ data: { ...base, choices: [{ index: 0, delta: { content: word }, finish_reason: null }] } })),
    { data: { ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] } },
  ];
  if (options.withUsage !== false) frames.push({ data: { ...base, choices: [], usage: CHAT_USAGE } });
  frames.push({ data: '[DONE]' });
  return frames;
}

export function writeChatStream(
  res: http.ServerResponse,
  options: { model?: string; withUsage?: boolean; intervalMs?: number } = {},
): Promise<void> {
  return writeSse(res, chatFrames(options), { intervalMs: options.intervalMs ?? 30 });
}

/** The fake's configuration. */
export interface FakeFactoryOptions {
  /** Bearer credentials it accepts (API keys or access tokens). */
  accept: readonly string[];
  intervalMs?: number;
}

/** A handler checking the bearer credential, answering by path and the body's `stream`. */
export function factoryHandler(options: FakeFactoryOptions) {
  const intervalMs = options.intervalMs ?? 5;
  return async (req: RecordedRequest, res: http.ServerResponse): Promise<void> => {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!token || !options.accept.includes(token)) return writeFactoryError(res, 401, 'Invalid API key');
    if (req.method !== 'POST') return writeFactoryError(res, 405, 'Method not allowed');
    let body: { model?: string; stream?: boolean; stream_options?: { include_usage?: boolean } };
    try {
      body = req.json();
    } catch {
      return writeFactoryError(res, 400, 'invalid JSON');
    }
    const model = typeof body.model === 'string' ? body.model : 'unknown';
    const stream = body.stream === true;
    switch (req.path) {
      case '/api/llm/a/v1/messages':
        return stream ? writeAnthropicStream(res, { model, intervalMs }) : writeAnthropicUnary(res, model);
      case '/api/llm/o/v1/responses':
        return stream ? writeResponsesStream(res, { model, intervalMs }) : writeResponsesUnary(res, model);
      case '/api/llm/o/v1/chat/completions':
        return stream
          ? writeChatStream(res, { model, intervalMs, withUsage: body.stream_options?.include_usage === true })
          : writeChatUnary(res, model);
      default:
        return writeFactoryError(res, 404, 'Not found');
    }
  };
}

/** Starts a fake Factory API. */
export function startFakeFactory(options: FakeFactoryOptions): Promise<FakeUpstream> {
  return startFakeUpstream(factoryHandler(options));
}
