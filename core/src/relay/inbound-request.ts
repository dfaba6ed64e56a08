/**
 * Builds the contract's {@link InboundRequest} from a Koa context, once per request.
 */
import type { Context } from 'koa';
import type { InboundRequest } from '@switchyard/plugin-api';

/** Lower-cased request headers, repeated values joined with `, `. */
export function flatHeaders(ctx: Context): Record<string, string> {
  const out: Record<string, string> = {};
  const headers = ctx.req.headers;
  // for...in, not Object.entries: no pair arrays per header per request.
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined) continue;
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

export interface InboundParts {
  mount: string;
  params: Record<string, string>;
  headers: Record<string, string>;
  body: unknown;
  rawBody: Uint8Array;
}

export function buildInboundRequest(ctx: Context, parts: InboundParts): InboundRequest {
  const query = new URLSearchParams(ctx.querystring);
  // `key` is where clients put a Switchyard key: never forwarded, whichever credential authenticated.
  query.delete('key');
  const path = parts.mount && ctx.path.startsWith(parts.mount) ? ctx.path.slice(parts.mount.length) : ctx.path;
  return Object.freeze({
    method: ctx.method,
    path,
    mount: parts.mount,
    params: Object.freeze({ ...parts.params }),
    query,
    headers: Object.freeze(parts.headers),
    body: parts.body,
    rawBody: parts.rawBody,
  });
}
