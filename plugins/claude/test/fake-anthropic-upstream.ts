/**
 * A fake Anthropic API for the tests: a real HTTP server on 127.0.0.1 speaking the
 * Messages wire format (unary JSON; SSE with `event:` lines in Anthropic's order;
 * `{"type":"error","error":{…}}` errors), count_tokens and the model list.
 */
import type http from 'node:http';
import { startFakeUpstream, writeSse, type FakeUpstream, type RecordedRequest, type SseFrame } from '@switchyard/core/testing';

/** Usage every canned answer reports unless told otherwise. */
export const ANTHROPIC_USAGE = {
  input_tokens: 25,
  cache_creation_input_tokens: 0,
  cache_read_input_tokens: 0,
  output_tokens: 14,
} as const;

/** Options of the canned writers. */
export interface AnthropicAnswer {
  model?: string;
  /** The answer text, streamed word by word (default: five words or more). */
  text?: string;
  /** The usage object (as Anthropic sends it). */
  usage?: Record<string, unknown>;
  /** Extra response headers. */
  headers?: Record<string, string>;
}

const DEFAULT_TEXT = 'Hello from the fake Anthropic upstream.';

/** Writes a unary Messages answer. */
export function writeAnthropicUnary(res: http.ServerResponse, answer: AnthropicAnswer = {}): void {
  const body = {
    id: 'msg_fake_0001',
    type: 'message',
    role: 'assistant',
    model: answer.model ?? 'claude-sonnet-4-5-20250929',
    content: [{ type: 'text', text: answer.text ?? DEFAULT_TEXT }],
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage: answer.usage ?? ANTHROPIC_USAGE,
  };
  res
    .writeHead(200, { 'content-type': 'application/json', 'request-id': 'req_fake_0001', ...answer.headers })
    .end(JSON.stringify(body));
}

/**
 * The frames of a streamed answer in Anthropic's order: message_start (input and cache
 * usage), content_block_start, ping, one content_block_delta per word (at least 5),
 * content_block_stop, message_delta (output usage), message_stop.
 */
export function anthropicFrames(answer: AnthropicAnswer = {}): SseFrame[] {
  const usage = answer.usage ?? ANTHROPIC_USAGE;
  const { output_tokens: outputTokens, ...startUsage } = usage;
  const words = (answer.text ?? DEFAULT_TEXT).split(/(?<= )/);
  while (words.length < 5) words.push('.');
  const frame = (type: string, data: Record<string, unknown>): SseFrame => ({ event: type, data: { type, ...data } });
  return [
    frame('message_start', {
      message: {
        id: 'msg_fake_0002',
        type: 'message',
        role: 'assistant',
        model: answer.model ?? 'claude-sonnet-4-5-20250929',
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { ...startUsage, output_tokens: 1 },
      },
    }),
    frame('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
    frame('ping', {}),
    ...words.map((text) => frame('content_block_delta', { index: 0, delta: { type: 'text_delta', text } })),
    frame('content_block_stop', { index: 0 }),
    frame('message_delta', { delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: outputTokens } }),
    frame('message_stop', {}),
  ];
}

/** Streams an answer, `intervalMs` (default 30) between frames. */
export function writeAnthropicStream(
  res: http.ServerResponse,
  answer: AnthropicAnswer & { intervalMs?: number } = {},
): Promise<void> {
  return writeSse(res, anthropicFrames(answer), {
    intervalMs: answer.intervalMs ?? 30,
    headers: { 'request-id': 'req_fake_0002', ...answer.headers },
  });
}

/** The Anthropic error type for a status. */
function errorType(status: number): string {
  if (status === 400) return 'invalid_request_error';
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 429) return 'rate_limit_error';
  if (status === 529) return 'overloaded_error';
  return 'api_error';
}

/** Writes an Anthropic error answer (headers already set on `res` are kept). */
export function writeAnthropicError(
  res: http.ServerResponse,
  status: number,
  message = `fake error ${status}`,
  type = errorType(status),
): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ type: 'error', error: { type, message } }));
}

/** Options of {@link anthropicHandler}. */
export interface FakeAnthropicOptions {
  /** Requests must carry this credential, as `x-api-key` or `Authorization: Bearer`. */
  credential?: string;
  /** Pause between stream frames (default 30 ms). */
  intervalMs?: number;
  /** Usage of every answer. */
  usage?: Record<string, unknown>;
}

function presented(req: RecordedRequest): string | undefined {
  const key = req.headers['x-api-key'];
  if (typeof key === 'string') return key;
  const auth = req.headers.authorization;
  return typeof auth === 'string' && auth.startsWith('Bearer ') ? auth.slice(7) : undefined;
}

/** A handler answering messages (unary or streamed, echoing the model), count_tokens and models. */
export function anthropicHandler(options: FakeAnthropicOptions = {}) {
  return async (req: RecordedRequest, res: http.ServerResponse): Promise<void> => {
    if (options.credential !== undefined && presented(req) !== options.credential) {
      return writeAnthropicError(res, 401, 'invalid x-api-key');
    }
    if (req.method === 'GET' && req.path === '/v1/models') {
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ data: [{ type: 'model', id: 'claude-sonnet-4-5' }], has_more: false }));
      return;
    }
    if (req.method === 'POST' && req.path === '/v1/messages/count_tokens') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ input_tokens: 42 }));
      return;
    }
    if (req.method !== 'POST' || req.path !== '/v1/messages')
      return writeAnthropicError(res, 404, `no route ${req.method} ${req.path}`);
    let body: { model?: unknown; stream?: unknown };
    try {
      body = req.json();
    } catch {
      return writeAnthropicError(res, 400, 'body is not JSON');
    }
    const answer: AnthropicAnswer = {
      model: typeof body.model === 'string' ? body.model : 'claude-sonnet-4-5',
      ...(options.usage ? { usage: options.usage } : {}),
    };
    if (body.stream === true) await writeAnthropicStream(res, { ...answer, intervalMs: options.intervalMs ?? 30 });
    else writeAnthropicUnary(res, answer);
  };
}

/** Starts a fake Anthropic API answering with {@link anthropicHandler}. */
export function startFakeAnthropic(options: FakeAnthropicOptions = {}): Promise<FakeUpstream> {
  return startFakeUpstream(anthropicHandler(options));
}
