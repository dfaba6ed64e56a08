/**
 * The admin API and web admin served by the core (see docs/admin.md).
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export { createAdminMiddleware, type AdminMiddlewareOptions } from './create-admin-api.js';
export { buildOpenApiDocument } from './openapi.js';
export { ADMIN_API_PREFIX } from './admin-routes.js';

/** The monorepo's built web admin (`admin/build`), from both `core/src` and `core/dist`. */
export function defaultAdminStaticDir(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '../../../admin/build');
}
