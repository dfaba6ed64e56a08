/**
 * How usage looks on the echo wire: `{ usage: { input_tokens, output_tokens } }` in a
 * unary answer, and the same object in the `done` event of a stream.
 */
import {
  createSseUsageTap,
  isRecord,
  parseJsonSafely,
  tokenCount,
  type StreamUsageTap,
  type Usage,
  type UsageCodec,
} from '@switchyard/plugin-api';

/** Maps an echo usage object onto the gateway's {@link Usage}; null when it is not one. */
export function toUsage(raw: unknown, model?: unknown): Usage | null {
  if (!isRecord(raw)) return null;
  if (typeof raw.input_tokens !== 'number' && typeof raw.output_tokens !== 'number') return null;
  const usage: Usage = {
    inputTokens: tokenCount(raw.input_tokens),
    outputTokens: tokenCount(raw.output_tokens),
    cacheWrite5mTokens: 0,
    cacheWrite1hTokens: 0,
    cacheReadTokens: 0,
    raw,
  };
  if (typeof model === 'string') usage.model = model;
  return usage;
}

/** The events the tap reads; the `delta` events (the content) are skipped without being decoded. */
const TAPPED_EVENTS = { events: ['start', 'done'] } as const;

/** A tap reading the `start` (model) and `done` (usage) events of an echo stream. Never throws. */
function createEchoStreamTap(): StreamUsageTap {
  let model: unknown;
  let usage: Usage | null = null;
  return createSseUsageTap(
    (event) => {
      const data = parseJsonSafely(event.data);
      if (!isRecord(data)) return;
      if (event.event === 'start') model = data.model;
      if (event.event === 'done') usage = toUsage(data.usage, model);
    },
    () => usage,
    TAPPED_EVENTS,
  );
}

/** The echo protocol's usage codec. */
export const echoUsageCodec: UsageCodec = {
  fromJson(body) {
    return isRecord(body) ? toUsage(body.usage, body.model) : null;
  },
  createStreamTap: createEchoStreamTap,
};
