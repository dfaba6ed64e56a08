/**
 * Google's error JSON, `{ error: { code, message, status } }`, for gateway errors on the
 * Gemini protocols.
 */
import { formatSse, type RenderableError, type RenderedError } from '@switchyard/plugin-api';

/** The canonical Google RPC status name for an HTTP status. */
export function googleStatus(status: number): string {
  switch (status) {
    case 400:
    case 413:
      return 'INVALID_ARGUMENT';
    case 401:
      return 'UNAUTHENTICATED';
    case 402:
    case 429:
      return 'RESOURCE_EXHAUSTED';
    case 403:
      return 'PERMISSION_DENIED';
    case 404:
      return 'NOT_FOUND';
    case 405:
    case 501:
      return 'UNIMPLEMENTED';
    case 503:
      return 'UNAVAILABLE';
    case 504:
      return 'DEADLINE_EXCEEDED';
    default:
      return status >= 500 ? 'INTERNAL' : 'FAILED_PRECONDITION';
  }
}

/** The Google error body of a gateway error; the gateway's code is kept in `details`. */
export function googleErrorBody(error: RenderableError): {
  error: { code: number; message: string; status: string; details: unknown[] };
} {
  return {
    error: {
      code: error.status,
      message: error.message,
      status: googleStatus(error.status),
      details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: error.code, domain: 'switchyard' }],
    },
  };
}

/** Renders a gateway error as Google error JSON, with `retry-after` when known. */
export function renderGoogleError(error: RenderableError): RenderedError {
  const rendered: RenderedError = { status: error.status, body: googleErrorBody(error) };
  if (error.retryAfterMs !== undefined)
    rendered.headers = { 'retry-after': String(Math.max(1, Math.ceil(error.retryAfterMs / 1000))) };
  return rendered;
}

/** One SSE `data:` frame carrying the Google error body (after a stream started). */
export function renderGoogleStreamError(error: RenderableError): string {
  return formatSse(googleErrorBody(error));
}
