/**
 * How usage looks on the Anthropic Messages wire: `usage` in a unary answer, and in a
 * stream the `message_start` event's `message.usage` (input and cache counts, model)
 * completed by `message_delta`'s cumulative `usage` (output, sometimes final input and
 * cache counts). Cache writes are split into 5-minute and 1-hour from
 * `cache_creation.ephemeral_5m_input_tokens` / `ephemeral_1h_input_tokens`; without
 * that split, `cache_creation_input_tokens` counts as 5-minute writes.
 */
import {
  createSseUsageTap,
  type StreamUsageTap,
  type Usage,
  type UsageCodec,
  isRecord,
  parseJsonSafely,
  tokenCount,
} from '@switchyard/plugin-api';

const USAGE_FIELDS = [
  'input_tokens',
  'output_tokens',
  'cache_creation_input_tokens',
  'cache_read_input_tokens',
  'cache_creation',
];

/** The stream events that carry usage; content events (most of a stream) are skipped unread. */
const USAGE_EVENTS = { events: ['message_start', 'message_delta'] } as const;

/** True when `raw` looks like an Anthropic usage object. */
function isUsageObject(raw: unknown): raw is Record<string, unknown> {
  return isRecord(raw) && USAGE_FIELDS.some((field) => field in raw);
}

/** Maps an Anthropic usage object onto the gateway's {@link Usage}; null when it is not one. */
export function toUsage(raw: unknown, model?: unknown): Usage | null {
  if (!isUsageObject(raw)) return null;
  const split = raw.cache_creation;
  const hasSplit = isRecord(split) && ('ephemeral_5m_input_tokens' in split || 'ephemeral_1h_input_tokens' in split);
  const usage: Usage = {
    inputTokens: tokenCount(raw.input_tokens),
    outputTokens: tokenCount(raw.output_tokens),
    cacheWrite5mTokens: tokenCount(hasSplit ? split.ephemeral_5m_input_tokens : raw.cache_creation_input_tokens),
    cacheWrite1hTokens: hasSplit ? tokenCount(split.ephemeral_1h_input_tokens) : 0,
    cacheReadTokens: tokenCount(raw.cache_read_input_tokens),
    raw,
  };
  if (typeof model === 'string' && model !== '') usage.model = model;
  return usage;
}

/** Merges `message_delta` usage over `message_start` usage: fields present later win. */
function mergeUsage(start: Record<string, unknown> | undefined, delta: Record<string, unknown>): Record<string, unknown> {
  // Object.assign, not a spread: adding keys to a spread copy is slow in Node 20's V8.
  const merged: Record<string, unknown> = Object.assign({}, start);
  for (const field of Object.keys(delta)) {
    const value = delta[field];
    if (value !== null && value !== undefined) merged[field] = value;
  }
  return merged;
}

/** A tap reading `message_start` and `message_delta`. Never throws; null when it saw no usage. */
function createAnthropicStreamTap(): StreamUsageTap {
  let model: unknown;
  let raw: Record<string, unknown> | undefined;
  return createSseUsageTap(
    (event) => {
      const data = parseJsonSafely(event.data);
      if (!isRecord(data)) return;
      const type = event.event ?? data.type;
      if (type === 'message_start' && isRecord(data.message)) {
        model = data.message.model;
        if (isUsageObject(data.message.usage)) raw = mergeUsage(raw, data.message.usage);
      } else if (type === 'message_delta' && isUsageObject(data.usage)) {
        raw = mergeUsage(raw, data.usage);
      }
    },
    () => (raw ? toUsage(raw, model) : null),
    USAGE_EVENTS,
  );
}

/** The Anthropic Messages usage codec. */
export const anthropicUsageCodec: UsageCodec = {
  fromJson(body) {
    return isRecord(body) ? toUsage(body.usage, body.model) : null;
  },
  createStreamTap: createAnthropicStreamTap,
};
