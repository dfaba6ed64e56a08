/**
 * The paths the admin owns, matched in any letter case. The gateway's routers (and the
 * admin API's) match paths case-insensitively, so every other check of an admin path
 * must too: a case-sensitive prefix check beside a case-insensitive router is how
 * `/admin/API/keys` reached a handler without the admin's error handling (a 500), and
 * how a guard keyed on `/admin/api/` could be stepped around.
 */

const ADMIN_PREFIX = /^\/(?:admin|web)(?=\/|$)/i;
const ADMIN_API_PREFIX = /^\/admin\/api(?=\/|$)/i;

/** True for paths the admin owns: `/admin`, `/web` and everything below them, in any case. */
export function isAdminPath(path: string): boolean {
  return ADMIN_PREFIX.test(path);
}

/**
 * `path` with its admin prefix (`/admin`, `/admin/api`, `/web`) in lower case and the rest
 * untouched (ids are case-sensitive): `/ADMIN/Api/keys/Ab1` -> `/admin/api/keys/Ab1`.
 */
export function canonicalAdminPath(path: string): string {
  const api = ADMIN_API_PREFIX.exec(path);
  if (api) return api[0] === '/admin/api' ? path : `/admin/api${path.slice(api[0].length)}`;
  const admin = ADMIN_PREFIX.exec(path);
  if (!admin) return path;
  const lower = admin[0].toLowerCase();
  return admin[0] === lower ? path : `${lower}${path.slice(lower.length)}`;
}
