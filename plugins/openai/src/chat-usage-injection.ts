/**
 * Streamed chat answers carry usage only when the client asks for
 * `stream_options.include_usage`. So that every streamed request is counted, the
 * `openai-api` adapter asks for it on the client's behalf and removes the extra usage
 * chunk (`choices: []` with `usage`) from what the client gets, reading the usage itself.
 * Requests that already ask for it go upstream byte for byte.
 */
import { isRecord, parseJsonSafely, transformSseFrames } from '@switchyard/plugin-api';
import type { RelayRequest, SseFrame, UpstreamResponse } from '@switchyard/plugin-api';
import { chatUsageCodec } from './chat-usage-codec.js';
import { OPENAI_CHAT } from './openai-chat-protocol.js';

/** The body with `stream_options.include_usage` added, or undefined when nothing needs adding. */
export function bodyWithUsageRequested(request: RelayRequest): Record<string, unknown> | undefined {
  if (request.protocol !== OPENAI_CHAT || !request.stream || !isRecord(request.body)) return undefined;
  const options = isRecord(request.body.stream_options) ? request.body.stream_options : {};
  if (options.include_usage === true) return undefined;
  return Object.assign({}, request.body, { stream_options: Object.assign({}, options, { include_usage: true }) });
}

/** True for the usage-only chunk (`choices: []` with `usage`) the client did not ask for. */
function isUsageOnlyFrame({ event }: SseFrame): boolean {
  if (event === undefined) return false;
  const parsed = parseJsonSafely(event.data);
  return isRecord(parsed) && Array.isArray(parsed.choices) && parsed.choices.length === 0 && isRecord(parsed.usage);
}

/**
 * Wraps a successful streamed answer: frames pass through as they complete, the
 * usage-only frame is dropped, and `usage` resolves with what upstream reported.
 */
export function withoutInjectedUsage(response: UpstreamResponse): UpstreamResponse {
  return transformSseFrames(response, { keep: (frame) => !isUsageOnlyFrame(frame), usageTap: chatUsageCodec.createStreamTap() });
}
