/** Koa middleware counting error answers by kind (requests in flight: relay/in-flight.ts). */
import type { Context, Next } from 'koa';
import { errorKind } from './error-kind.js';
import type { GatewayMetrics } from './gateway-metrics.js';

/** Paths whose own answers are not counted (scrapes and probes). */
const QUIET_PATHS = new Set(['/metrics', '/health']);

/**
 * Counts each answer with status >= 400 in `switchyard_errors_total{kind}` (kinds from the
 * status: see error-kind.ts), once its response finished or the client left.
 */
export function metricsMiddleware(metrics: GatewayMetrics): (ctx: Context, next: Next) => Promise<void> {
  return async (ctx: Context, next: Next): Promise<void> => {
    if (QUIET_PATHS.has(ctx.path)) return next();
    // 'close' follows 'finish', and also comes alone when the client leaves.
    ctx.res.once('close', () => {
      const status = ctx.res.statusCode;
      if (status >= 400) metrics.errors.inc({ kind: errorKind(status) });
    });
    await next();
  };
}
