/**
 * Mount points and route paths: how a plugin's route path joins a mount point into the
 * full path the gateway serves, and the key under which two routes conflict.
 */

/** Normalises a mount point: leading slash, no trailing slash; `''` and `'/'` are the bare root (`''`). */
export function normalizeMount(mount: string): string {
  const trimmed = mount
    .trim()
    .replace(/\/{2,}/g, '/')
    .replace(/\/+$/, '');
  if (trimmed === '') return '';
  return trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}

/** The full path of `path` under `mount`: `('/api', '/v1/messages')` is `/api/v1/messages`; never empty. */
export function joinRoutePath(mount: string, path: string): string {
  const below = path === '' ? '' : path.startsWith('/') ? path : `/${path}`;
  const joined = `${normalizeMount(mount)}${below}`.replace(/\/{2,}/g, '/').replace(/\/+$/, '');
  return joined === '' ? '/' : joined;
}

/** The comparison key of a full path: parameter names do not matter (`/m/:a` equals `/m/:b`). */
export function routeShape(fullPath: string): string {
  return fullPath.replace(/:[A-Za-z0-9_]+/g, ':');
}
