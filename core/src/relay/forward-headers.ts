/**
 * Which headers cross the gateway. Requests keep every client header except hop-by-hop
 * ones, `host`, `content-length`, `expect` and every header that can carry a client key (whether
 * or not it carried the one used); responses keep every upstream header except hop-by-hop
 * ones and those the gateway recomputes (length, encoding).
 */
import { CLIENT_KEY_HEADERS } from '../auth/extract-client-key.js';

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/**
 * Client headers never forwarded: hop-by-hop ones, those the gateway sets itself, `expect`
 * (the gateway already read the body; the upstream HTTP client refuses to send it, and
 * curl adds it to every body over 1 MB), and every header a client key can ride in (a
 * Switchyard key is never the provider's). One set, so each client header costs one lookup.
 */
const NOT_FORWARDED = new Set([...HOP_BY_HOP, 'host', 'content-length', 'expect', 'accept-encoding', ...CLIENT_KEY_HEADERS]);

/**
 * Header names a `connection` header lists (RFC 9110 §7.6.1: hop-by-hop too). Undefined
 * for none, and for the usual lone `keep-alive` or `close` (hop-by-hop already), so the
 * common case builds no set.
 */
function connectionListed(connection: string | string[] | undefined): Set<string> | undefined {
  if (connection === undefined) return undefined;
  const text = (Array.isArray(connection) ? connection.join(',') : connection).trim().toLowerCase();
  if (text === '' || text === 'keep-alive' || text === 'close') return undefined;
  return new Set(text.split(',').map((name) => name.trim()));
}

/** Client headers to hand to the adapter. `accept-encoding` is pinned to what the gateway can read. */
export function upstreamRequestHeaders(clientHeaders: Readonly<Record<string, string>>): Record<string, string> {
  const dropped = connectionListed(clientHeaders['connection']);
  const out: Record<string, string> = {};
  // for...in over plain header objects: no pair arrays per header per request.
  for (const name in clientHeaders) {
    const value = clientHeaders[name]!;
    if (NOT_FORWARDED.has(name) || dropped?.has(name)) continue;
    out[name] = value;
  }
  // The gateway reads every response (usage, errors); zstd is not readable on Node 20.
  out['accept-encoding'] = 'gzip, deflate, br';
  return out;
}

/** Upstream response headers to send to the client. */
export function clientResponseHeaders(
  upstream: Record<string, string | string[] | undefined>,
): Record<string, string | string[]> {
  const dropped = connectionListed(upstream['connection']);
  const out: Record<string, string | string[]> = {};
  for (const name in upstream) {
    const value = upstream[name];
    if (value === undefined || HOP_BY_HOP.has(name) || dropped?.has(name)) continue;
    if (name === 'content-length' || name === 'content-encoding' || name === 'set-cookie') continue;
    out[name] = value;
  }
  return out;
}
