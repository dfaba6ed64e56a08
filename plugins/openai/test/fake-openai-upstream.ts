/**
 * A fake OpenAI API for the tests: a real HTTP server on 127.0.0.1 speaking Chat
 * Completions (unary, SSE `data:` chunks with `[DONE]`) and Responses (unary, typed SSE),
 * with OpenAI error JSON. Routes are under `/v1` like api.openai.com.
 */
import type http from 'node:http';
import { startFakeUpstream, writeSse, type FakeUpstream, type RecordedRequest, type SseFrame } from '@switchyard/core/testing';

/** Usage every canned chat answer reports: 20 prompt tokens of which 8 cached, 7 completion tokens of which 2 reasoning. */
export const CHAT_USAGE = {
  prompt_tokens: 20,
  completion_tokens: 7,
  total_tokens: 27,
  prompt_tokens_details: { cached_tokens: 8 },
  completion_tokens_details: { reasoning_tokens: 2 },
} as const;

/** Usage every canned Responses answer reports. */
export const RESPONSES_USAGE = {
  input_tokens: 20,
  input_tokens_details: { cached_tokens: 8 },
  output_tokens: 7,
  output_tokens_details: { reasoning_tokens: 2 },
  total_tokens: 27,
} as const;

/** A unary chat completion. */
export function chatCompletion(text = 'Hello from the fake.', model = 'gpt-5'): Record<string, unknown> {
  return {
    id: 'chatcmpl-1',
    object: 'chat.completion',
    created: 1_700_000_000,
    model,
    choices: [{ index: 0, message: { role: 'assistant', content: text, refusal: null }, finish_reason: 'stop' }],
    usage: CHAT_USAGE,
  };
}

/** Writes a unary chat completion. */
export function writeChatUnary(res: http.ServerResponse, text?: string): void {
  res
    .writeHead(200, { 'content-type': 'application/json', 'x-request-id': 'req_chat' })
    .end(JSON.stringify(chatCompletion(text)));
}

/** The SSE frames of a streamed chat completion: role, words, finish, usage chunk, `[DONE]`. */
export function chatFrames(text = 'Hello there from the fake upstream', model = 'gpt-5'): SseFrame[] {
  const base = { id: 'chatcmpl-2', object: 'chat.completion.chunk', created: 1_700_000_000, model };
  const words = text.split(/(?<= )/);
  return [
    { data: { ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] } },
    ...words.map((word) => ({ data: { ...base, choices: [{ index: 0, delta: { content: word }, finish_reason: null }] } })),
    { data: { ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] } },
    { data: { ...base, choices: [], usage: CHAT_USAGE } },
    { data: '[DONE]' },
  ];
}

/** Streams a chat completion, `intervalMs` (default 30) between frames. */
export function writeChatStream(res: http.ServerResponse, options: { text?: string; intervalMs?: number } = {}): Promise<void> {
  return writeSse(res, chatFrames(options.text), {
    intervalMs: options.intervalMs ?? 30,
    headers: { 'x-request-id': 'req_chat_stream' },
  });
}

/** A unary Responses API response object. */
export function responseObject(text = 'Hello from the fake.', model = 'gpt-5', status = 'completed'): Record<string, unknown> {
  return {
    id: 'resp_1',
    object: 'response',
    created_at: 1_700_000_000,
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

/** Writes a unary Responses answer. */
export function writeResponsesUnary(res: http.ServerResponse, text?: string): void {
  res
    .writeHead(200, { 'content-type': 'application/json', 'x-request-id': 'req_resp' })
    .end(JSON.stringify(responseObject(text)));
}

/** The typed SSE frames of a streamed Responses answer. */
export function responsesFrames(text = 'Hello there from the fake upstream', model = 'gpt-5'): SseFrame[] {
  const words = text.split(/(?<= )/);
  const item = { id: 'msg_1', type: 'message', status: 'in_progress', role: 'assistant', content: [] };
  let seq = 0;
  const frame = (type: string, data: Record<string, unknown>): SseFrame => ({
    event: type,
    data: { type, sequence_number: seq++, ...data },
  });
  return [
    frame('response.created', { response: { ...responseObject('', model, 'in_progress'), output: [], usage: null } }),
    frame('response.output_item.added', { output_index: 0, item }),
    frame('response.content_part.added', {
      item_id: 'msg_1',
      output_index: 0,
      content_index: 0,
      part: { type: 'output_text', text: '', annotations: [] },
    }),
    ...words.map((delta) => frame('response.output_text.delta', { item_id: 'msg_1', output_index: 0, content_index: 0, delta })),
    frame('response.output_text.done', { item_id: 'msg_1', output_index: 0, content_index: 0, text }),
    frame('response.output_item.done', {
      output_index: 0,
      item: { ...item, status: 'completed', content: [{ type: 'output_text', text, annotations: [] }] },
    }),
    frame('response.completed', { response: responseObject(text, model) }),
  ];
}

/** Streams a Responses answer. */
export function writeResponsesStream(
  res: http.ServerResponse,
  options: { text?: string; intervalMs?: number } = {},
): Promise<void> {
  return writeSse(res, responsesFrames(options.text), {
    intervalMs: options.intervalMs ?? 30,
    headers: { 'x-request-id': 'req_resp_stream' },
  });
}

/** Writes OpenAI error JSON with `status`. */
export function writeOpenAiError(res: http.ServerResponse, status: number, code?: string): void {
  const type = status === 429 ? 'requests' : status === 401 ? 'invalid_request_error' : 'server_error';
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.end(
    JSON.stringify({
      error: { message: `fake error ${status}`, type, param: null, code: code ?? (status === 401 ? 'invalid_api_key' : null) },
    }),
  );
}

/** A handler answering `/v1/chat/completions` and `/v1/responses` by the body's `stream`. */
export function openAiHandler(options: { apiKey?: string; intervalMs?: number } = {}) {
  return async (req: RecordedRequest, res: http.ServerResponse): Promise<void> => {
    if (options.apiKey !== undefined && req.headers.authorization !== `Bearer ${options.apiKey}`)
      return writeOpenAiError(res, 401);
    let body: { stream?: unknown };
    try {
      body = req.json();
    } catch {
      return writeOpenAiError(res, 400);
    }
    const stream = body.stream === true;
    const intervalMs = options.intervalMs ?? 10;
    if (req.method === 'POST' && req.path === '/v1/chat/completions')
      return stream ? writeChatStream(res, { intervalMs }) : writeChatUnary(res);
    if (req.method === 'POST' && req.path === '/v1/responses')
      return stream ? writeResponsesStream(res, { intervalMs }) : writeResponsesUnary(res);
    writeOpenAiError(res, 404);
  };
}

/** Starts a fake OpenAI API. */
export function startFakeOpenAi(options: { apiKey?: string; intervalMs?: number } = {}): Promise<FakeUpstream> {
  return startFakeUpstream(openAiHandler(options));
}
