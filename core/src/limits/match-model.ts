/** Model patterns of key limits: exact ids, or `*` for any run of characters. */

const cache = new Map<string, RegExp>();

function compile(pattern: string): RegExp {
  let re = cache.get(pattern);
  if (!re) {
    const body = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
    re = new RegExp(`^${body}$`, 'i');
    if (cache.size > 1000) cache.clear();
    cache.set(pattern, re);
  }
  return re;
}

/**
 * True when `model` matches any of `patterns` (case-insensitive; `*` matches any run of
 * characters).
 *
 * @example
 * matchesModel('big-model-4-20250101', ['big-model-*']); // true
 */
export function matchesModel(model: string, patterns: readonly string[]): boolean {
  return patterns.some((pattern) => compile(pattern).test(model));
}
