import type { Readable } from 'node:stream';

/** Options of one upstream HTTP call. */
export interface HttpRequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array | Readable | null;
  /** Aborts the call (and the body stream) when signalled. */
  signal?: AbortSignal;
  /** Overrides the gateway's first-byte timeout for this call, in milliseconds. */
  headersTimeoutMs?: number;
  /** Overrides the gateway's between-chunks idle timeout for this call, in milliseconds. */
  bodyTimeoutMs?: number;
}

/** An upstream answer. The body must be consumed or destroyed. */
export interface HttpResponse {
  status: number;
  /** Lower-cased header names. */
  headers: Record<string, string | string[] | undefined>;
  /** The body as a Node stream of bytes, delivered as it arrives. */
  body: Readable;
  /** Reads the whole body as text. */
  text(): Promise<string>;
  /** Reads the whole body as JSON. */
  json(): Promise<unknown>;
  /** Reads the whole body as bytes. */
  bytes(): Promise<Uint8Array>;
}

/**
 * The gateway's HTTP client for upstream calls. The instance handed to an account's
 * adapter, refresh, probe and auth flow already routes through that account's egress
 * proxy and reuses one keep-alive connection pool per origin and proxy, with the
 * gateway's connect, first-byte and idle timeouts. Plugins never build their own.
 */
export interface HttpClient {
  request(url: string | URL, options?: HttpRequestOptions): Promise<HttpResponse>;
}
