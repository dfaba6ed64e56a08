/**
 * The adapter reads an answer's usage itself, for two reasons: a streamed chat answer's
 * usage chunk, asked for on the client's behalf, must be hidden from the client (the
 * OpenAI plugin does the same, with the contract's `transformSseFrames`); and the usage
 * must be priced by the model name, never by the Azure deployment name. Azure reports the
 * deployed model's name in `model` (e.g. `gpt-4o-2024-11-20`); should an answer name the
 * deployment instead, the usage is given the requested model name, so OpenAI's price
 * table applies.
 */
import {
  type SseFrame,
  type StreamUsageTap,
  type UpstreamResponse,
  type Usage,
  createSseUsageTap,
  isRecord,
  parseJsonSafely,
  transformSseFrames,
  upstreamResponse,
} from '@switchyard/plugin-api';
import { RESPONSES_USAGE_EVENTS, chatUsage, responsesUsage, unaryUsage } from './azure-usage.js';
import { OPENAI_RESPONSES } from './protocol-ids.js';

/** The requested model name and the deployment that served it. */
export interface ModelNames {
  model: string | undefined;
  deployment: string;
}

/** `usage` priced by the model name: a `model` naming the deployment is replaced by the requested model name. */
export function byModelName(usage: Usage | null, names: ModelNames): Usage | null {
  if (!usage || !names.model || names.model === names.deployment || usage.model !== names.deployment) return usage;
  return { ...usage, model: names.model };
}

/** A tap over a streamed answer of `protocol` (chat chunks or Responses events). */
export function streamUsageTap(protocol: string): StreamUsageTap {
  let usage: Usage | null = null;
  if (protocol === OPENAI_RESPONSES) {
    return createSseUsageTap(
      (event) => {
        const data = parseJsonSafely(event.data);
        if (!isRecord(data) || !isRecord(data.response)) return;
        usage = responsesUsage(data.response.usage, data.response.model) ?? usage;
      },
      () => usage,
      { events: RESPONSES_USAGE_EVENTS },
    );
  }
  let model: unknown;
  return createSseUsageTap(
    (event) => {
      // Content chunks make up most of a stream: only the first (for the model) and those naming usage are parsed.
      if (event.data === '[DONE]' || (model !== undefined && !event.data.includes('"usage"'))) return;
      const data = parseJsonSafely(event.data);
      if (!isRecord(data)) return;
      if (typeof data.model === 'string' && data.model !== '') model = data.model;
      usage = chatUsage(data.usage, model) ?? usage;
    },
    () => usage,
  );
}

/** A tap collecting a unary JSON answer and reading its usage at the end. */
function unaryUsageTap(protocol: string): StreamUsageTap {
  const chunks: Buffer[] = [];
  return {
    push: (chunk) => void chunks.push(Buffer.from(chunk)),
    end: () => unaryUsage(protocol, parseJsonSafely(Buffer.concat(chunks).toString('utf8'))),
  };
}

/** The same tap, its result priced by the model name. */
function renamed(tap: StreamUsageTap, names: ModelNames): StreamUsageTap {
  return { push: (chunk) => tap.push(chunk), end: () => byModelName(tap.end(), names) };
}

/** True for the usage-only chunk (`choices: []` with a `usage` object) the client did not ask for. */
export function isUsageOnlyFrame({ event }: SseFrame): boolean {
  if (event === undefined) return false;
  const parsed = parseJsonSafely(event.data);
  return isRecord(parsed) && Array.isArray(parsed.choices) && parsed.choices.length === 0 && isRecord(parsed.usage);
}

function isEventStream(response: UpstreamResponse): boolean {
  const type = response.headers['content-type'];
  return String(Array.isArray(type) ? type[0] : (type ?? '')).includes('text/event-stream');
}

/**
 * A successful answer with its usage read by the adapter: streams frame by frame (the
 * injected usage chunk dropped when `hideUsageChunk`), unary bodies chunk by chunk, the
 * client's bytes unchanged otherwise. Error answers are returned as they are (the core
 * classifies them).
 */
export function withUsage(
  response: UpstreamResponse,
  protocol: string,
  names: ModelNames,
  hideUsageChunk: boolean,
): UpstreamResponse {
  if (response.status < 200 || response.status >= 300) return response;
  if (isEventStream(response)) {
    return transformSseFrames(response, {
      ...(hideUsageChunk ? { keep: (frame: SseFrame) => !isUsageOnlyFrame(frame) } : {}),
      usageTap: renamed(streamUsageTap(protocol), names),
    });
  }
  const tap = renamed(unaryUsageTap(protocol), names);
  let settle: (usage: Usage | null) => void = () => {};
  const usage = new Promise<Usage | null>((resolve) => (settle = resolve));
  const source = response.body as AsyncIterable<Uint8Array>;
  async function* tapped(): AsyncGenerator<Uint8Array> {
    let finished = false;
    try {
      for await (const chunk of source) {
        tap.push(chunk);
        yield chunk;
      }
      finished = true;
      settle(tap.end());
    } finally {
      if (!finished) settle(tap.end());
    }
  }
  return upstreamResponse({ status: response.status, headers: response.headers, body: tapped(), usage });
}
