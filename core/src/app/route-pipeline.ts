/**
 * The steps of one plugin route, in one middleware: protocol scope (errors rendered in
 * the route's protocol from here on) -> key -> body -> facts -> policies -> relay or the
 * route's own handler.
 */
import { newRequestId } from './request-id.js';
import type { Context } from 'koa';
import { GatewayError, type Logger, type RequestFacts, type RouteHandlerContext } from '@switchyard/plugin-api';
import type { PluginRegistry, RegisteredRoute } from '../plugins/registry-types.js';
import type { RelayService } from '../relay/relay-service.js';
import type { KeyAdmission } from '../limits/key-admission.js';
import { keyView } from '../keys/key-view.js';
import { advance, type AuthenticatedRequest, type DescribedRequest, type ReceivedRequest } from '../relay/request-stages.js';
import type { KeyRecord } from '../store/types.js';
import { buildInboundRequest, flatHeaders } from '../relay/inbound-request.js';
import { authenticateKey, runKeyPolicies, type KeyAuthenticator } from './authenticate-key.js';
import { bodyBudgetExceeded, ClientLeftError, readRequestBody } from './read-request-body.js';
import { decodeContentEncoding } from './decode-content-encoding.js';
import { isJsonContentType, parseJsonBody } from './parse-json-body.js';
import type { BodyBudget } from './body-budget.js';
import { toGatewayError, writeError } from './render-error.js';
import type { RefusalRecorder } from '../usage/refusal-recorder.js';
import { systemClock, type Clock } from '../time/clock.js';

export interface RoutePipelineDeps {
  registry: PluginRegistry;
  relay: RelayService;
  admission: Pick<KeyAdmission, 'check'>;
  keys: KeyAuthenticator;
  log: Logger;
  /** `server.bodyLimitMb`: the ceiling of every route's body limit. */
  bodyLimitMb: number;
  /** Request-body bytes held in memory at once, across all requests (`server.maxBufferedBodyMb`). */
  bodyBudget: BodyBudget;
  /** The model ids `key` may use on a route of `protocol` (see accounts/key-model-list.ts). */
  listModels(protocol: string, key: KeyRecord | undefined): Promise<string[]>;
  /** Puts the requests this pipeline refuses in the request log. */
  refusals: Pick<RefusalRecorder, 'record'>;
  /** A request's start time (its record's `at`, key expiry) is read from it; default the system clock. */
  clock?: Clock;
}

type Middleware = (ctx: Context) => Promise<void>;

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/** A request body as plugins get it: the client's bytes without content coding, and the parsed JSON when it is JSON. */
interface ReceivedBody {
  raw: Buffer;
  json: unknown;
  /** A Content-Encoding was undone: the forwarded headers must not claim it any more. */
  decoded: boolean;
}

const NO_BODY: ReceivedBody = { raw: Buffer.alloc(0), json: undefined, decoded: false };

/** The route's body limit in bytes: its own declaration, never above the server's limit nor the memory cap. */
function bodyLimitBytes(route: RegisteredRoute, deps: RoutePipelineDeps): number {
  const mb = Math.min(deps.bodyLimitMb, route.definition.bodyLimitMb ?? Number.POSITIVE_INFINITY);
  return Math.min(Math.floor(mb * 1024 * 1024), deps.bodyBudget.capacityBytes);
}

/** Builds the middleware of `route` (a list, as the router takes it). */
export function routePipeline(route: RegisteredRoute, deps: RoutePipelineDeps): Middleware[] {
  const protocol = deps.registry.protocol(route.definition.protocol)!;
  const limitBytes = bodyLimitBytes(route, deps);

  const authenticate = (ctx: Context, request: ReceivedRequest): Promise<AuthenticatedRequest> | AuthenticatedRequest =>
    route.definition.auth === 'none' ? advance(request, { key: undefined }) : authenticateKey(ctx, request, deps.keys);

  /** A decoded body is larger than the one received: the difference is held too, until the response is over. */
  const reserveGrowth = (ctx: Context, bytes: number): void => {
    if (bytes <= 0) return;
    if (!deps.bodyBudget.tryReserve(bytes)) throw bodyBudgetExceeded();
    ctx.res.once('close', () => deps.bodyBudget.release(bytes));
  };

  const readBody = async (ctx: Context): Promise<ReceivedBody> => {
    if (!BODY_METHODS.has(ctx.method)) return NO_BODY;
    const received = await readRequestBody(ctx.req, ctx.res, limitBytes, deps.bodyBudget);
    const coding = ctx.req.headers['content-encoding'];
    // No await at all for the usual uncompressed body.
    const decoded = coding === undefined ? undefined : await decodeContentEncoding(received, coding, limitBytes);
    if (decoded) reserveGrowth(ctx, decoded.length - received.length);
    const raw = decoded ?? received;
    if (!isJsonContentType(ctx.req.headers['content-type'])) return { raw, json: undefined, decoded: decoded !== undefined };
    return { raw, json: parseJsonBody(raw), decoded: decoded !== undefined };
  };

  const describe = async (ctx: Context, request: AuthenticatedRequest, body: ReceivedBody): Promise<DescribedRequest> => {
    const headers = flatHeaders(ctx);
    if (body.decoded) {
      // The body is plain now: headers must not claim the coding or the encoded length.
      delete headers['content-encoding'];
      delete headers['content-length'];
    }
    const inbound = buildInboundRequest(ctx, {
      mount: route.mount,
      params: (ctx as unknown as { params?: Record<string, string> }).params ?? {},
      headers,
      body: body.json,
      rawBody: body.raw,
    });
    let facts: RequestFacts;
    try {
      facts = protocol.definition.describe(inbound);
    } catch (error) {
      request.log.warn('protocol could not describe the request', { error });
      facts = { stream: false };
    }
    const described = advance(request, { inbound, facts });
    const { key } = described;
    if (key) {
      await deps.admission.check(key, {
        family: protocol.definition.family,
        model: facts.model,
        modelOptional: route.definition.handle !== undefined || facts.modelless === true,
        request: inbound,
      });
      await runKeyPolicies(key, described, deps.registry.extensions.policies);
    }
    return described;
  };

  const handle = async (ctx: Context, state: DescribedRequest): Promise<void> => {
    const own = route.definition.handle;
    if (!own) return deps.relay.relay(ctx, state);
    const context: RouteHandlerContext = {
      ...(state.key ? { key: keyView(state.key) } : {}),
      log: state.log,
      listModels: (listed) => deps.listModels(listed, state.key),
    };
    const result = await own(state.inbound, context);
    ctx.status = result.status;
    for (const [name, value] of Object.entries(result.headers ?? {})) ctx.set(name, value);
    if (result.body !== undefined) ctx.body = result.body as never;
  };

  // One middleware running the steps in order (not five composed ones: each costs a dispatch and a promise per request).
  const pipeline: Middleware = async (ctx) => {
    const requestId = (ctx.state['requestId'] as string | undefined) ?? newRequestId();
    const state: ReceivedRequest = {
      requestId,
      startedAt: (deps.clock ?? systemClock).now(),
      log: deps.log.child({ requestId, route: `${route.mount}${route.definition.path}`, plugin: route.pluginId }),
      route,
      protocol,
      streaming: false,
      usageRecorded: false,
    };
    try {
      const authenticated = await authenticate(ctx, state);
      const body = await readBody(ctx);
      const described = await describe(ctx, authenticated, body);
      await handle(ctx, described);
    } catch (error) {
      if (error instanceof ClientLeftError) {
        // Nobody is left to answer, and a client going away is not the gateway's failure.
        state.log.debug(error.message);
        return;
      }
      // From here on errors are rendered in the route's protocol.
      const known = toGatewayError(error);
      if (!known) state.log.error('request failed', { error });
      if (state.streaming) {
        ctx.res.destroy();
        return;
      }
      const answered = known ?? new GatewayError('internal_error', 'The gateway failed to handle this request.');
      writeError(ctx, answered, protocol.definition);
      deps.refusals.record(state, ctx.status, answered.code);
      if (known && known.status >= 500) state.log.warn('request refused', { code: known.code });
    }
  };

  return [pipeline];
}
