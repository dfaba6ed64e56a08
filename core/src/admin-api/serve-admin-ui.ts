/**
 * Serves the built web admin (a SvelteKit static SPA, base path `/admin`): files from
 * the build folder, `index.html` for any other page path (deep links), `/admin` ->
 * `/admin/`. Hashed assets under `_app/immutable` are cached for a year; everything
 * else is revalidated.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Context, Middleware, Next } from 'koa';
import mount from 'koa-mount';
import serve from 'koa-static';
import { send } from '@koa/send';
import Koa from 'koa';

const MISSING_UI =
  '<!doctype html><title>Switchyard admin</title><p>The web admin is not built. Run <code>npm run build</code> ' +
  'in the Switchyard folder (or set <code>admin.staticDir</code>). The admin API is at <code>/admin/api</code>.</p>';

/** SvelteKit's bootstrap is an inline script; everything else comes from this origin. */
const CSP = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-inline'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

function staticApp(dir: string): Koa {
  const app = new Koa();
  app.use(async (ctx, next) => {
    await next();
    if (ctx.path.startsWith('/_app/immutable/')) ctx.set('cache-control', 'public, max-age=31536000, immutable');
    else if (ctx.status === 200) ctx.set('cache-control', 'no-cache');
  });
  app.use(serve(dir, { index: 'index.html', gzip: false, brotli: false }));
  app.use(async (ctx) => {
    if ((ctx.method === 'GET' || ctx.method === 'HEAD') && ctx.status === 404 && !ctx.path.startsWith('/_app/')) {
      await send(ctx, 'index.html', { root: dir });
      ctx.set('cache-control', 'no-cache');
    }
  });
  return app;
}

/**
 * The static admin; `skip` lists path prefixes (the APIs) it never answers.
 */
export function serveAdminUi(dir: string, skip: readonly string[]): Middleware {
  const built = existsSync(join(dir, 'index.html'));
  const mounted = built ? mount('/admin', staticApp(dir)) : undefined;
  return async (ctx: Context, next: Next) => {
    if (ctx.body !== undefined || skip.some((prefix) => ctx.path === prefix || ctx.path.startsWith(`${prefix}/`))) return next();
    if (ctx.path === '/admin') {
      ctx.redirect('/admin/');
      return;
    }
    if (!mounted) {
      if (ctx.method !== 'GET') return next();
      ctx.type = 'html';
      ctx.body = MISSING_UI;
      ctx.status = 503;
      return;
    }
    ctx.set('content-security-policy', CSP);
    ctx.set('x-frame-options', 'DENY');
    ctx.set('x-content-type-options', 'nosniff');
    ctx.set('referrer-policy', 'no-referrer');
    await mounted(ctx, next);
  };
}
