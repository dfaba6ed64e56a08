/** `GET /metrics`: the Prometheus text exposition, behind a bearer token when one is configured. */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context } from 'koa';
import type { GatewayMetrics } from './gateway-metrics.js';

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** Compares in constant time, the length included (digests are always 32 bytes). */
function sameToken(presented: string, expectedDigest: Buffer): boolean {
  return timingSafeEqual(digest(presented), expectedDigest);
}

/** The handler of `GET /metrics`; 401 without the configured token (`usage.metrics.token`). */
export function metricsHandler(metrics: GatewayMetrics, token: string | undefined): (ctx: Context) => Promise<void> {
  const expectedDigest = token === undefined ? undefined : digest(token);
  return async (ctx) => {
    ctx.set('cache-control', 'no-store');
    if (expectedDigest !== undefined) {
      const header = ctx.get('authorization');
      const presented = header.toLowerCase().startsWith('bearer ') ? header.slice(7).trim() : '';
      if (!presented || !sameToken(presented, expectedDigest)) {
        ctx.status = 401;
        ctx.set('www-authenticate', 'Bearer realm="metrics"');
        ctx.body = {
          error: { type: 'unauthenticated', message: 'GET /metrics needs the metrics token as Authorization: Bearer.' },
        };
        return;
      }
    }
    const rendered = await metrics.render();
    ctx.status = 200;
    ctx.type = rendered.contentType;
    ctx.body = rendered.body;
  };
}
