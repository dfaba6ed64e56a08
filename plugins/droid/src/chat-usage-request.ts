/**
 * Streamed chat answers carry usage only when the client asks for
 * `stream_options.include_usage`. So that every streamed chat request on Factory's comm
 * endpoint is counted, the adapter asks for it on the client's behalf (a body change, not
 * a prompt change) and removes the usage-only chunk the client did not ask for, reading
 * the usage from it. Requests that already ask for it go upstream byte for byte.
 */
import {
  createSseUsageTap,
  emptyUsage,
  isRecord,
  nonEmptyString,
  parseJsonSafely,
  tokenCount,
  transformSseFrames,
  type RelayRequest,
  type SseFrame,
  type StreamUsageTap,
  type Usage,
  type UpstreamResponse,
} from '@switchyard/plugin-api';
import { OPENAI_CHAT } from './protocol-ids.js';

/** The chat body with `stream_options.include_usage` added, or undefined when nothing needs adding. */
export function bodyAskingForUsage(request: RelayRequest): Record<string, unknown> | undefined {
  if (request.protocol !== OPENAI_CHAT || !request.stream || !isRecord(request.body)) return undefined;
  const options = isRecord(request.body.stream_options) ? request.body.stream_options : {};
  if (options.include_usage === true) return undefined;
  return Object.assign({}, request.body, { stream_options: Object.assign({}, options, { include_usage: true }) });
}

/** A chat `usage` object as {@link Usage} (cached prompt tokens split out), or null. */
export function chatUsageOf(raw: unknown, model: unknown): Usage | null {
  if (!isRecord(raw) || (typeof raw.prompt_tokens !== 'number' && typeof raw.completion_tokens !== 'number')) return null;
  const cached = isRecord(raw.prompt_tokens_details) ? tokenCount(raw.prompt_tokens_details.cached_tokens) : 0;
  const usage: Usage = {
    ...emptyUsage(),
    inputTokens: Math.max(0, tokenCount(raw.prompt_tokens) - cached),
    outputTokens: tokenCount(raw.completion_tokens),
    cacheReadTokens: cached,
    raw,
  };
  if (isRecord(raw.completion_tokens_details) && typeof raw.completion_tokens_details.reasoning_tokens === 'number') {
    usage.reasoningTokens = tokenCount(raw.completion_tokens_details.reasoning_tokens);
  }
  const name = nonEmptyString(model);
  if (name) usage.model = name;
  return usage;
}

/** A tap reading the usage of a chat stream (from every chunk upstream sent). */
export function chatStreamUsageTap(): StreamUsageTap {
  let model: unknown;
  let usage: Usage | null = null;
  return createSseUsageTap(
    (event) => {
      // The model is in every chunk (the first one is read for it), usage only in those naming it.
      if (model !== undefined && !event.data.includes('"usage"')) return;
      const data = parseJsonSafely(event.data);
      if (!isRecord(data)) return;
      if (nonEmptyString(data.model)) model = data.model;
      usage = chatUsageOf(data.usage, model) ?? usage;
    },
    () => usage,
  );
}

/** True for the usage-only chunk (`choices: []` with `usage`) the client did not ask for. */
function isUsageOnlyFrame({ event }: SseFrame): boolean {
  if (event === undefined || !event.data.includes('"usage"')) return false;
  const parsed = parseJsonSafely(event.data);
  return isRecord(parsed) && Array.isArray(parsed.choices) && parsed.choices.length === 0 && isRecord(parsed.usage);
}

/** A successful stream without the added usage-only chunk, its usage read from what upstream sent. */
export function withoutAddedUsage(response: UpstreamResponse): UpstreamResponse {
  return transformSseFrames(response, { keep: (frame) => !isUsageOnlyFrame(frame), usageTap: chatStreamUsageTap() });
}
