/**
 * Errors of the plugin contract: {@link UpstreamError}, thrown by adapters when an
 * upstream call fails, and {@link GatewayError}, the one error class whose codes the
 * core renders in every route's protocol shape.
 */

/**
 * What went wrong upstream, as far as scheduling is concerned. The scheduler reacts to
 * the kind (cool the account down, fail over, or give up); it never reads messages.
 *
 * - `rate_limited`: the account hit a rate window (429); retry elsewhere, cool down for `retryAfterMs`.
 * - `overloaded`: the provider is overloaded (e.g. 529); retry elsewhere.
 * - `auth_failed`: the credential was rejected (401); the account needs attention.
 * - `forbidden`: the account may not do this (403, organisation disabled, region).
 * - `bad_request`: the request itself is wrong (400, 404, 413, 422); no failover, the client gets it.
 * - `upstream_5xx`: a server error upstream; retry elsewhere.
 * - `network`: connect failure, reset, timeout; retry elsewhere.
 * - `quota_exhausted`: a subscription or billing quota is used up until a reset time.
 */
export type UpstreamErrorKind =
  'rate_limited' | 'overloaded' | 'auth_failed' | 'forbidden' | 'bad_request' | 'upstream_5xx' | 'network' | 'quota_exhausted';

/** Every {@link UpstreamErrorKind}, in a stable order (for metrics and validation). */
export const UPSTREAM_ERROR_KINDS: readonly UpstreamErrorKind[] = [
  'rate_limited',
  'overloaded',
  'auth_failed',
  'forbidden',
  'bad_request',
  'upstream_5xx',
  'network',
  'quota_exhausted',
];

/** Details an adapter may attach to an {@link UpstreamError}. */
export interface UpstreamErrorOptions {
  /** HTTP status upstream answered with, when there was an answer. */
  status?: number;
  /** How long upstream asked us to wait, in milliseconds (from `retry-after` or a reset header). */
  retryAfterMs?: number;
  /**
   * For subscription accounts: the usage window that was hit (e.g. `"5h"`, `"7d"`), so the
   * admin can show which limit the account is waiting on.
   */
  window?: string;
  /** Response headers upstream sent with the error; forwarded to the client if no other account can serve. */
  headers?: Record<string, string>;
  /** Raw error body upstream sent; forwarded verbatim to the client when nothing else can serve. */
  body?: Uint8Array;
  /** The underlying error, for logs. Never rendered to a client. */
  cause?: unknown;
  /**
   * The account cannot recover without an operator (e.g. its organisation was disabled):
   * the scheduler pauses it on every instance until an admin resumes or resets it,
   * instead of cooling it down.
   */
  pauseAccount?: boolean;
}

/**
 * Thrown by an upstream adapter (or produced by `classifyError`) when an upstream call
 * failed. The message is for operators' logs: never put a credential in it.
 */
export class UpstreamError extends Error {
  override readonly name = 'UpstreamError';
  readonly kind: UpstreamErrorKind;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
  readonly window: string | undefined;
  readonly headers: Record<string, string> | undefined;
  readonly body: Uint8Array | undefined;
  /** See {@link UpstreamErrorOptions.pauseAccount}. */
  readonly pauseAccount: boolean;

  constructor(kind: UpstreamErrorKind, message: string, options: UpstreamErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.kind = kind;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
    this.window = options.window;
    this.headers = options.headers;
    this.body = options.body;
    this.pauseAccount = options.pauseAccount ?? false;
  }

  /** True for kinds where another account may well succeed. */
  get retryable(): boolean {
    return this.kind !== 'bad_request';
  }
}

/**
 * The catalog of errors the gateway itself answers with. Each code has one HTTP status;
 * protocols map the code onto their own error `type` when rendering.
 */
export const GATEWAY_ERROR_STATUS = {
  invalid_request: 400,
  invalid_json: 400,
  missing_api_key: 401,
  invalid_api_key: 401,
  key_disabled: 401,
  cost_limit_reached: 402,
  key_expired: 403,
  permission_denied: 403,
  model_not_allowed: 403,
  client_not_allowed: 403,
  not_found: 404,
  /** No account this key can use admits the requested model (its catalog, see `ModelCatalog`). */
  model_not_found: 404,
  method_not_allowed: 405,
  payload_too_large: 413,
  rate_limited: 429,
  concurrency_limit: 429,
  queue_full: 429,
  queue_timeout: 429,
  internal_error: 500,
  not_implemented: 501,
  upstream_error: 502,
  /** Accounts admit the model but none can serve now (paused, cooling down, busy); sent with Retry-After. */
  no_account_available: 503,
  shutting_down: 503,
  /** The gateway holds as many request bodies in memory as it may (`server.maxBufferedBodyMb`); retry shortly. */
  gateway_busy: 503,
  /** The gateway's own store (Redis, the SQLite file) cannot be reached; sent with Retry-After. */
  store_unavailable: 503,
  upstream_timeout: 504,
} as const;

/** A code from the gateway's error catalog. */
export type GatewayErrorCode = keyof typeof GATEWAY_ERROR_STATUS;

/** Details for a {@link GatewayError}. */
export interface GatewayErrorOptions {
  /** Milliseconds after which retrying makes sense; rendered as `Retry-After` (seconds, rounded up). */
  retryAfterMs?: number;
  /** Extra, client-safe, structured details (e.g. which limit, when it resets). */
  details?: Record<string, unknown>;
  /** The underlying error, for logs only. */
  cause?: unknown;
}

/**
 * An error the gateway answers with. Its message reaches the client, so it must be
 * written for a person and never contain a secret.
 */
export class GatewayError extends Error {
  override readonly name = 'GatewayError';
  readonly code: GatewayErrorCode;
  readonly status: number;
  readonly retryAfterMs: number | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: GatewayErrorCode, message: string, options: GatewayErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = GATEWAY_ERROR_STATUS[code];
    this.retryAfterMs = options.retryAfterMs;
    this.details = options.details;
  }
}

/** True when `value` is a {@link GatewayError}, also across copies of the contract module. */
export function isGatewayError(value: unknown): value is GatewayError {
  return value instanceof GatewayError || (value instanceof Error && value.name === 'GatewayError' && 'code' in value);
}

/** True when `value` is an {@link UpstreamError}, also across copies of the contract module. */
export function isUpstreamError(value: unknown): value is UpstreamError {
  return value instanceof UpstreamError || (value instanceof Error && value.name === 'UpstreamError' && 'kind' in value);
}
