/**
 * Usage as Azure OpenAI reports it, in OpenAI's shapes: Chat Completions `usage` (unary,
 * and the final `include_usage` chunk of a stream), Responses `usage` (unary, and the
 * `response` of `response.completed` / `response.incomplete` / `response.failed`), and
 * embeddings `usage` (`prompt_tokens` only). Cached tokens are split out of the input;
 * reasoning tokens stay in the output count. These readers mirror the OpenAI plugin's
 * codecs (a plugin imports no other plugin); the adapter uses them to count what it reads
 * itself (see azure-usage-tap.ts).
 */
import { type Usage, emptyUsage, isRecord, nonEmptyString, tokenCount } from '@switchyard/plugin-api';
import { OPENAI_EMBEDDINGS, OPENAI_RESPONSES } from './protocol-ids.js';

function withModel(usage: Usage, model: unknown): Usage {
  const name = nonEmptyString(model);
  if (name) usage.model = name;
  return usage;
}

/** A Chat Completions `usage` object as {@link Usage}; null when it is not one. */
export function chatUsage(raw: unknown, model?: unknown): Usage | null {
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
  return withModel(usage, model);
}

/** A Responses `usage` object as {@link Usage}; null when it is not one. */
export function responsesUsage(raw: unknown, model?: unknown): Usage | null {
  if (!isRecord(raw) || (typeof raw.input_tokens !== 'number' && typeof raw.output_tokens !== 'number')) return null;
  const cached = isRecord(raw.input_tokens_details) ? tokenCount(raw.input_tokens_details.cached_tokens) : 0;
  const usage: Usage = {
    ...emptyUsage(),
    inputTokens: Math.max(0, tokenCount(raw.input_tokens) - cached),
    outputTokens: tokenCount(raw.output_tokens),
    cacheReadTokens: cached,
    raw,
  };
  if (isRecord(raw.output_tokens_details) && typeof raw.output_tokens_details.reasoning_tokens === 'number') {
    usage.reasoningTokens = tokenCount(raw.output_tokens_details.reasoning_tokens);
  }
  return withModel(usage, model);
}

/** An embeddings `usage` object (`prompt_tokens`, `total_tokens`) as {@link Usage}; null when it is not one. */
export function embeddingsUsage(raw: unknown, model?: unknown): Usage | null {
  if (!isRecord(raw) || typeof raw.prompt_tokens !== 'number') return null;
  return withModel({ ...emptyUsage(), inputTokens: tokenCount(raw.prompt_tokens), raw }, model);
}

/** The usage of a unary answer body of `protocol`, or null. */
export function unaryUsage(protocol: string, body: unknown): Usage | null {
  if (!isRecord(body)) return null;
  if (protocol === OPENAI_RESPONSES) return responsesUsage(body.usage, body.model);
  if (protocol === OPENAI_EMBEDDINGS) return embeddingsUsage(body.usage, body.model);
  return chatUsage(body.usage, body.model);
}

/** The Responses stream events that carry the final usage. */
export const RESPONSES_USAGE_EVENTS: readonly string[] = ['response.completed', 'response.incomplete', 'response.failed'];
