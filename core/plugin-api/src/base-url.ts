/**
 * The one meaning of an account's `baseUrl`: an origin plus an optional path prefix,
 * without the API version (the account type adds its versioned paths). A trailing
 * version segment a user gives anyway (`https://host/v1`) is tolerated, never doubled:
 * {@link splitBaseUrl} separates it so each account type drops it or uses it.
 */

/** A `baseUrl` split into its root and the version segment it ended with, if any. */
export interface BaseUrlParts {
  /** Origin plus path prefix, without trailing slashes or a trailing version. */
  root: string;
  /** The trailing version segment (`v1`, `v1beta`, `v1internal`, `v4`), when given. */
  version?: string;
}

const TRAILING_VERSION = /^(.+?:\/\/[^/]+(?:\/.*?)?)\/(v\d+(?:[a-z]+\d*)?)\/*$/i;
const TRAILING_SLASHES = /\/+$/;

// Split once per distinct baseUrl: accounts are few, requests many (the relay hot path).
const cache = new Map<string, Readonly<BaseUrlParts>>();
const CACHE_LIMIT = 512;

/**
 * Splits a `baseUrl` into its root and a trailing API version segment.
 *
 * @example
 * splitBaseUrl('https://proxy.example.com/team/v1/') // { root: 'https://proxy.example.com/team', version: 'v1' }
 * splitBaseUrl('https://api.example.com')           // { root: 'https://api.example.com' }
 */
export function splitBaseUrl(baseUrl: string): Readonly<BaseUrlParts> {
  let parts = cache.get(baseUrl);
  if (parts) return parts;
  const match = TRAILING_VERSION.exec(baseUrl);
  parts = match
    ? { root: match[1]!.replace(TRAILING_SLASHES, ''), version: match[2]! }
    : { root: baseUrl.replace(TRAILING_SLASHES, '') };
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(baseUrl, parts);
  return parts;
}
