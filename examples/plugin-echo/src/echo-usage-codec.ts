/**
 * How usage looks on the echo wire: `{ usage: { input_tokens, output_tokens } }` in a
 * unary answer, and the same object in the `done` event of a stream.
 */
import { createSseParser, emptyUsage, type StreamUsageTap, type Usage, type UsageCodec } from '@switchyard/core/plugin-api';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : 0;
}

/** Maps an echo usage object onto the gateway's {@link Usage}; null when it is not one. */
export function toUsage(raw: unknown, model?: unknown): Usage | null {
  if (!isRecord(raw)) return null;
  if (typeof raw.input_tokens !== 'number' && typeof raw.output_tokens !== 'number') return null;
  const usage: Usage = { ...emptyUsage(), inputTokens: count(raw.input_tokens), outputTokens: count(raw.output_tokens), raw };
  if (typeof model === 'string') usage.model = model;
  return usage;
}

function parseJson(data: string): unknown {
  try {
    return JSON.parse(data);
  } catch {
    return undefined;
  }
}

/** A tap reading the `start` (model) and `done` (usage) events of an echo stream. Never throws. */
function createEchoStreamTap(): StreamUsageTap {
  let model: unknown;
  let usage: Usage | null = null;
  const parser = createSseParser((event) => {
    const data = parseJson(event.data);
    if (!isRecord(data)) return;
    if (event.event === 'start') model = data.model;
    if (event.event === 'done') usage = toUsage(data.usage, model);
  });
  return {
    push(chunk) {
      try {
        parser.push(chunk);
      } catch {
        // An odd stream yields no usage; it never breaks the relay.
      }
    },
    end() {
      try {
        parser.end();
      } catch {
        // as above
      }
      return usage;
    },
  };
}

/** The echo protocol's usage codec. */
export const echoUsageCodec: UsageCodec = {
  fromJson(body) {
    return isRecord(body) ? toUsage(body.usage, body.model) : null;
  },
  createStreamTap: createEchoStreamTap,
};
