/**
 * A small HTTP client for tests that keeps what fetch hides: every chunk as it arrived
 * (with its arrival time), the exact bytes, and a way to walk away mid-response.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';

/** Options of {@link sendRequest}. */
export interface SendRequestOptions {
  /** Default `GET`, or `POST` when a body is given. */
  method?: string;
  headers?: Record<string, string>;
  /** Strings and bytes are sent as they are; anything else as JSON (with a JSON content type unless one is set). */
  body?: unknown;
  /**
   * Destroy the connection once this many body chunks arrived (simulates a client that
   * goes away mid-stream); the promise then resolves with `aborted: true`.
   */
  abortAfterChunks?: number;
  /** Walks away when signalled: the connection is destroyed and the promise resolves with `aborted: true`. */
  signal?: AbortSignal;
  /** Called with each body chunk as it arrives. */
  onChunk?(chunk: Buffer): void;
  /** Rejects when no complete answer came within this time (default 15000 ms). */
  timeoutMs?: number;
}

/** A response as the client saw it. */
export interface SentResponse {
  status: number;
  /** Lower-cased response headers. */
  headers: http.IncomingHttpHeaders;
  /** Body chunks in arrival order. */
  chunks: Buffer[];
  /** `performance.now()` when each chunk arrived. */
  chunkTimes: number[];
  /** Every body byte, concatenated. */
  body: Buffer;
  /** True when the answer did not arrive completely (cut by `abortAfterChunks`, or by the server). */
  aborted: boolean;
  text(): string;
  /** The body parsed as JSON (throws on invalid JSON). */
  json<T = unknown>(): T;
}

function encodeBody(body: unknown, headers: Record<string, string>): Buffer | undefined {
  if (body === undefined) return undefined;
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (body instanceof Uint8Array) return Buffer.from(body);
  if (!Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) {
    headers['content-type'] = 'application/json';
  }
  return Buffer.from(JSON.stringify(body), 'utf8');
}

/**
 * Sends one request over a fresh connection and collects the answer chunk by chunk.
 *
 * @example
 * const res = await sendRequest(`${tg.url}/echo/v1/echo`, {
 *   headers: { authorization: `Bearer ${tg.key}` },
 *   body: { model: 'echo-1', input: 'hi', stream: true },
 * });
 * res.status; res.chunks.length; res.text();
 */
export function sendRequest(url: string, options: SendRequestOptions = {}): Promise<SentResponse> {
  const headers: Record<string, string> = { ...options.headers };
  const payload = encodeBody(options.body, headers);
  if (payload) headers['content-length'] = String(payload.length);
  const method = options.method ?? (payload ? 'POST' : 'GET');

  return new Promise<SentResponse>((resolve, reject) => {
    const chunks: Buffer[] = [];
    const chunkTimes: number[] = [];
    let settled = false;
    const timer = setTimeout(() => {
      fail(new Error(`${method} ${url}: no complete answer within ${options.timeoutMs ?? 15000} ms`));
      req.destroy();
    }, options.timeoutMs ?? 15000);
    const finish = (res: http.IncomingMessage, aborted: boolean): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      const body = Buffer.concat(chunks);
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        chunks,
        chunkTimes,
        body,
        aborted,
        text: () => body.toString('utf8'),
        json: <T>() => JSON.parse(body.toString('utf8')) as T,
      });
    };
    const fail = (error: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(error);
    };

    const req = http.request(url, { method, headers, agent: false }, (res) => {
      res.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        chunkTimes.push(performance.now());
        options.onChunk?.(chunk);
        if (options.abortAfterChunks !== undefined && chunks.length >= options.abortAfterChunks) {
          finish(res, true);
          req.destroy();
        }
      });
      res.on('end', () => finish(res, false));
      res.on('error', (error) => fail(error));
      res.on('close', () => finish(res, !res.complete));
    });
    req.on('error', (error) => fail(error));
    let response: http.IncomingMessage | undefined;
    req.on('response', (res) => {
      response = res;
    });
    options.signal?.addEventListener(
      'abort',
      () => {
        if (response) finish(response, true);
        else fail(new Error(`${method} ${url}: aborted before the response headers`));
        req.destroy();
      },
      { once: true },
    );
    if (payload) req.end(payload);
    else req.end();
  });
}
