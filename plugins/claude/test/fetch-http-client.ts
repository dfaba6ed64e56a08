/**
 * A small `HttpClient` over fetch, for calling a plugin's hooks (auth flows, probe)
 * outside a gateway, the way the admin would with the gateway's client.
 */
import { Readable } from 'node:stream';
import type { AuthFlowContext, HttpClient, Logger, PluginKv } from '@switchyard/core/plugin-api';

/** The HTTP client. */
export const fetchHttpClient: HttpClient = {
  async request(url, options = {}) {
    const init: RequestInit = { method: options.method ?? 'GET', headers: options.headers ?? {} };
    if (options.signal) init.signal = options.signal;
    if (options.body !== undefined && options.body !== null) init.body = options.body as NonNullable<RequestInit['body']>;
    const response = await fetch(url, init);
    const bytes = new Uint8Array(await response.arrayBuffer());
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      headers[name] = value;
    });
    return {
      status: response.status,
      headers,
      body: Readable.from([bytes]),
      text: async () => new TextDecoder().decode(bytes),
      json: async () => JSON.parse(new TextDecoder().decode(bytes)) as unknown,
      bytes: async () => bytes,
    };
  },
};

/** A logger that drops everything. */
export const silentLog: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silentLog };

/** What an auth flow step gets. */
export function flowContext(): AuthFlowContext {
  return { http: fetchHttpClient, log: silentLog, signal: AbortSignal.timeout(10_000) };
}

/** An in-memory plugin key-value store. */
export function memoryKv(): PluginKv & { values: Map<string, unknown> } {
  const values = new Map<string, unknown>();
  return {
    values,
    get: async <T>(key: string) => values.get(key) as T | undefined,
    set: async (key, value) => void values.set(key, value),
    delete: async (key) => void values.delete(key),
  };
}
