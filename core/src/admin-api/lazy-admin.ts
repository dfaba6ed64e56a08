/**
 * The admin mounted lazily: its routes, OpenAPI document and UI server are built on the
 * first request under `/admin` or `/web`, not at start. Most requests a gateway serves
 * are relays, and a process that never serves the admin never pays its memory
 * (about 5-10 MB of RSS) or its start-up time.
 */
import type { Context, Middleware, Next } from 'koa';
import { isAdminPath } from './admin-path.js';

export { isAdminPath };

/**
 * A middleware that builds the real one with `load` on the first admin request (once,
 * shared by concurrent first requests; a failed build is retried on the next request)
 * and passes every other request straight on.
 */
export function lazyAdminMiddleware(load: () => Promise<Middleware>): Middleware {
  let loading: Promise<Middleware> | undefined;
  return async (ctx: Context, next: Next) => {
    if (!isAdminPath(ctx.path)) return next();
    loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    const admin = await loading;
    return admin(ctx, next);
  };
}
