/** Koa middleware counting requests in flight and error answers by kind. */
import type { Context, Next } from 'koa';
import { errorKind } from './error-kind.js';
import type { GatewayMetrics } from './gateway-metrics.js';

/** Paths whose own answers are not counted (scrapes and probes). */
const QUIET_PATHS = new Set(['/metrics', '/health']);

/**
 * Counts each request as active until its response finished or the client left, and
 * each answer with status >= 400 in `switchyard_errors_total{kind}` (kinds from the
 * status: see error-kind.ts).
 */
export function metricsMiddleware(metrics: GatewayMetrics): {
  middleware: (ctx: Context, next: Next) => Promise<void>;
  active(): number;
} {
  let active = 0;
  const middleware = async (ctx: Context, next: Next): Promise<void> => {
    if (QUIET_PATHS.has(ctx.path)) return next();
    active += 1;
    const settle = () => {
      active -= 1;
      const status = ctx.res.statusCode;
      if (status >= 400) metrics.errors.inc({ kind: errorKind(status) });
    };
    // 'close' follows 'finish', and also comes alone when the client leaves.
    ctx.res.once('close', settle);
    await next();
  };
  return { middleware, active: () => active };
}
