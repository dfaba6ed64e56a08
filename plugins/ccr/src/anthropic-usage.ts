/**
 * Usage on the Anthropic Messages wire, as a CCR upstream answers: `usage` in a unary
 * answer; in a stream, `message_start`'s `message.usage` (and model) completed by
 * `message_delta`'s cumulative `usage` (Claude Code Router reports the input count only
 * there). Cache writes split into 5-minute and 1-hour when `cache_creation` says so, else
 * `cache_creation_input_tokens` counts as 5-minute writes. These readers mirror the
 * Claude plugin's codec (a plugin imports no other plugin); the adapter uses them to read
 * usage itself, so that it is priced by the model CCR routed to (see ccr-model.ts).
 */
import {
  createSseUsageTap,
  isRecord,
  parseJsonSafely,
  tokenCount,
  type StreamUsageTap,
  type Usage,
} from '@switchyard/plugin-api';

const USAGE_FIELDS = [
  'input_tokens',
  'output_tokens',
  'cache_creation_input_tokens',
  'cache_read_input_tokens',
  'cache_creation',
];

/** The stream events that carry usage; the others are skipped unread. */
const USAGE_EVENTS = { events: ['message_start', 'message_delta'] } as const;

function isUsageObject(raw: unknown): raw is Record<string, unknown> {
  return isRecord(raw) && USAGE_FIELDS.some((field) => field in raw);
}

/** An Anthropic usage object as {@link Usage} (with the reported `model`); null when it is not one. */
export function anthropicUsage(raw: unknown, model?: unknown): Usage | null {
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

/** The usage of a unary answer body, or null. */
export function unaryAnthropicUsage(body: unknown): Usage | null {
  return isRecord(body) ? anthropicUsage(body.usage, body.model) : null;
}

/** Fields present (not null) in `later` win over `earlier`. */
function merged(earlier: Record<string, unknown> | undefined, later: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = Object.assign({}, earlier);
  for (const [field, value] of Object.entries(later)) if (value !== null && value !== undefined) result[field] = value;
  return result;
}

/** A tap over an Anthropic event stream. Never throws; null when it saw no usage. */
export function anthropicStreamUsageTap(): StreamUsageTap {
  let model: unknown;
  let raw: Record<string, unknown> | undefined;
  return createSseUsageTap(
    (event) => {
      const data = parseJsonSafely(event.data);
      if (!isRecord(data)) return;
      const type = event.event ?? data.type;
      if (type === 'message_start' && isRecord(data.message)) {
        model = data.message.model;
        if (isUsageObject(data.message.usage)) raw = merged(raw, data.message.usage);
      } else if (type === 'message_delta' && isUsageObject(data.usage)) {
        raw = merged(raw, data.usage);
      }
    },
    () => (raw ? anthropicUsage(raw, model) : null),
    USAGE_EVENTS,
  );
}

/** A tap collecting a unary JSON answer and reading its usage at the end. */
export function unaryUsageTap(): StreamUsageTap {
  const chunks: Buffer[] = [];
  return {
    push: (chunk) => void chunks.push(Buffer.from(chunk)),
    end: () => unaryAnthropicUsage(parseJsonSafely(Buffer.concat(chunks).toString('utf8'))),
  };
}
