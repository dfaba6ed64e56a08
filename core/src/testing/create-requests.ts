/**
 * Requests for unit tests of a plugin's parts: an {@link InboundRequest} as a protocol's
 * `describe` or a route handler gets it, and a {@link RelayRequest} as an adapter's
 * `send` gets it, built the way the core builds them (lower-cased headers, no `key` in
 * the query, the body parsed from the bytes).
 */
import type { InboundRequest, RelayRequest } from '@switchyard/plugin-api';

/** Options of {@link createInboundRequest}; everything has a default. */
export interface InboundRequestOptions {
  /** Default `POST`. */
  method?: string;
  /** The path below the mount point. Default `/`. */
  path?: string;
  /** Default `''` (the bare root). */
  mount?: string;
  params?: Record<string, string>;
  /** A query string (`a=1&b=2`, with or without `?`), a URLSearchParams or name-value pairs; `key` is removed as the core does. */
  query?: string | URLSearchParams | Record<string, string>;
  /** Header names are lower-cased. */
  headers?: Record<string, string>;
  /**
   * The request body: a string or bytes are the raw body as sent (parsed as JSON when they
   * are JSON, else `body` is undefined); any other value is sent as its JSON text.
   */
  body?: unknown;
}

/** Options of {@link createRelayRequest}: an inbound request plus what the core adds on the way upstream. */
export interface RelayRequestOptions extends InboundRequestOptions {
  /** The protocol of the body (the route's). */
  protocol: string;
  /** The route's operation. Default: the protocol id. */
  operation?: string;
  /** Default: the body's `model` when it is a string. */
  model?: string;
  /** Default: the body's `stream` is `true`. */
  stream?: boolean;
  /** Marks `body` as a translator's output (default false). */
  translated?: boolean;
  /** The conversation key the route protocol read (default: none). */
  sessionKey?: string;
}

function lowerCased(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) out[name.toLowerCase()] = value;
  return out;
}

function queryOf(query: InboundRequestOptions['query']): URLSearchParams {
  const params = new URLSearchParams(query instanceof URLSearchParams ? query.toString() : (query ?? ''));
  params.delete('key');
  return params;
}

function bodyOf(body: unknown): { body: unknown; rawBody: Uint8Array } {
  if (body === undefined) return { body: undefined, rawBody: new Uint8Array() };
  if (typeof body === 'string' || body instanceof Uint8Array) {
    const rawBody = typeof body === 'string' ? new TextEncoder().encode(body) : body;
    let parsed: unknown;
    try {
      parsed = JSON.parse(new TextDecoder().decode(rawBody));
    } catch {
      parsed = undefined;
    }
    return { body: parsed, rawBody };
  }
  return { body, rawBody: new TextEncoder().encode(JSON.stringify(body)) };
}

/**
 * An {@link InboundRequest} for a unit test, frozen as the core's are.
 *
 * @example
 * const facts = myProtocol.describe(createInboundRequest({ path: '/v1/chat', body: { model: 'm-1', stream: true } }));
 */
export function createInboundRequest(options: InboundRequestOptions = {}): InboundRequest {
  return Object.freeze({
    method: options.method ?? 'POST',
    path: options.path ?? '/',
    mount: options.mount ?? '',
    params: Object.freeze({ ...options.params }),
    query: queryOf(options.query),
    headers: Object.freeze(lowerCased(options.headers ?? {})),
    ...bodyOf(options.body),
  });
}

/**
 * A {@link RelayRequest} for a unit test of an adapter. The core also removes hop-by-hop
 * headers and every header a client key rides in; give the headers as they should reach
 * the adapter.
 *
 * @example
 * const response = await myAccountType.adapter.send({
 *   ...accountContext,
 *   request: createRelayRequest({ protocol: 'my-chat', path: '/v1/chat', body: { model: 'm-1', input: 'hi' } }),
 * });
 */
export function createRelayRequest(options: RelayRequestOptions): RelayRequest {
  const inbound = createInboundRequest(options);
  const body = inbound.body !== null && typeof inbound.body === 'object' ? (inbound.body as Record<string, unknown>) : {};
  return Object.freeze({
    protocol: options.protocol,
    operation: options.operation ?? options.protocol,
    method: inbound.method,
    path: inbound.path,
    params: inbound.params,
    query: inbound.query,
    headers: inbound.headers,
    body: inbound.body,
    rawBody: inbound.rawBody,
    translated: options.translated ?? false,
    model: options.model ?? (typeof body.model === 'string' ? body.model : undefined),
    stream: options.stream ?? body.stream === true,
    ...(options.sessionKey ? { sessionKey: options.sessionKey } : {}),
  });
}
