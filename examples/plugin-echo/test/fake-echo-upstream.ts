/**
 * A fake echo server for the tests: a real HTTP server on 127.0.0.1 speaking the echo
 * wire format (unary JSON, SSE `start`/`delta`×N/`done`, `{error:{type,message}}`).
 */
import type http from 'node:http';
import { startFakeUpstream, writeSse, type FakeUpstream, type RecordedRequest, type SseFrame } from '@switchyard/core/testing';

/** Usage every canned answer reports. */
export const ECHO_USAGE = { input_tokens: 11, output_tokens: 7 } as const;

/** Options of the canned writers. */
export interface EchoAnswer {
  model?: string;
  /** The text echoed back (default `hello from echo`). */
  text?: string;
  usage?: { input_tokens: number; output_tokens: number };
}

/** Writes a successful unary echo answer. */
export function writeEchoUnary(res: http.ServerResponse, answer: EchoAnswer = {}): void {
  const body = JSON.stringify({
    id: 'echo_0001',
    model: answer.model ?? 'echo-1',
    output: answer.text ?? 'hello from echo',
    usage: answer.usage ?? ECHO_USAGE,
  });
  res.writeHead(200, { 'content-type': 'application/json', 'x-echo-request-id': 'req_0001' }).end(body);
}

/** The frames of a streamed echo answer: `start`, one `delta` per word (at least 5), `done`. */
export function echoFrames(answer: EchoAnswer = {}): SseFrame[] {
  const words = (answer.text ?? 'hello from the echo server today').split(/(?<= )/);
  while (words.length < 5) words.push('.');
  return [
    { event: 'start', data: { id: 'echo_0001', model: answer.model ?? 'echo-1' } },
    ...words.map((text) => ({ event: 'delta', data: { text } })),
    { event: 'done', data: { usage: answer.usage ?? ECHO_USAGE } },
  ];
}

/** Streams an echo answer, `intervalMs` (default 30) between frames; stops when the client leaves. */
export function writeEchoStream(res: http.ServerResponse, answer: EchoAnswer & { intervalMs?: number } = {}): Promise<void> {
  return writeSse(res, echoFrames(answer), { intervalMs: answer.intervalMs ?? 30, headers: { 'x-echo-request-id': 'req_0002' } });
}

/** Writes an echo error answer. */
export function writeEchoError(res: http.ServerResponse, status: number, message = `echo error ${status}`): void {
  const type = status === 429 ? 'rate_limit' : status === 401 ? 'authentication' : status === 529 ? 'overloaded' : 'server_error';
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ error: { type, message } }));
}

/** Options of {@link startFakeEchoUpstream}. */
export interface FakeEchoOptions {
  /** When set, requests without `authorization: Bearer <apiKey>` get 401. */
  apiKey?: string;
  /** Pause between stream frames (default 30 ms). */
  intervalMs?: number;
}

function countWords(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

/**
 * A default handler that really echoes: `POST /v1/echo` answers the input back (unary
 * or streamed word by word, usage = word counts), `GET /v1/health` answers ok.
 */
export function echoHandler(options: FakeEchoOptions = {}) {
  return async (req: RecordedRequest, res: http.ServerResponse): Promise<void> => {
    if (options.apiKey !== undefined && req.headers.authorization !== `Bearer ${options.apiKey}`) {
      return writeEchoError(res, 401, 'invalid api key');
    }
    if (req.method === 'GET' && req.path === '/v1/health') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'ok', version: 'fake-1' }));
      return;
    }
    if (req.method !== 'POST' || req.path !== '/v1/echo') {
      writeEchoError(res, 404, `no route ${req.method} ${req.path}`);
      return;
    }
    let body: { model?: unknown; input?: unknown; stream?: unknown };
    try {
      body = req.json();
    } catch {
      return writeEchoError(res, 400, 'body is not JSON');
    }
    const input = typeof body.input === 'string' ? body.input : '';
    const answer: EchoAnswer = {
      model: typeof body.model === 'string' ? body.model : 'echo-1',
      text: input,
      usage: { input_tokens: countWords(input), output_tokens: countWords(input) },
    };
    if (body.stream === true) await writeEchoStream(res, { ...answer, intervalMs: options.intervalMs ?? 30 });
    else writeEchoUnary(res, answer);
  };
}

/** Starts a fake echo server answering with {@link echoHandler}. */
export function startFakeEchoUpstream(options: FakeEchoOptions = {}): Promise<FakeUpstream> {
  return startFakeUpstream(echoHandler(options));
}
