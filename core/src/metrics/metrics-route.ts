/** `GET /metrics`: the Prometheus text exposition, behind a bearer token when one is configured. */
import { timingSafeEqual } from 'node:crypto';
import type { Context } from 'koa';
import type { GatewayMetrics } from './gateway-metrics.js';

function sameToken(presented: string, expected: string): boolean {
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The handler of `GET /metrics`; 401 without the configured token (`usage.metrics.token`). */
export function metricsHandler(metrics: GatewayMetrics, token: string | undefined): (ctx: Context) => Promise<void> {
  return async (ctx) => {
    ctx.set('cache-control', 'no-store');
    if (token !== undefined) {
      const header = ctx.get('authorization');
      const presented = header.toLowerCase().startsWith('bearer ') ? header.slice(7).trim() : '';
      if (!presented || !sameToken(presented, token)) {
        ctx.status = 401;
        ctx.set('www-authenticate', 'Bearer realm="metrics"');
        ctx.body = { error: { type: 'unauthenticated', message: 'GET /metrics needs the metrics token as Authorization: Bearer.' } };
        return;
      }
    }
    const rendered = await metrics.render();
    ctx.status = 200;
    ctx.type = rendered.contentType;
    ctx.body = rendered.body;
  };
}
