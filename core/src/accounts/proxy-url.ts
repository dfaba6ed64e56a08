/**
 * Egress proxy URLs of accounts: which are accepted, and how they are shown without
 * their password.
 */

const PROTOCOLS = new Set(['http:', 'https:', 'socks5:']);

/** A problem with a proxy URL (never repeating it), or undefined when it is acceptable. */
export function checkProxyUrl(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.trim() === '') return 'proxy: expected a URL';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'proxy: not a valid URL';
  }
  if (!PROTOCOLS.has(url.protocol)) return 'proxy: must be an http://, https:// or socks5:// URL';
  if (!url.hostname) return 'proxy: the URL needs a host';
  return undefined;
}

/** The proxy URL with its password masked, e.g. `socks5://user:***@host:1080`. */
export function redactProxyUrl(value: string): string {
  try {
    const url = new URL(value);
    if (url.password) url.password = '***';
    return url.toString().replace(/\/$/, '');
  } catch {
    return '[invalid proxy URL]';
  }
}
