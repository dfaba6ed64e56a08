/**
 * A Responses stream that fails before it starts: its first event is `error`
 * (`{"type":"error","code":"rate_limit_exceeded","message":…}`) or `response.failed`
 * (`{"response":{"error":{"code","message"}}}`) instead of `response.created`. Read as
 * the HTTP error it stands for, so the gateway classifies it (429 rate limited, 5xx),
 * cools the account down and fails over, as it would for the HTTP answer.
 */
import { isRecord, parseJsonSafely, type SseEvent, type StreamStartError } from '@switchyard/plugin-api';

/** The first events that report a failure. */
export const RESPONSES_START_ERROR_EVENTS: readonly string[] = ['error', 'response.failed'];

/** HTTP statuses of the error codes Responses streams report (unknown codes: 500). */
const STATUS_OF_CODE: Readonly<Record<string, number>> = {
  rate_limit_exceeded: 429,
  insufficient_quota: 429,
  usage_limit_reached: 429,
  server_error: 500,
  server_is_overloaded: 503,
  slow_down: 503,
  invalid_prompt: 400,
  invalid_request_error: 400,
  context_length_exceeded: 400,
};

/** `{code, message}` of an `error` event or of a `response.failed` event's response. */
function errorOf(event: SseEvent): { code: string; message: string } {
  const data = parseJsonSafely(event.data);
  const source =
    isRecord(data) && event.event === 'response.failed'
      ? isRecord(data.response) && isRecord(data.response.error)
        ? data.response.error
        : {}
      : data;
  const fields = isRecord(source) ? source : {};
  return {
    code: typeof fields.code === 'string' ? fields.code : 'server_error',
    message: typeof fields.message === 'string' ? fields.message : 'The upstream stream failed before it started.',
  };
}

/** The error answer a failing first event stands for, in OpenAI's error JSON; undefined for any other event. */
export function responsesStreamStartError(event: SseEvent): StreamStartError | undefined {
  if (event.event === undefined || !RESPONSES_START_ERROR_EVENTS.includes(event.event)) return undefined;
  const { code, message } = errorOf(event);
  const status = STATUS_OF_CODE[code] ?? 500;
  const type =
    status === 429
      ? code === 'insufficient_quota'
        ? 'insufficient_quota'
        : 'rate_limit_error'
      : status >= 500
        ? 'server_error'
        : 'invalid_request_error';
  return { status, body: JSON.stringify({ error: { message, type, param: null, code } }) };
}
