/**
 * A fake upstream for load measurements, speaking two wire formats.
 *
 * Echo (the example plugin): `POST /v1/echo` with `{ model, input, stream }` and
 * `authorization: Bearer <apiKey>`:
 * - `stream: true`: SSE frames `start`, then `events` x `delta` `{"text"}` whose text is
 *   `eventBytes` characters long, then `done` `{"usage":{"input_tokens","output_tokens"}}`;
 *   `delayMs` apart (0: written back to back, each frame its own write).
 * - otherwise: one JSON object with the same text and usage.
 *
 * Anthropic Messages (the Claude plugin): `POST /v1/messages` with `x-api-key: <apiKey>`
 * (or `Authorization: Bearer`):
 * - `stream: true`: `event:` + `data:` frames in Anthropic's order: `message_start`
 *   (input, cache-write 5m/1h and cache-read usage), `content_block_start`, `ping`,
 *   `events` x `content_block_delta` (`text_delta` of `eventBytes` characters),
 *   `content_block_stop`, `message_delta` (stop reason, output usage), `message_stop`;
 *   `delayMs` between the deltas and before the closing frames, each frame its own write.
 * - otherwise: one `message` JSON object with the same text and usage.
 *
 * Bedrock (the Bedrock plugin): `POST /model/{id}/invoke-with-response-stream` (and
 * `/invoke`), signed with SigV4 (the signature is not recomputed here: the tests' fake
 * does that) or `Authorization: Bearer <apiKey>`: the same Anthropic events as binary
 * `application/vnd.amazon.eventstream` frames (`chunk` events carrying the event JSON in
 * base64, `amazon-bedrock-invocationMetrics` on `message_stop`), encoded once; unary: the
 * same `message` JSON.
 *
 * It listens on 127.0.0.1 only, with a free port.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { EventStreamCodec } from '@smithy/eventstream-codec';

export interface FakeUpstreamOptions {
  /** Delta events per streamed response. Default 50. */
  events?: number;
  /** Characters of text per delta event. Default 64. */
  eventBytes?: number;
  /** Milliseconds between two events. Default 0. */
  delayMs?: number;
  /** The bearer token accepted; others get 401. Undefined: any token. */
  apiKey?: string;
}

export interface FakeUpstream {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Requests answered so far, by outcome. */
  readonly counts: { ok: number; unauthorized: number; badRequest: number; aborted: number };
  close(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;
const BEDROCK_PATH = /^\/model\/[^/]+\/(invoke|invoke-with-response-stream)$/;
const eventStreamCodec = new EventStreamCodec(
  (bytes) => Buffer.from(bytes).toString('utf8'),
  (text) => Buffer.from(text, 'utf8'),
);

/** One Bedrock `chunk` frame carrying an Anthropic event. */
function chunkFrame(event: Record<string, unknown>): Buffer {
  const bytes = Buffer.from(JSON.stringify(event), 'utf8').toString('base64');
  return Buffer.from(
    eventStreamCodec.encode({
      headers: {
        ':event-type': { type: 'string', value: 'chunk' },
        ':content-type': { type: 'string', value: 'application/json' },
        ':message-type': { type: 'string', value: 'event' },
      },
      body: Buffer.from(JSON.stringify({ bytes, p: 'abcdefghijklmnopqrstuvwxyzABCDEF' }), 'utf8'),
    }),
  );
}

function sse(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Words in a string, the fake's "token" count. */
function countTokens(text: string): number {
  const trimmed = text.trim();
  return trimmed === '' ? 0 : trimmed.split(/\s+/).length;
}

export async function startFakeUpstream(options: FakeUpstreamOptions = {}): Promise<FakeUpstream> {
  const events = options.events ?? 50;
  const eventBytes = options.eventBytes ?? 64;
  const delayMs = options.delayMs ?? 0;
  const chunkText = 'x'.repeat(Math.max(0, eventBytes - 1)) + (eventBytes > 0 ? ' ' : '');
  const counts = { ok: 0, unauthorized: 0, badRequest: 0, aborted: 0 };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    req.on('end', () => {
      void answer(req, res, Buffer.concat(chunks));
    });
  });

  async function answer(req: http.IncomingMessage, res: http.ServerResponse, raw: Buffer): Promise<void> {
    const path = req.url?.split('?')[0];
    if (req.method === 'POST' && path === '/v1/messages') return answerAnthropic(req, res, raw);
    const bedrock = req.method === 'POST' ? BEDROCK_PATH.exec(path ?? '') : null;
    if (bedrock) return answerBedrock(req, res, raw, bedrock[1] === 'invoke-with-response-stream');
    if (req.method !== 'POST' || path !== '/v1/echo') {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"not found"}}');
      return;
    }
    if (options.apiKey !== undefined && req.headers.authorization !== `Bearer ${options.apiKey}`) {
      counts.unauthorized++;
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":{"message":"bad api key"}}');
      return;
    }
    let body: { model?: unknown; input?: unknown; stream?: unknown };
    try {
      body = JSON.parse(raw.toString('utf8')) as typeof body;
    } catch {
      counts.badRequest++;
      res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":{"message":"malformed JSON"}}');
      return;
    }
    const model = typeof body.model === 'string' ? body.model : 'echo-1';
    const inputTokens = countTokens(typeof body.input === 'string' ? body.input : '');
    const outputTokens = events;
    const usage = { input_tokens: inputTokens, output_tokens: outputTokens };

    if (body.stream !== true) {
      counts.ok++;
      const payload = JSON.stringify({ id: 'echo-bench', model, output: chunkText.repeat(events), usage });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) });
      res.end(payload);
      return;
    }

    let closed = false;
    res.on('close', () => {
      if (!res.writableFinished) {
        closed = true;
        counts.aborted++;
      }
    });
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    res.write(sse('start', { id: 'echo-bench', model }));
    for (let i = 0; i < events && !closed; i++) {
      if (delayMs > 0) await sleep(delayMs);
      if (closed) return;
      res.write(sse('delta', { text: chunkText }));
    }
    if (closed) return;
    if (delayMs > 0) await sleep(delayMs);
    counts.ok++;
    res.end(sse('done', { usage }));
  }

  /** Usage as Anthropic reports it (fixed input and cache counts, `events` output tokens). */
  const anthropicUsage = {
    input_tokens: 25,
    cache_creation_input_tokens: 30,
    cache_read_input_tokens: 100,
    cache_creation: { ephemeral_5m_input_tokens: 20, ephemeral_1h_input_tokens: 10 },
    output_tokens: events,
  };
  const { output_tokens: _output, ...startUsage } = anthropicUsage;
  const frame = (type: string, data: Record<string, unknown>) => sse(type, { type, ...data });
  // Frames that do not depend on the request, serialised once.
  const blockStart = frame('content_block_start', { index: 0, content_block: { type: 'text', text: '' } });
  const ping = frame('ping', {});
  const delta = frame('content_block_delta', { index: 0, delta: { type: 'text_delta', text: chunkText } });
  const blockStop = frame('content_block_stop', { index: 0 });
  const messageDelta = frame('message_delta', {
    delta: { stop_reason: 'end_turn', stop_sequence: null },
    usage: { output_tokens: events },
  });
  const messageStop = frame('message_stop', {});

  function anthropicError(res: http.ServerResponse, status: number, type: string, message: string): void {
    res
      .writeHead(status, { 'content-type': 'application/json' })
      .end(JSON.stringify({ type: 'error', error: { type, message } }));
  }

  async function answerAnthropic(req: http.IncomingMessage, res: http.ServerResponse, raw: Buffer): Promise<void> {
    const auth = req.headers.authorization;
    const presented = req.headers['x-api-key'] ?? (auth?.startsWith('Bearer ') ? auth.slice(7) : undefined);
    if (options.apiKey !== undefined && presented !== options.apiKey) {
      counts.unauthorized++;
      anthropicError(res, 401, 'authentication_error', 'invalid x-api-key');
      return;
    }
    let body: { model?: unknown; stream?: unknown };
    try {
      body = JSON.parse(raw.toString('utf8')) as typeof body;
    } catch {
      counts.badRequest++;
      anthropicError(res, 400, 'invalid_request_error', 'body is not JSON');
      return;
    }
    const model = typeof body.model === 'string' ? body.model : 'claude-sonnet-4-5';
    const headers = { 'request-id': 'req_bench_0001' };

    if (body.stream !== true) {
      counts.ok++;
      const payload = JSON.stringify({
        id: 'msg_bench_0001',
        type: 'message',
        role: 'assistant',
        model,
        content: [{ type: 'text', text: chunkText.repeat(events) }],
        stop_reason: 'end_turn',
        stop_sequence: null,
        usage: anthropicUsage,
      });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), ...headers });
      res.end(payload);
      return;
    }

    let closed = false;
    res.on('close', () => {
      if (!res.writableFinished) {
        closed = true;
        counts.aborted++;
      }
    });
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', ...headers });
    res.write(
      frame('message_start', {
        message: {
          id: 'msg_bench_0002',
          type: 'message',
          role: 'assistant',
          model,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { ...startUsage, output_tokens: 1 },
        },
      }),
    );
    res.write(blockStart);
    res.write(ping);
    for (let i = 0; i < events && !closed; i++) {
      if (delayMs > 0) await sleep(delayMs);
      if (closed) return;
      res.write(delta);
    }
    if (closed) return;
    if (delayMs > 0) await sleep(delayMs);
    res.write(blockStop);
    res.write(messageDelta);
    counts.ok++;
    res.end(messageStop);
  }

  // Bedrock: the same events as binary frames, encoded once.
  const bedrockModel = 'claude-sonnet-4-5-20250929';
  const bedrockEvent = (type: string, data: Record<string, unknown>) => chunkFrame({ type, ...data });
  const bedrockFrames = {
    start: bedrockEvent('message_start', {
      message: {
        id: 'msg_bdrk_bench_0002',
        type: 'message',
        role: 'assistant',
        model: bedrockModel,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { ...startUsage, output_tokens: 1 },
      },
    }),
    blockStart: bedrockEvent('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
    ping: bedrockEvent('ping', {}),
    delta: bedrockEvent('content_block_delta', { index: 0, delta: { type: 'text_delta', text: chunkText } }),
    blockStop: bedrockEvent('content_block_stop', { index: 0 }),
    messageDelta: bedrockEvent('message_delta', {
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: { output_tokens: events },
    }),
    messageStop: bedrockEvent('message_stop', {
      'amazon-bedrock-invocationMetrics': {
        inputTokenCount: anthropicUsage.input_tokens,
        outputTokenCount: events,
        invocationLatency: 100,
        firstByteLatency: 10,
      },
    }),
  };

  async function answerBedrock(req: http.IncomingMessage, res: http.ServerResponse, raw: Buffer, stream: boolean): Promise<void> {
    const auth = req.headers.authorization ?? '';
    const signed = auth.startsWith('AWS4-HMAC-SHA256 Credential=') && req.headers['x-amz-date'] !== undefined;
    if (options.apiKey !== undefined && !signed && auth !== `Bearer ${options.apiKey}`) {
      counts.unauthorized++;
      res
        .writeHead(403, { 'content-type': 'application/json', 'x-amzn-errortype': 'UnrecognizedClientException' })
        .end('{"message":"The security token included in the request is invalid."}');
      return;
    }
    try {
      JSON.parse(raw.toString('utf8'));
    } catch {
      counts.badRequest++;
      res
        .writeHead(400, { 'content-type': 'application/json', 'x-amzn-errortype': 'ValidationException' })
        .end('{"message":"Malformed input request"}');
      return;
    }
    if (!stream) {
      counts.ok++;
      const payload = JSON.stringify({
        id: 'msg_bdrk_bench_0001',
        type: 'message',
        role: 'assistant',
        model: bedrockModel,
        content: [{ type: 'text', text: chunkText.repeat(events) }],
        stop_reason: 'end_turn',
        stop_sequence: null,
        usage: anthropicUsage,
      });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) });
      res.end(payload);
      return;
    }
    let closed = false;
    res.on('close', () => {
      if (!res.writableFinished) {
        closed = true;
        counts.aborted++;
      }
    });
    res.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream', 'x-amzn-requestid': 'bench-request' });
    res.write(bedrockFrames.start);
    res.write(bedrockFrames.blockStart);
    res.write(bedrockFrames.ping);
    for (let i = 0; i < events && !closed; i++) {
      if (delayMs > 0) await sleep(delayMs);
      if (closed) return;
      res.write(bedrockFrames.delta);
    }
    if (closed) return;
    if (delayMs > 0) await sleep(delayMs);
    res.write(bedrockFrames.blockStop);
    res.write(bedrockFrames.messageDelta);
    counts.ok++;
    res.end(bedrockFrames.messageStop);
  }

  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    counts,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
