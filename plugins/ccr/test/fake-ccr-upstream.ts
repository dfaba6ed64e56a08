/**
 * A fake CCR upstream for the tests: a real HTTP server on 127.0.0.1 answering the
 * Anthropic Messages wire format the way Claude Code Router does (the model it routed to
 * in `model`, the input count only in `message_delta`), count_tokens, and Anthropic-shaped
 * errors. The tests against the real router are in ccr-real-router.test.ts.
 */
import type http from 'node:http';
import { startFakeUpstream, writeSse, type FakeUpstream, type RecordedRequest, type SseFrame } from '@switchyard/core/testing';

/** Usage every canned answer reports unless told otherwise. */
export const CCR_USAGE = { input_tokens: 30, output_tokens: 12, cache_read_input_tokens: 0 } as const;

/** Options of the canned writers. */
export interface CcrAnswer {
  /** The model the router says it served (default `deepseek/deepseek-chat`). */
  model?: string;
  usage?: Record<string, unknown>;
  text?: string;
}

const DEFAULT_MODEL = 'deepseek/deepseek-chat';
const DEFAULT_TEXT = 'Hello from the fake router upstream.';

/** Writes a unary Messages answer. */
export function writeCcrUnary(res: http.ServerResponse, answer: CcrAnswer = {}): void {
  const body = {
    id: 'msg_ccr_0001',
    type: 'message',
    role: 'assistant',
    model: answer.model ?? DEFAULT_MODEL,
    content: [{ type: 'text', text: answer.text ?? DEFAULT_TEXT }],
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage: answer.usage ?? CCR_USAGE,
  };
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
}

/** The frames of a streamed answer as the router writes them: zero usage at the start, the counts in message_delta. */
export function ccrFrames(answer: CcrAnswer = {}): SseFrame[] {
  const words = (answer.text ?? DEFAULT_TEXT).split(/(?<= )/);
  const frame = (type: string, data: Record<string, unknown>): SseFrame => ({ event: type, data: { type, ...data } });
  return [
    frame('message_start', {
      message: {
        id: 'msg_ccr_0002',
        type: 'message',
        role: 'assistant',
        content: [],
        model: answer.model ?? DEFAULT_MODEL,
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: 0, output_tokens: 0 },
      },
    }),
    frame('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
    ...words.map((text) => frame('content_block_delta', { index: 0, delta: { type: 'text_delta', text } })),
    frame('content_block_stop', { index: 0 }),
    frame('message_delta', { delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: answer.usage ?? CCR_USAGE }),
    frame('message_stop', {}),
  ];
}

/** Streams an answer, `intervalMs` (default 30) between frames. */
export function writeCcrStream(res: http.ServerResponse, answer: CcrAnswer & { intervalMs?: number } = {}): Promise<void> {
  return writeSse(res, ccrFrames(answer), { intervalMs: answer.intervalMs ?? 30 });
}

/** Writes an Anthropic-shaped error (headers already set on `res` are kept). */
export function writeCcrError(res: http.ServerResponse, status: number, message = `fake router error ${status}`): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ type: 'error', error: { type: status === 429 ? 'rate_limit_error' : 'api_error', message } }));
}

function presented(req: RecordedRequest): string | undefined {
  const key = req.headers['x-api-key'];
  if (typeof key === 'string') return key;
  const auth = req.headers.authorization;
  return typeof auth === 'string' && auth.startsWith('Bearer ') ? auth.slice(7) : undefined;
}

/** A handler answering messages (unary or streamed; the model after the provider segment) and count_tokens. */
export function ccrHandler(options: { credential?: string; intervalMs?: number } = {}) {
  return async (req: RecordedRequest, res: http.ServerResponse): Promise<void> => {
    if (options.credential !== undefined && presented(req) !== options.credential) return writeCcrError(res, 401, 'bad key');
    if (req.method === 'POST' && req.path === '/v1/messages/count_tokens') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ input_tokens: 7 }));
      return;
    }
    if (req.method !== 'POST' || req.path !== '/v1/messages') return writeCcrError(res, 404, `no route ${req.path}`);
    const body = req.json() as { model?: string; stream?: boolean };
    const route = body.model ?? '';
    const answer: CcrAnswer = { model: route.includes(',') ? route.slice(route.indexOf(',') + 1) : route };
    if (body.stream === true) await writeCcrStream(res, { ...answer, intervalMs: options.intervalMs ?? 30 });
    else writeCcrUnary(res, answer);
  };
}

/** Starts a fake router answering with {@link ccrHandler}. */
export function startFakeCcr(options: { credential?: string; intervalMs?: number } = {}): Promise<FakeUpstream> {
  return startFakeUpstream(ccrHandler(options));
}
