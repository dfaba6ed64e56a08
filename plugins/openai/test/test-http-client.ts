/**
 * A minimal implementation of the contract's `HttpClient` on Node's fetch, for driving
 * an account type's auth flow in tests without a gateway around it.
 */
import { Readable } from 'node:stream';
import type { HttpClient } from '@switchyard/core/plugin-api';

/** An `HttpClient` over `fetch`. */
export const fetchHttpClient: HttpClient = {
  async request(url, options = {}) {
    const response = await fetch(url, {
      method: options.method ?? 'GET',
      ...(options.headers ? { headers: options.headers } : {}),
      ...(options.body !== undefined && options.body !== null ? { body: options.body as string } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const bytes = new Uint8Array(await response.arrayBuffer());
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => (headers[name] = value));
    return {
      status: response.status,
      headers,
      body: Readable.from([bytes]),
      text: async () => Buffer.from(bytes).toString('utf8'),
      json: async () => JSON.parse(Buffer.from(bytes).toString('utf8')) as unknown,
      bytes: async () => bytes,
    };
  },
};
