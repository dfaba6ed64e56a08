/**
 * Which headers cross the gateway. Requests keep every client header except hop-by-hop
 * ones, `host`, `content-length` and the headers that carried the client's own key;
 * responses keep every upstream header except hop-by-hop ones and those the gateway
 * recomputes (length, encoding).
 */

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

function connectionListed(headers: Readonly<Record<string, string>>): Set<string> {
  const listed = headers['connection'];
  return new Set(listed ? listed.split(',').map((name) => name.trim().toLowerCase()) : []);
}

/** Client headers to hand to the adapter. `accept-encoding` is pinned to what the gateway can read. */
export function upstreamRequestHeaders(
  clientHeaders: Readonly<Record<string, string>>,
  keyHeaders: readonly string[],
): Record<string, string> {
  const dropped = connectionListed(clientHeaders);
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(clientHeaders)) {
    if (HOP_BY_HOP.has(name) || dropped.has(name) || keyHeaders.includes(name)) continue;
    if (name === 'host' || name === 'content-length' || name === 'accept-encoding') continue;
    out[name] = value;
  }
  // The gateway reads every response (usage, errors); zstd is not readable on Node 20.
  out['accept-encoding'] = 'gzip, deflate, br';
  return out;
}

/** Upstream response headers to send to the client. */
export function clientResponseHeaders(upstream: Record<string, string | string[] | undefined>): Record<string, string | string[]> {
  const connection = upstream['connection'];
  const dropped = new Set(
    (Array.isArray(connection) ? connection.join(',') : connection ?? '').split(',').map((name) => name.trim().toLowerCase()),
  );
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(upstream)) {
    if (value === undefined || HOP_BY_HOP.has(name) || dropped.has(name)) continue;
    if (name === 'content-length' || name === 'content-encoding' || name === 'set-cookie') continue;
    out[name] = value;
  }
  return out;
}
