/**
 * What a test needs to call a plugin's hooks (auth flows, probes, adapters) on their own,
 * without a gateway around them: the gateway's real upstream HTTP client, a logger that
 * drops everything, an auth-flow context and an in-memory plugin key-value store.
 */
import type { AuthFlowContext, HttpClient, Logger, PluginKv } from '@switchyard/plugin-api';
import { UpstreamHttp, type UpstreamTimeouts } from '../http/upstream-http.js';

/** An {@link HttpClient} for tests, with a way to release its pooled connections. */
export interface TestHttpClient extends HttpClient {
  /** Closes the client's pooled connections; later requests fail. */
  close(): Promise<void>;
}

/** Options of {@link createTestHttpClient}. */
export interface TestHttpClientOptions {
  /** Connect, first-byte and idle timeouts in milliseconds (defaults: 10 s, 30 s, 30 s). */
  timeouts?: Partial<UpstreamTimeouts>;
  /** An egress proxy (`http:`, `https:` or `socks5:`) to route through; direct when absent. */
  proxyUrl?: string;
}

/**
 * An `HttpClient` backed by the gateway's own upstream HTTP layer, so tests exercise the
 * client plugins get in production (same header and body handling, same timeouts).
 *
 * @param options - Timeouts and an optional egress proxy.
 * @returns The client; call `close()` when done (mocha's `--exit` also ends it).
 *
 * @example
 * ```ts
 * const http = createTestHttpClient();
 * after(() => http.close());
 * const tokens = await flow.complete(createAuthFlowContext({ http }), state, { code });
 * ```
 */
export function createTestHttpClient(options: TestHttpClientOptions = {}): TestHttpClient {
  const upstream = new UpstreamHttp({ connectMs: 10_000, firstByteMs: 30_000, idleMs: 30_000, ...options.timeouts });
  const client = upstream.client(options.proxyUrl);
  return {
    request: (url, init) => client.request(url, init),
    close: () => upstream.close(),
  };
}

/** A {@link Logger} that drops every line (its children too). */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silentLogger };

/** Options of {@link createAuthFlowContext}. */
export interface AuthFlowContextOptions {
  /** The HTTP client the flow uses (default: a shared {@link createTestHttpClient} client). */
  http?: HttpClient;
  /** The logger (default: {@link silentLogger}). */
  log?: Logger;
  /** Aborts the step (default: a 10 s timeout). */
  signal?: AbortSignal;
}

let sharedClient: TestHttpClient | undefined;

/**
 * What an auth flow's `start` or `complete` gets, as the admin would pass it.
 *
 * @param options - Replacements for the default client, logger and signal.
 * @returns The context.
 */
export function createAuthFlowContext(options: AuthFlowContextOptions = {}): AuthFlowContext {
  const http = options.http ?? (sharedClient ??= createTestHttpClient());
  return { http, log: options.log ?? silentLogger, signal: options.signal ?? AbortSignal.timeout(10_000) };
}

/**
 * An in-memory {@link PluginKv} (TTLs ignored), with its map exposed for assertions.
 *
 * @returns The store and the `values` map behind it.
 */
export function createMemoryKv(): PluginKv & { values: Map<string, unknown> } {
  const values = new Map<string, unknown>();
  return {
    values,
    get: async <T>(key: string) => values.get(key) as T | undefined,
    set: async (key, value) => void values.set(key, value),
    delete: async (key) => void values.delete(key),
  };
}
