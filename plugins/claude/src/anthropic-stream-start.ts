/**
 * Anthropic may answer 200 and then report a failure as the first event of the stream
 * (`event: error` with `{"type":"error","error":{"type":"overloaded_error",…}}`). This
 * reads that event as the HTTP error answer it stands for, so the gateway classifies it
 * with the account type's `classifyError` (529 overloaded, 429 rate limited, ...),
 * cools the account down and fails over, as it would for the HTTP answer.
 */
import { isRecord, parseJsonSafely, type SseEvent, type StreamStartError } from '@switchyard/plugin-api';
import { anthropicErrorBody } from './anthropic-error.js';

/** The HTTP status Anthropic uses for each error type (unknown types: 500). */
const STATUS_OF_TYPE: Readonly<Record<string, number>> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
};

/** The error answer an `event: error` first event stands for; undefined for any other event. */
export function anthropicStreamStartError(event: SseEvent): StreamStartError | undefined {
  if (event.event !== 'error') return undefined;
  const data = parseJsonSafely(event.data);
  const error = isRecord(data) && isRecord(data.error) ? data.error : undefined;
  if (error === undefined) {
    // Not Anthropic's error shape: still a failure, relayed in that shape.
    return {
      status: 500,
      body: JSON.stringify(
        anthropicErrorBody({ code: 'upstream_error', status: 500, message: 'The upstream stream failed before it started.' }),
      ),
    };
  }
  const status = (typeof error.type === 'string' ? STATUS_OF_TYPE[error.type] : undefined) ?? 500;
  // The event's data is Anthropic's unary error body already.
  return { status, body: event.data };
}
