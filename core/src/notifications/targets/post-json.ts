/**
 * The one way targets send over HTTP: undici's `request`, JSON in and out, a timeout, and
 * a {@link DeliveryError} for anything but a 2xx answer (retryable for 408, 429, 5xx and
 * network failures). The answer's JSON (when it is JSON) is returned for targets whose
 * service reports failures inside a 200.
 */
import type { request as undiciRequest } from 'undici';
import { DeliveryError } from '../delivery-error.js';

/** One HTTP send. */
export interface PostJsonOptions {
  url: string;
  body: unknown;
  headers?: Record<string, string>;
  timeoutMs: number;
  /** Names the target in error messages (never the URL: it may hold a token). */
  target: string;
}

/** Sends `body` as JSON; resolves with the parsed answer (or its text). */
export async function postJson(options: PostJsonOptions): Promise<unknown> {
  const payload = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  // undici's index (fetch, WebSocket, the cache: megabytes of heap) is loaded on the first send, not at start.
  const { request } = await import('undici');
  let answer: Awaited<ReturnType<typeof undiciRequest>>;
  try {
    answer = await request(options.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', ...options.headers },
      body: payload,
      signal: AbortSignal.timeout(options.timeoutMs),
    });
  } catch (error) {
    throw new DeliveryError(`${options.target}: not reached (${(error as Error).message})`, true);
  }
  const text = await answer.body.text().catch(() => '');
  const status = answer.statusCode;
  if (status < 200 || status >= 300) {
    const retryable = status === 408 || status === 429 || status >= 500;
    throw new DeliveryError(`${options.target}: answered ${status} ${text.slice(0, 200)}`.trim(), retryable);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
