/**
 * Gateway errors in Anthropic's error shape:
 * `{"type":"error","error":{"type":"rate_limit_error","message":"..."}}`, as a unary
 * answer or as an `event: error` SSE frame once a stream has started.
 */
import { formatSse, type RenderableError, type RenderedError } from '@switchyard/plugin-api';

/** Anthropic's error body. */
export interface AnthropicErrorBody {
  type: 'error';
  error: { type: string; message: string };
}

/** The gateway's error codes, as the Anthropic error `type` clients act on. */
const ERROR_TYPES: Readonly<Record<string, string>> = {
  invalid_request: 'invalid_request_error',
  invalid_json: 'invalid_request_error',
  method_not_allowed: 'invalid_request_error',
  missing_api_key: 'authentication_error',
  invalid_api_key: 'authentication_error',
  key_disabled: 'authentication_error',
  cost_limit_reached: 'billing_error',
  key_expired: 'permission_error',
  permission_denied: 'permission_error',
  model_not_allowed: 'permission_error',
  client_not_allowed: 'permission_error',
  not_found: 'not_found_error',
  model_not_found: 'not_found_error',
  payload_too_large: 'request_too_large',
  rate_limited: 'rate_limit_error',
  concurrency_limit: 'rate_limit_error',
  queue_full: 'rate_limit_error',
  queue_timeout: 'rate_limit_error',
  internal_error: 'api_error',
  not_implemented: 'api_error',
  upstream_error: 'api_error',
  upstream_timeout: 'timeout_error',
  // Not overloaded_error: that is Anthropic's own overload (529), which Claude Code retries without end.
  no_account_available: 'api_error',
  shutting_down: 'overloaded_error',
  gateway_busy: 'overloaded_error',
  store_unavailable: 'overloaded_error',
};

/** The Anthropic error type for a gateway error code (`api_error` for unknown codes). */
export function anthropicErrorType(code: string): string {
  return ERROR_TYPES[code] ?? 'api_error';
}

/** The error body for `error`. */
export function anthropicErrorBody(error: RenderableError): AnthropicErrorBody {
  return { type: 'error', error: { type: anthropicErrorType(error.code), message: error.message } };
}

/** Renders a unary error: the gateway's status is kept, `retry-after` in whole seconds when known. */
export function renderAnthropicError(error: RenderableError): RenderedError {
  const rendered: RenderedError = { status: error.status, body: anthropicErrorBody(error) };
  if (error.retryAfterMs !== undefined) {
    rendered.headers = { 'retry-after': String(Math.max(1, Math.ceil(error.retryAfterMs / 1000))) };
  }
  return rendered;
}

/** Renders an `event: error` SSE frame for a stream that already started. */
export function renderAnthropicStreamError(error: RenderableError): string {
  return formatSse(anthropicErrorBody(error), 'error');
}
