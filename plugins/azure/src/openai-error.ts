/**
 * OpenAI's error JSON, `{ error: { message, type, param, code } }`, for gateway errors on
 * the embeddings protocol and the Azure model list (the chat and Responses protocols,
 * defined by the OpenAI plugin, render their own, in the same shape).
 */
import type { RenderableError, RenderedError } from '@switchyard/plugin-api';

function errorType(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 429) return 'rate_limit_error';
  if (status === 402) return 'insufficient_quota';
  if (status >= 500) return 'server_error';
  return 'invalid_request_error';
}

/** Renders a gateway error as OpenAI error JSON, with `retry-after` when known. */
export function renderOpenAiError(error: RenderableError): RenderedError {
  const rendered: RenderedError = {
    status: error.status,
    body: { error: { message: error.message, type: errorType(error.status), param: null, code: error.code } },
  };
  if (error.retryAfterMs !== undefined) {
    rendered.headers = { 'retry-after': String(Math.max(1, Math.ceil(error.retryAfterMs / 1000))) };
  }
  return rendered;
}
