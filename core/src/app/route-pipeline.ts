/**
 * The steps of one plugin route, in one middleware: protocol scope (errors rendered in
 * the route's protocol from here on) -> key -> body -> facts -> policies -> relay or the
 * route's own handler.
 */
import { newRequestId } from './request-id.js';
import type { Context } from 'koa';
import { bodyParser } from '@koa/bodyparser';
import { GatewayError, type Logger, type RouteHandlerContext } from '../plugin-api/index.js';
import type { PluginRegistry, RegisteredRoute } from '../plugins/registry-types.js';
import type { RelayService } from '../relay/relay-service.js';
import { keyView } from '../relay/relay-service.js';
import type { RequestState } from '../relay/request-state.js';
import { buildInboundRequest, flatHeaders } from '../relay/inbound-request.js';
import { authenticateKey, runKeyPolicies, type KeyAuthenticator } from './authenticate-key.js';
import { readRawBody } from './read-raw-body.js';
import { toGatewayError, writeError } from './render-error.js';

export interface RoutePipelineDeps {
  registry: PluginRegistry;
  relay: RelayService;
  keys: KeyAuthenticator;
  log: Logger;
  bodyLimitMb: number;
  listModels(protocol: string): Promise<string[]>;
}

type Middleware = (ctx: Context) => Promise<void>;

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/** Builds the middleware of `route` (a list, as the router takes it). */
export function routePipeline(route: RegisteredRoute, deps: RoutePipelineDeps): Middleware[] {
  const protocol = deps.registry.protocol(route.definition.protocol)!;
  const limitBytes = Math.floor(deps.bodyLimitMb * 1024 * 1024);
  const parseJson = bodyParser({
    enableTypes: ['json'],
    jsonLimit: limitBytes,
    encoding: 'utf-8',
    // Clients that omit content-type still send JSON to these APIs.
    detectJSON: (ctx) => !ctx.request.type,
  }) as unknown as (ctx: Context, next: () => Promise<unknown>) => Promise<void>;

  const authenticate = async (ctx: Context, state: RequestState): Promise<void> => {
    if (route.definition.auth !== 'none') await authenticateKey(ctx, state, deps.keys);
  };

  const readBody = async (ctx: Context): Promise<void> => {
    if (!BODY_METHODS.has(ctx.method)) return;
    await parseJson(ctx, async () => undefined);
    const request = ctx.request as typeof ctx.request & { rawBody?: string; body?: unknown };
    if (request.rawBody === undefined) {
      (ctx.state as Record<string, unknown>)['rawBody'] = await readRawBody(ctx.req, limitBytes);
    }
  };

  const describe = async (ctx: Context, state: RequestState): Promise<void> => {
    const request = ctx.request as typeof ctx.request & { rawBody?: string; body?: unknown };
    const raw = request.rawBody !== undefined ? Buffer.from(request.rawBody, 'utf8') : ((ctx.state as Record<string, unknown>)['rawBody'] as Buffer | undefined);
    state.inbound = buildInboundRequest(ctx, {
      mount: route.mount,
      params: (ctx as unknown as { params?: Record<string, string> }).params ?? {},
      headers: flatHeaders(ctx),
      body: request.rawBody !== undefined ? request.body : undefined,
      rawBody: raw ?? Buffer.alloc(0),
      keyFromQuery: state.keyFromQuery,
    });
    try {
      state.facts = protocol.definition.describe(state.inbound);
    } catch (error) {
      state.log.warn('protocol could not describe the request', { error });
      state.facts = { stream: false };
    }
    if (state.key) {
      await deps.relay.checkLimits(state);
      await runKeyPolicies(state, deps.registry.extensions.policies);
    }
  };

  const handle = async (ctx: Context, state: RequestState): Promise<void> => {
    const own = route.definition.handle;
    if (!own) return deps.relay.relay(ctx, state);
    const context: RouteHandlerContext = {
      ...(state.key ? { key: keyView(state.key) } : {}),
      log: state.log,
      listModels: deps.listModels,
    };
    const result = await own(state.inbound!, context);
    ctx.status = result.status;
    for (const [name, value] of Object.entries(result.headers ?? {})) ctx.set(name, value);
    if (result.body !== undefined) ctx.body = result.body as never;
  };

  // One middleware running the steps in order (not five composed ones: each costs a dispatch and a promise per request).
  const pipeline: Middleware = async (ctx) => {
    const requestId = (ctx.state['requestId'] as string | undefined) ?? newRequestId();
    const state: RequestState = {
      requestId,
      startedAt: Date.now(),
      log: deps.log.child({ requestId, route: `${route.mount}${route.definition.path}`, plugin: route.pluginId }),
      route,
      protocol,
      keyHeaders: [],
      keyFromQuery: false,
      streaming: false,
    };
    ctx.state.switchyard = state;
    try {
      await authenticate(ctx, state);
      await readBody(ctx);
      await describe(ctx, state);
      await handle(ctx, state);
    } catch (error) {
      // From here on errors are rendered in the route's protocol.
      const known = toGatewayError(error);
      if (!known) state.log.error('request failed', { error });
      if (state.streaming) {
        ctx.res.destroy();
        return;
      }
      writeError(ctx, known ?? new GatewayError('internal_error', 'The gateway failed to handle this request.'), protocol.definition);
      if (known && known.status >= 500) state.log.warn('request refused', { code: known.code });
    }
  };

  return [pipeline];
}
