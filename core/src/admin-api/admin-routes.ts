/**
 * Every admin route, by mount: the session-protected API at `/admin/api` and the public
 * key-usage endpoint at `/admin/public-api`.
 */
import type { AdminRoute } from './admin-route.js';
import { accountRoutes } from './account-routes.js';
import { authRoutes } from './auth-routes.js';
import { groupRoutes } from './group-routes.js';
import { keyRoutes } from './key-routes.js';
import { pluginRoutes } from './plugin-routes.js';
import { publicRoutes } from './public-routes.js';
import { settingsRoutes } from './settings-routes.js';
import { usageRoutes } from './usage-routes.js';

/** Where the admin API is mounted. */
export const ADMIN_API_PREFIX = '/admin/api';
/** Where the public (key holder) API is mounted. */
export const PUBLIC_API_PREFIX = '/admin/public-api';

/** Routes under {@link ADMIN_API_PREFIX}; all need a session except login. */
export const adminApiRoutes: readonly AdminRoute[] = [
  ...authRoutes,
  ...pluginRoutes,
  ...accountRoutes,
  ...keyRoutes,
  ...groupRoutes,
  ...usageRoutes,
  ...settingsRoutes,
];

/** Routes under {@link PUBLIC_API_PREFIX}. */
export const publicApiRoutes: readonly AdminRoute[] = publicRoutes;
