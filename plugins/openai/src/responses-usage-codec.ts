/**
 * Usage in the OpenAI Responses API: `usage` of a unary response object, and of the
 * `response` carried by `response.completed` (or `response.incomplete`) in a stream.
 * `input_tokens` includes cached tokens, which are split out.
 */
import { type Usage, type UsageCodec, isRecord, tokenCount } from '@switchyard/plugin-api';
import { withServiceTier } from './service-tier.js';
import { createSseJsonTap } from './sse-json-tap.js';

/**
 * Maps a Responses `usage` object onto {@link Usage}; null when it is not one. A
 * non-default `serviceTier` is kept in `raw.service_tier` (for priority pricing).
 */
export function responsesUsage(raw: unknown, model?: unknown, serviceTier?: unknown): Usage | null {
  if (!isRecord(raw)) return null;
  if (typeof raw.input_tokens !== 'number' && typeof raw.output_tokens !== 'number') return null;
  const cached = isRecord(raw.input_tokens_details) ? tokenCount(raw.input_tokens_details.cached_tokens) : 0;
  const usage: Usage = {
    inputTokens: Math.max(0, tokenCount(raw.input_tokens) - cached),
    outputTokens: tokenCount(raw.output_tokens),
    cacheWrite5mTokens: 0,
    cacheWrite1hTokens: 0,
    cacheReadTokens: cached,
    raw: withServiceTier(raw, serviceTier),
  };
  if (isRecord(raw.output_tokens_details) && typeof raw.output_tokens_details.reasoning_tokens === 'number') {
    usage.reasoningTokens = tokenCount(raw.output_tokens_details.reasoning_tokens);
  }
  if (typeof model === 'string' && model !== '') usage.model = model;
  return usage;
}

/** Only the final events carry usage; named deltas are skipped unread. */
const USAGE_EVENTS = { events: ['response.completed', 'response.incomplete', 'response.failed'] } as const;

/** The `openai-responses` usage codec. */
export const responsesUsageCodec: UsageCodec = {
  fromJson(body) {
    return isRecord(body) ? responsesUsage(body.usage, body.model, body.service_tier) : null;
  },
  createStreamTap() {
    let usage: Usage | null = null;
    return createSseJsonTap(
      (data) => {
        if (!isRecord(data) || !isRecord(data.response)) return;
        const found = responsesUsage(data.response.usage, data.response.model, data.response.service_tier);
        if (found) usage = found;
      },
      () => usage,
      USAGE_EVENTS,
    );
  },
};
