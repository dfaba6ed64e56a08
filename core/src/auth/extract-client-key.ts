/**
 * Finds the client's API key in a request, wherever the client's SDK puts it.
 */

/** Headers that may carry a client key, in the order they are consulted. */
export const CLIENT_KEY_HEADERS = ['x-api-key', 'authorization', 'x-goog-api-key', 'api-key'] as const;

/** What {@link extractClientKey} found. */
export interface ExtractedClientKey {
  /**
   * The key, as presented (possibly of an implausible length; key lookup rejects
   * those). Undefined when the request carries no key at all.
   */
  key?: string;
  /**
   * Every key-carrying header present on the request (not only the one used). The relay
   * strips all of {@link CLIENT_KEY_HEADERS} and every `key` parameter whatever this says.
   */
  sourceHeaders: string[];
  /** True when the key came from the `key` query parameter. */
  fromQuery: boolean;
}

/**
 * Extracts the client key: `x-api-key`, then `authorization` (`Bearer <key>`, any case
 * of the scheme, or a bare key), then `x-goog-api-key`, then `api-key`, then `?key=`.
 *
 * @example
 * extractClientKey({ authorization: 'Bearer sy_…' }, new URLSearchParams()); // { key: 'sy_…', sourceHeaders: ['authorization'], fromQuery: false }
 */
export function extractClientKey(
  headers: Readonly<Record<string, string | readonly string[] | undefined>>,
  query: URLSearchParams,
): ExtractedClientKey {
  const lower = new Map<string, string>();
  for (const [name, value] of Object.entries(headers)) {
    const text = Array.isArray(value) ? value[0] : value;
    if (typeof text === 'string' && !lower.has(name.toLowerCase())) lower.set(name.toLowerCase(), text);
  }
  let key: string | undefined;
  const sourceHeaders: string[] = [];
  for (const name of CLIENT_KEY_HEADERS) {
    const raw = lower.get(name)?.trim();
    if (!raw) continue;
    sourceHeaders.push(name);
    const value = name === 'authorization' ? fromAuthorization(raw) : raw;
    if (key === undefined && value) key = value;
  }
  let fromQuery = false;
  if (key === undefined) {
    const value = query.get('key')?.trim();
    if (value) {
      key = value;
      fromQuery = true;
    }
  }
  return key === undefined ? { sourceHeaders, fromQuery } : { key, sourceHeaders, fromQuery };
}

/** `Bearer <key>` (any case) gives the key; a bare value without a scheme is the key itself; other schemes carry none. */
function fromAuthorization(value: string): string | undefined {
  const bearer = /^bearer\s+(\S.*)$/i.exec(value);
  if (bearer) return bearer[1]!.trim();
  if (/\s/.test(value)) return undefined;
  if (/^bearer$/i.test(value)) return undefined;
  return value;
}
