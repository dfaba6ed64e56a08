/**
 * A fake upstream speaking the echo plugin's wire format, for load measurements.
 *
 * `POST /v1/echo` with `{ model, input, stream }` and `authorization: Bearer <apiKey>`:
 * - `stream: true`: SSE frames `start`, then `events` x `delta` `{"text"}` whose text is
 *   `eventBytes` characters long, then `done` `{"usage":{"input_tokens","output_tokens"}}`;
 *   `delayMs` apart (0: written back to back, each frame its own write).
 * - otherwise: one JSON object with the same text and usage.
 *
 * It listens on 127.0.0.1 only, with a free port.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

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
    if (req.method !== 'POST' || req.url?.split('?')[0] !== '/v1/echo') {
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
