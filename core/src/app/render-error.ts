/**
 * Turns anything thrown while serving a request into a client answer in the route's
 * protocol shape (or a neutral JSON shape outside plugin routes). Messages of unknown
 * errors never reach the client.
 */
import type { Context } from 'koa';
import { GatewayError, isGatewayError, type ProtocolDefinition, type RenderableError } from '@switchyard/plugin-api';
import { isStoreUnavailable } from '../store/store-unavailable-error.js';

/** Retry-After of a `store_unavailable` answer: about one reconnect attempt of the store. */
const STORE_RETRY_AFTER_MS = 2000;

interface HttpishError {
  status?: number;
  statusCode?: number;
  type?: string;
  expose?: boolean;
  message?: string;
}

/** Maps framework errors (body parser, router) and store outages onto the gateway's catalog. */
export function toGatewayError(error: unknown): GatewayError | undefined {
  if (isGatewayError(error)) return error;
  if (isStoreUnavailable(error)) {
    // The request was fine: the client should retry, and no account or key is to blame.
    return new GatewayError('store_unavailable', 'The gateway cannot reach its data store right now; retry shortly.', {
      retryAfterMs: STORE_RETRY_AFTER_MS,
      cause: error,
    });
  }
  const httpish = (error ?? {}) as HttpishError;
  const status = httpish.status ?? httpish.statusCode;
  if (status === 413 || httpish.type === 'entity.too.large') {
    return new GatewayError('payload_too_large', 'The request body is larger than this gateway accepts.');
  }
  if (httpish.type === 'entity.parse.failed' || (error instanceof SyntaxError && status === 400)) {
    return new GatewayError('invalid_json', 'The request body is not valid JSON.');
  }
  if (status === 405) return new GatewayError('method_not_allowed', 'This method is not allowed on this path.');
  if (status === 501) return new GatewayError('not_implemented', 'This method is not implemented on this path.');
  if (status === 415) return new GatewayError('invalid_request', 'Unsupported content type.');
  if (status !== undefined && status >= 400 && status < 500 && httpish.expose) {
    return new GatewayError('invalid_request', httpish.message ?? 'Bad request.');
  }
  return undefined;
}

/** The renderable form of a gateway error. */
export function renderable(error: GatewayError): RenderableError {
  return {
    code: error.code,
    status: error.status,
    message: error.message,
    ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
    ...(error.details ? { details: error.details } : {}),
  };
}

/** The neutral shape used outside plugin routes. */
export function renderNeutral(error: RenderableError): { status: number; body: unknown } {
  return { status: error.status, body: { error: { type: error.code, message: error.message } } };
}

/** Writes `error` to the client in `protocol`'s shape (or the neutral one). */
export function writeError(ctx: Context, error: GatewayError, protocol: ProtocolDefinition | undefined): void {
  const input = renderable(error);
  let rendered: { status: number; headers?: Record<string, string>; body: unknown };
  try {
    rendered = protocol ? protocol.renderError(input) : renderNeutral(input);
  } catch {
    rendered = renderNeutral(input);
  }
  ctx.status = rendered.status;
  if (error.retryAfterMs !== undefined) ctx.set('retry-after', String(Math.max(1, Math.ceil(error.retryAfterMs / 1000))));
  for (const [name, value] of Object.entries(rendered.headers ?? {})) ctx.set(name, value);
  ctx.body = rendered.body ?? '';
  if (typeof rendered.body === 'object' && rendered.body !== null) ctx.type = 'application/json';
}
