/**
 * Usage in OpenAI Chat Completions: `usage` of a unary answer, and of the last chunk of
 * a stream (sent when the client asked for `stream_options.include_usage`). Cached prompt
 * tokens are split out of `prompt_tokens`; reasoning tokens stay in the output count.
 */
import { type Usage, type UsageCodec, isRecord, tokenCount } from '@switchyard/plugin-api';
import { withServiceTier } from './service-tier.js';
import { createSseJsonTap } from './sse-json-tap.js';

/**
 * Maps a chat `usage` object onto {@link Usage}; null when it is not one. A non-default
 * `serviceTier` of the answer is kept in `raw.service_tier` (for priority pricing).
 */
export function chatUsage(raw: unknown, model?: unknown, serviceTier?: unknown): Usage | null {
  if (!isRecord(raw)) return null;
  if (typeof raw.prompt_tokens !== 'number' && typeof raw.completion_tokens !== 'number') return null;
  const cached = isRecord(raw.prompt_tokens_details) ? tokenCount(raw.prompt_tokens_details.cached_tokens) : 0;
  const usage: Usage = {
    inputTokens: Math.max(0, tokenCount(raw.prompt_tokens) - cached),
    outputTokens: tokenCount(raw.completion_tokens),
    cacheWrite5mTokens: 0,
    cacheWrite1hTokens: 0,
    cacheReadTokens: cached,
    raw: withServiceTier(raw, serviceTier),
  };
  if (isRecord(raw.completion_tokens_details) && typeof raw.completion_tokens_details.reasoning_tokens === 'number') {
    usage.reasoningTokens = tokenCount(raw.completion_tokens_details.reasoning_tokens);
  }
  if (typeof model === 'string' && model !== '') usage.model = model;
  return usage;
}

/** The `openai-chat` usage codec. */
export const chatUsageCodec: UsageCodec = {
  fromJson(body) {
    return isRecord(body) ? chatUsage(body.usage, body.model, body.service_tier) : null;
  },
  createStreamTap() {
    let model: unknown;
    let tier: unknown;
    let usage: Usage | null = null;
    return createSseJsonTap(
      (data) => {
        if (!isRecord(data)) return;
        if (typeof data.model === 'string') model = data.model;
        if (typeof data.service_tier === 'string') tier = data.service_tier;
        const found = chatUsage(data.usage, model, tier);
        if (found) usage = found;
      },
      () => usage,
      {
        // The model is in every chunk (the first one is read for it), usage only in those naming it.
        worthParsing: (text) => model === undefined || text.includes('"usage"'),
      },
    );
  },
};
