/**
 * OpenAI's error JSON, `{ error: { message, type, param, code } }`, for gateway errors on
 * both OpenAI protocols.
 */
import type { RenderableError, RenderedError } from '@switchyard/plugin-api';

/** The OpenAI error `type` for a gateway error. */
export function openAiErrorType(error: RenderableError): string {
  if (error.status === 401) return 'authentication_error';
  if (error.status === 403) return 'permission_error';
  if (error.status === 404) return 'not_found_error';
  if (error.status === 429) return error.code === 'rate_limited' ? 'rate_limit_error' : 'rate_limit_error';
  if (error.status === 402) return 'insufficient_quota';
  if (error.status >= 500) return 'server_error';
  return 'invalid_request_error';
}

/** The OpenAI error body for a gateway error. */
export function openAiErrorBody(error: RenderableError): { error: { message: string; type: string; param: null; code: string } } {
  return { error: { message: error.message, type: openAiErrorType(error), param: null, code: error.code } };
}

/** Renders a gateway error as OpenAI error JSON, with `retry-after` when known. */
export function renderOpenAiError(error: RenderableError): RenderedError {
  const rendered: RenderedError = { status: error.status, body: openAiErrorBody(error) };
  if (error.retryAfterMs !== undefined)
    rendered.headers = { 'retry-after': String(Math.max(1, Math.ceil(error.retryAfterMs / 1000))) };
  return rendered;
}
