/**
 * The admin HTTP surface as one Koa middleware: `/admin/api` (every route, the OpenAPI
 * document included, needs a session except login), the web admin's
 * static files at `/admin` with the single-page fallback, and `/web` -> `/admin/`
 * for people used to the older relay admin path.
 */
import Router from '@koa/router';
import { asValue, type AwilixContainer } from 'awilix/browser';
import type { Context, Middleware, Next } from 'koa';
import type { Cradle } from '../container/cradle.js';
import type { UserRole } from '../store/types.js';
import { AdminApiError } from './admin-api-error.js';
import type { AdminDeps } from './admin-deps.js';
import { canonicalAdminPath, isAdminPath } from './admin-path.js';
import { adminRequestIntentCheck } from './admin-request-intent.js';
import type { AdminRoute } from './admin-route.js';
import { ADMIN_API_PREFIX, adminApiRoutes } from './admin-routes.js';
import { handleRoute, toAdminError, writeAdminError } from './handle-route.js';
import { buildOpenApiDocument } from './openapi.js';
import { sessionToken } from './session-cookie.js';
import { serveAdminUi } from './serve-admin-ui.js';

/** Options of {@link createAdminMiddleware}. */
export interface AdminMiddlewareOptions {
  /** The gateway's container; each admin request runs in its own scope of it. */
  container: AwilixContainer<Cradle>;
  /** The built web admin (folder with index.html); the UI is not served when it is missing. */
  staticDir: string;
  version: string;
}

/**
 * A router for `routes`. Each request runs in a scope of the container whose `log`
 * names the admin, the route and the request id, so every line a handler or service
 * writes for it is attributable (the audit trail); the scope is disposed afterwards.
 */
function routerFor(prefix: string, routes: readonly AdminRoute[], container: AwilixContainer<Cradle>): Router {
  const router = new Router({ prefix });
  const { adminSessions, log, config } = container.cradle;
  const checkIntent = adminRequestIntentCheck(config.admin.publicUrl);
  for (const route of routes) {
    router[route.method](route.path, async (ctx: Context) => {
      let admin = '';
      let role: UserRole = 'admin';
      if (!route.public) {
        const token = sessionToken(ctx);
        const session = token ? await adminSessions.verify(token) : undefined;
        if (!session) throw new AdminApiError('unauthorized', 'Sign in first.');
        admin = session.username;
        role = session.role;
        // Users reach only their own routes; everything else is for admins.
        if (role !== 'admin' && !route.forUsers) throw new AdminApiError('forbidden', 'Only admins may do this.');
        ctx.state['adminSessionExpiresAt'] = session.expiresAt;
      }
      // After the session check, so strangers keep getting 401 and learn nothing more.
      checkIntent(ctx);
      const scope = container.createScope();
      try {
        const fields = {
          route: route.id,
          requestId: ctx.state['requestId'],
          ...(admin ? { admin } : {}),
          ...(admin && role !== 'admin' ? { role } : {}),
        };
        scope.register({ log: asValue(log.child(fields)) });
        await handleRoute(ctx, route, scope.cradle, admin, role);
      } finally {
        await scope.dispose();
      }
    });
  }
  return router;
}

/** Answers errors under the API prefixes in the admin's JSON error shape. */
function apiErrors(deps: AdminDeps): Middleware {
  return async (ctx: Context, next: Next) => {
    if (!ctx.path.startsWith(`${ADMIN_API_PREFIX}/`)) return next();
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined)
        throw new AdminApiError('not_found', `No admin route ${ctx.method} ${ctx.path}.`);
    } catch (error) {
      const known = toAdminError(error);
      if (!known) deps.log.error('admin request failed', { error, path: ctx.path });
      writeAdminError(ctx, known ?? new AdminApiError('internal_error', 'The admin request failed.'));
    }
  };
}

/** Runs middleware in order, like koa-compose. */
function chain(middleware: readonly Middleware[]): Middleware {
  return (ctx, next) => {
    const run = (index: number): Promise<void> => {
      const current = middleware[index];
      return current ? Promise.resolve(current(ctx, () => run(index + 1))) : Promise.resolve(next()).then(() => undefined);
    };
    return run(0);
  };
}

/** Builds the admin middleware; mount it before the plugin routes. */
export function createAdminMiddleware(options: AdminMiddlewareOptions): Middleware {
  const deps: AdminDeps = options.container.cradle;
  const api = routerFor(ADMIN_API_PREFIX, adminApiRoutes, options.container);
  const document = buildOpenApiDocument(options.version);
  api.get('/openapi.json', async (ctx: Context) => {
    const token = sessionToken(ctx);
    const session = token ? await deps.adminSessions.verify(token) : undefined;
    if (!session) throw new AdminApiError('unauthorized', 'Sign in first.');
    if (session.role !== 'admin') throw new AdminApiError('forbidden', 'Only admins may do this.');
    ctx.body = document;
  });
  const strangersGet401: Middleware = async (ctx, next) => {
    await next();
    // Unknown routes under the API answer 401 to strangers, so they learn nothing of the surface.
    if (ctx.status === 404 && ctx.body === undefined && ctx.path.startsWith(`${ADMIN_API_PREFIX}/`)) {
      const token = sessionToken(ctx);
      if (!token || !(await deps.adminSessions.verify(token))) throw new AdminApiError('unauthorized', 'Sign in first.');
    }
  };
  const admin = chain([
    apiErrors(deps),
    strangersGet401,
    api.routes() as Middleware,
    api.allowedMethods() as Middleware,
    serveAdminUi(options.staticDir, [ADMIN_API_PREFIX]),
  ]);
  return async (ctx: Context, next: Next) => {
    if (!isAdminPath(ctx.path)) return next();
    // The routers match in any case; the prefix checks below (errors, CSRF, UI) then agree with them.
    const canonical = canonicalAdminPath(ctx.path);
    if (canonical !== ctx.path) ctx.path = canonical;
    if (ctx.path === '/web' || ctx.path.startsWith('/web/')) {
      ctx.redirect('/admin/');
      ctx.status = 302;
      return;
    }
    // Nothing under /admin falls through to the plugin routes.
    await admin(ctx, async () => {});
  };
}
