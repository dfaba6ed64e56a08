/**
 * The Koa application, its middleware order readable on one screen:
 *   in-flight count -> error metrics -> request id -> shutdown gate -> neutral error fallback -> /health -> plugin routes
 *   (each with its own protocol-aware chain) -> 404/405 in the mount's protocol shape.
 */
import { newRequestId } from './request-id.js';
import Koa, { type Context, type Middleware, type Next } from 'koa';
import Router from '@koa/router';
import { GatewayError, type Logger, type ProtocolDefinition } from '@switchyard/plugin-api';
import type { PluginRegistry } from '../plugins/registry-types.js';
import { healthHandler, type HealthDeps } from './health.js';
import { routePipeline, type RoutePipelineDeps } from './route-pipeline.js';
import { toGatewayError, writeError } from './render-error.js';
import type { InFlight } from '../relay/in-flight.js';
import type { UsageAppParts } from '../usage/start-usage.js';
import { registerSelfService } from '../self-service/self-service-routes.js';
import { redirectKeepingQuery, registerReferenceStats } from '../self-service/reference-stats-routes.js';
import { registerRedeemRoute, type RedeemRouteDeps } from '../cards/redeem-route.js';
import { isClientSideError } from './client-side-error.js';

export interface AppDeps extends RoutePipelineDeps, HealthDeps {
  registry: PluginRegistry;
  log: Logger;
  /** Trusted reverse proxies in front (`server.trustProxy`): `true` is one. */
  trustProxy: boolean | number;
  isShuttingDown(): boolean;
  /** Counts requests until their response closed (mounted first). */
  inFlight: Pick<InFlight, 'middleware'>;
  /** Metrics middleware, `GET /metrics` and the key holders' self-service endpoints. */
  usage?: UsageAppParts;
  /** The admin API and web admin (`/admin`, `/web`), mounted before the plugin routes. */
  admin?: Middleware;
  /** `POST /api/v1/redeem` (quota cards), mounted with the self-service endpoints. */
  cards?: RedeemRouteDeps;
}

/** The web admin's public key-usage page (the reference's `/admin-next/api-stats`). */
const KEY_USAGE_PAGE = '/admin/key-usage';

function fullPath(mount: string, path: string): string {
  const joined = `${mount}${path}`;
  return joined === '' ? '/' : joined;
}

/**
 * The prefix a route claims for 404/405 answers: its mount point, or for routes mounted
 * at the bare root, the first segment of their path (`/x/v1/models` claims `/x`).
 */
function claimedPrefix(mount: string, routePath: string): string {
  if (mount !== '') return mount;
  const first = /^\/[^/:]+/.exec(routePath);
  return first ? first[0] : '';
}

/** The protocol of the longest claimed prefix of `path`, for 404/405 answers. */
function protocolForPath(registry: PluginRegistry, path: string): ProtocolDefinition | undefined {
  let best: { length: number; protocol: string } | undefined;
  for (const route of registry.routes) {
    const prefix = claimedPrefix(route.mount, route.definition.path);
    if (prefix === '' || !(path === prefix || path.startsWith(`${prefix}/`))) continue;
    if (!best || prefix.length > best.length) best = { length: prefix.length, protocol: route.definition.protocol };
  }
  return best ? registry.protocol(best.protocol)?.definition : undefined;
}

export function createApp(deps: AppDeps): Koa {
  // With `maxIpsCount`, ctx.ip is the X-Forwarded-For entry the outermost trusted proxy added
  // (counted from the right), not the left end a client can write; every reader of the client
  // address (login throttling, logs) goes through ctx.ip.
  const proxyHops = deps.trustProxy === true ? 1 : deps.trustProxy === false ? 0 : deps.trustProxy;
  const app = new Koa({ proxy: proxyHops > 0, maxIpsCount: proxyHops });
  app.on('error', (error: { code?: string; name?: string }) => {
    // A client leaving mid-stream or mid-body is normal for streaming APIs: not the gateway's failure.
    if (isClientSideError(error)) {
      deps.log.debug('client connection ended early', { code: error.code ?? error.name });
      return;
    }
    deps.log.error('unhandled server error', { error });
  });

  app.use(deps.inFlight.middleware);
  if (deps.usage) app.use(deps.usage.middleware);
  app.use(async (ctx: Context, next: Next) => {
    const requestId = newRequestId();
    ctx.state['requestId'] = requestId;
    ctx.set('x-switchyard-request-id', requestId);
    if (deps.isShuttingDown()) ctx.set('connection', 'close');
    await next();
  });

  app.use(async (ctx: Context, next: Next) => {
    try {
      await next();
    } catch (error) {
      const known = toGatewayError(error);
      if (!known) deps.log.error('request failed outside a route', { error, path: ctx.path });
      writeError(
        ctx,
        known ?? new GatewayError('internal_error', 'The gateway failed to handle this request.'),
        protocolForPath(deps.registry, ctx.path),
      );
    }
  });

  if (deps.admin) app.use(deps.admin);
  const router = new Router();
  router.get('/health', (ctx) => healthHandler(ctx, deps));
  if (deps.usage) {
    router.get('/metrics', deps.usage.metricsHandler);
    registerSelfService(router, deps.usage.selfService);
    registerReferenceStats(router, deps.usage.selfService, deps.admin ? KEY_USAGE_PAGE : undefined);
  }
  if (deps.admin) {
    // The reference relay's admin pages: its public stats page is our key-usage page.
    router.get('/admin-next/api-stats', (ctx) => redirectKeepingQuery(ctx, KEY_USAGE_PAGE));
    router.get('/admin-next', (ctx) => redirectKeepingQuery(ctx, '/admin/'));
  }
  if (deps.cards) registerRedeemRoute(router, deps.cards);
  for (const route of deps.registry.routes) {
    router.register(fullPath(route.mount, route.definition.path), [...route.methods], routePipeline(route, deps) as never);
  }
  app.use(router.routes());
  app.use(router.allowedMethods({ throw: true }));

  app.use(async (ctx: Context) => {
    if (ctx.body !== undefined || ctx.status !== 404) return;
    writeError(
      ctx,
      new GatewayError('not_found', `No route for ${ctx.method} ${ctx.path}.`),
      protocolForPath(deps.registry, ctx.path),
    );
  });
  return app;
}
