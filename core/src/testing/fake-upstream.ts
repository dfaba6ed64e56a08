/**
 * A real HTTP server on 127.0.0.1 standing in for a provider in tests: it records
 * every request (and what it answered), counts requests whose client went away early,
 * and lets a test swap its behaviour at any time.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';

/** What a fake upstream answered to one request, captured as it was written. */
export interface RecordedResponse {
  /** The status code set so far (final once headers were sent). */
  readonly status: number;
  /** The response headers set so far (`setHeader` and `writeHead`), lower-cased names. */
  headers(): http.OutgoingHttpHeaders;
  /** Each `write`/`end` payload in order, as bytes. */
  readonly chunks: readonly Buffer[];
  /** `performance.now()` of each entry of `chunks`. */
  readonly chunkTimes: readonly number[];
  /** Every byte written, concatenated. */
  body(): Buffer;
  /** True once the response was completely handed to the socket. */
  readonly finished: boolean;
  /** True when the client went away before the response finished. */
  readonly aborted: boolean;
}

/** One request a fake upstream received, body fully read. */
export interface RecordedRequest {
  readonly method: string;
  /** The request target as sent: path plus query string. */
  readonly url: string;
  /** The path without the query string. */
  readonly path: string;
  readonly query: URLSearchParams;
  /** Lower-cased request headers as Node parsed them. */
  readonly headers: http.IncomingHttpHeaders;
  /** The client's port (through an egress proxy: the proxy's outbound port). */
  readonly remotePort: number;
  /** The request body bytes exactly as received. */
  readonly body: Buffer;
  /** The body decoded as UTF-8. */
  text(): string;
  /** The body parsed as JSON (throws on invalid JSON). */
  json<T = unknown>(): T;
  /** The answer, as the handler writes it. */
  readonly response: RecordedResponse;
}

/** Answers one request of a fake upstream. Thrown errors answer 500 (or cut a started response). */
export type FakeUpstreamHandler = (req: RecordedRequest, res: http.ServerResponse) => void | Promise<void>;

/** A running fake upstream. */
export interface FakeUpstream {
  /** Base URL, e.g. `http://127.0.0.1:41234` (no trailing slash). */
  readonly url: string;
  /** Every request received, in arrival order. */
  readonly requests: RecordedRequest[];
  /** How many requests' clients went away before their response finished. */
  readonly aborted: number;
  /**
   * Resolves once at least one request was aborted by its client (immediately when one
   * already was); rejects after `timeoutMs` (default 5000).
   */
  waitForAbort(timeoutMs?: number): Promise<void>;
  /** Replaces the handler for the requests that follow. */
  setHandler(handler: FakeUpstreamHandler): void;
  /** Stops listening and destroys every open connection. */
  close(): Promise<void>;
}

type Chunk = string | Uint8Array;

function toBuffer(chunk: unknown, encoding: unknown): Buffer | undefined {
  if (typeof chunk === 'string') return Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
  if (chunk instanceof Uint8Array) return Buffer.from(chunk);
  return undefined;
}

/** Wraps `res.write`/`res.end` so every payload is recorded before it is sent. */
function recordResponse(res: http.ServerResponse): RecordedResponse & { markAborted(): void } {
  const chunks: Buffer[] = [];
  const chunkTimes: number[] = [];
  let aborted = false;
  const capture = (chunk: unknown, encoding: unknown): void => {
    const bytes = toBuffer(chunk, encoding);
    if (bytes && bytes.length > 0) {
      chunks.push(bytes);
      chunkTimes.push(performance.now());
    }
  };
  const headHeaders: http.OutgoingHttpHeaders = {};
  const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => http.ServerResponse;
  res.writeHead = ((...args: unknown[]) => {
    const given = typeof args[1] === 'string' ? args[2] : args[1];
    if (Array.isArray(given)) {
      for (let index = 0; index + 1 < given.length; index += 2)
        headHeaders[String(given[index]).toLowerCase()] = given[index + 1] as string;
    } else if (given && typeof given === 'object') {
      for (const [name, value] of Object.entries(given)) headHeaders[name.toLowerCase()] = value as http.OutgoingHttpHeader;
    }
    return writeHead(...args);
  }) as typeof res.writeHead;
  const write = res.write.bind(res) as (chunk: Chunk, ...rest: unknown[]) => boolean;
  const end = res.end.bind(res) as (...args: unknown[]) => http.ServerResponse;
  res.write = ((chunk: Chunk, ...rest: unknown[]) => {
    capture(chunk, rest[0]);
    return write(chunk, ...rest);
  }) as typeof res.write;
  res.end = ((...args: unknown[]) => {
    if (typeof args[0] !== 'function') capture(args[0], args[1]);
    return end(...args);
  }) as typeof res.end;
  return {
    get status() {
      return res.statusCode;
    },
    headers: () => ({ ...res.getHeaders(), ...headHeaders }),
    chunks,
    chunkTimes,
    body: () => Buffer.concat(chunks),
    get finished() {
      return res.writableFinished;
    },
    get aborted() {
      return aborted;
    },
    markAborted() {
      aborted = true;
    },
  };
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => resolve(Buffer.concat(parts)));
    req.on('error', reject);
  });
}

/**
 * Starts a fake upstream on `127.0.0.1` with a free port. The handler runs once the
 * request body was read completely.
 *
 * @example
 * const fake = await startFakeUpstream((req, res) => {
 *   res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
 * });
 * // ... point an account's baseUrl at fake.url ...
 * await fake.close();
 */
export async function startFakeUpstream(handler: FakeUpstreamHandler): Promise<FakeUpstream> {
  let current = handler;
  let abortedCount = 0;
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const abortWaiters = new Set<() => void>();

  const server = http.createServer((req, res) => {
    const response = recordResponse(res);
    res.once('close', () => {
      if (res.writableFinished) return;
      response.markAborted();
      abortedCount += 1;
      for (const wake of [...abortWaiters]) wake();
    });
    void (async () => {
      const body = await readBody(req);
      const target = new URL(req.url ?? '/', 'http://fake.invalid');
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        path: target.pathname,
        query: target.searchParams,
        headers: req.headers,
        remotePort: req.socket.remotePort ?? 0,
        body,
        text: () => body.toString('utf8'),
        json: <T>() => JSON.parse(body.toString('utf8')) as T,
        response,
      };
      requests.push(recorded);
      await current(recorded, res);
    })().catch((error: unknown) => {
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'text/plain' }).end(`fake upstream handler failed: ${String(error)}`);
      } else {
        res.destroy();
      }
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get aborted() {
      return abortedCount;
    },
    waitForAbort(timeoutMs = 5000) {
      if (abortedCount > 0) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          abortWaiters.delete(wake);
          reject(new Error(`fake upstream: no request was aborted within ${timeoutMs} ms`));
        }, timeoutMs);
        const wake = (): void => {
          clearTimeout(timer);
          abortWaiters.delete(wake);
          resolve();
        };
        abortWaiters.add(wake);
      });
    },
    setHandler(next) {
      current = next;
    },
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
    },
  };
}
