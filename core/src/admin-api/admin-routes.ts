/**
 * Every admin route: the session-protected API at `/admin/api`. (The public key-usage
 * page reads the key holder's own endpoints, `GET /self-service/v1/key-info` and `/self-service/v1/usage`.)
 */
import type { AdminRoute } from './admin-route.js';
import { accountRoutes } from './account-routes.js';
import { checkRoutes } from './check-routes.js';
import { accountSchedulingRoutes } from './account-scheduling.js';
import { authRoutes } from './auth-routes.js';
import { cardRoutes } from './card-routes.js';
import { groupRoutes } from './group-routes.js';
import { keyRoutes } from './key-routes.js';
import { pluginRoutes } from './plugin-routes.js';
import { settingsRoutes } from './settings-routes.js';
import { usageRoutes } from './usage-routes.js';
import { notificationRoutes } from './notification-routes.js';
import { userRoutes } from './user-routes.js';
import { meRoutes } from './me-routes.js';
import { registrationRoutes } from './registration-routes.js';

/** Where the admin API is mounted. */
export const ADMIN_API_PREFIX = '/admin/api';

/**
 * Routes under {@link ADMIN_API_PREFIX}; all need a session except login and registration,
 * and all need an admin's session except those marked `forUsers` (the user portal's).
 */
export const adminApiRoutes: readonly AdminRoute[] = [
  ...authRoutes,
  ...registrationRoutes,
  ...meRoutes,
  ...userRoutes,
  ...pluginRoutes,
  ...accountRoutes,
  ...checkRoutes,
  ...accountSchedulingRoutes,
  ...keyRoutes,
  ...groupRoutes,
  ...usageRoutes,
  ...settingsRoutes,
  ...cardRoutes,
  ...notificationRoutes,
];
