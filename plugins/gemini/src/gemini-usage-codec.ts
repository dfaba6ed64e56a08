/**
 * Usage in Gemini answers: `usageMetadata` of a `GenerateContentResponse`, also inside
 * the Code Assist envelope (`{ response: { usageMetadata } }`). Streams come as SSE
 * (`?alt=sse`) or as one JSON array; the last `usageMetadata` seen wins (Gemini repeats
 * running totals). `promptTokenCount` includes cached tokens, which are split out;
 * thoughts are billed as output.
 */
import {
  createSseParser,
  type StreamUsageTap,
  type Usage,
  type UsageCodec,
  isRecord,
  parseJsonSafely,
  tokenCount,
} from '@switchyard/plugin-api';
import { createJsonObjectSplitter } from './json-object-splitter.js';

/** Maps a `usageMetadata` object onto {@link Usage}; null when it is not one. */
export function geminiUsage(raw: unknown, model?: unknown): Usage | null {
  if (!isRecord(raw)) return null;
  if (
    typeof raw.promptTokenCount !== 'number' &&
    typeof raw.candidatesTokenCount !== 'number' &&
    typeof raw.totalTokenCount !== 'number'
  )
    return null;
  const cached = tokenCount(raw.cachedContentTokenCount);
  const thoughts = tokenCount(raw.thoughtsTokenCount);
  const usage: Usage = {
    inputTokens: Math.max(0, tokenCount(raw.promptTokenCount) + tokenCount(raw.toolUsePromptTokenCount) - cached),
    outputTokens: tokenCount(raw.candidatesTokenCount) + thoughts,
    cacheWrite5mTokens: 0,
    cacheWrite1hTokens: 0,
    cacheReadTokens: cached,
    raw,
  };
  if (thoughts > 0) usage.reasoningTokens = thoughts;
  if (typeof model === 'string' && model !== '') usage.model = model;
  return usage;
}

/** The `GenerateContentResponse` in a body: itself, or the Code Assist envelope's `response`. */
export function unwrapResponse(body: unknown): Record<string, unknown> | undefined {
  if (!isRecord(body)) return undefined;
  return isRecord(body.response) ? body.response : body;
}

function usageOf(body: unknown): Usage | null {
  // A whole streamed JSON array: the last element with usage wins.
  if (Array.isArray(body)) return body.reduce<Usage | null>((found, item) => usageOf(item) ?? found, null);
  const response = unwrapResponse(body);
  return response ? geminiUsage(response.usageMetadata, response.modelVersion) : null;
}

/** A tap for SSE or JSON-array streams; decides on the first non-blank character. Never throws. */
function createGeminiStreamTap(): StreamUsageTap {
  let usage: Usage | null = null;
  let mode: 'sse' | 'array' | undefined;
  const decoder = new TextDecoder();
  const take = (text: string): void => {
    const found = usageOf(parseJsonSafely(text));
    if (found) usage = found;
  };
  const sse = createSseParser((event) => take(event.data));
  const array = createJsonObjectSplitter();
  const feed = (text: string): void => {
    if (mode === undefined) {
      const first = text.trimStart()[0];
      if (first === undefined) return;
      mode = first === '[' || first === '{' ? 'array' : 'sse';
    }
    if (mode === 'sse') sse.push(text);
    else for (const object of array.push(text)) take(object);
  };
  let pending = '';
  return {
    push(chunk) {
      try {
        const text = pending + decoder.decode(chunk, { stream: true });
        pending = mode === undefined && text.trim() === '' ? text : '';
        if (pending === '') feed(text);
      } catch {
        // An odd stream yields no usage; it never breaks the relay.
      }
    },
    end() {
      try {
        feed(decoder.decode());
        if (mode === 'sse') sse.end();
      } catch {
        // as above
      }
      return usage;
    },
  };
}

/** The usage codec of both Gemini protocols. */
export const geminiUsageCodec: UsageCodec = {
  fromJson: usageOf,
  createStreamTap: createGeminiStreamTap,
};
