/**
 * Token usage as the gateway counts it, and the price tables plugins contribute.
 */

/**
 * Token counts for one request, read from what the upstream reported (never estimated).
 * Every provider's usage shape is mapped onto these fields by its protocol's
 * {@link UsageCodec}; the provider's own object is kept in `raw`.
 */
export interface Usage {
  /** Prompt tokens billed at the plain input price (excluding cache reads and writes). */
  inputTokens: number;
  /** Completion tokens, including any reasoning tokens the provider bills as output. */
  outputTokens: number;
  /** Prompt tokens written to a cache that lives about 5 minutes. */
  cacheWrite5mTokens: number;
  /** Prompt tokens written to a cache that lives about 1 hour. */
  cacheWrite1hTokens: number;
  /** Prompt tokens served from a cache. */
  cacheReadTokens: number;
  /** Reasoning ("thinking") tokens, informational: already included in `outputTokens`. */
  reasoningTokens?: number;
  /** The model upstream says answered, when it says so. */
  model?: string;
  /** Upstream's own usage object, as sent. */
  raw?: unknown;
}

/** A {@link Usage} with every count at zero. */
export function emptyUsage(): Usage {
  return { inputTokens: 0, outputTokens: 0, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0, cacheReadTokens: 0 };
}

/**
 * Reads usage out of one direction of traffic in a protocol: a whole JSON body, or a
 * stream fed chunk by chunk as it passes through to the client.
 */
export interface UsageCodec {
  /** Usage from a complete (unary) response body, or null when it carries none. */
  fromJson(body: unknown): Usage | null;
  /** A fresh tap for one streamed response. */
  createStreamTap(): StreamUsageTap;
}

/**
 * Sees a streamed response's bytes as they pass (the bytes themselves are forwarded
 * untouched) and knows the usage once the stream ends. It must never throw: a tap that
 * cannot understand the stream returns null.
 */
export interface StreamUsageTap {
  /** Called with each chunk, in order. */
  push(chunk: Uint8Array): void;
  /** Called once after the last chunk (also when the stream was cut); returns what was seen. */
  end(): Usage | null;
}

/**
 * Prices of one model, in US dollars per million tokens. Cache prices default to the
 * input price when absent.
 */
export interface ModelPrice {
  input: number;
  output: number;
  cacheWrite5m?: number;
  cacheWrite1h?: number;
  cacheRead?: number;
  /**
   * Long-context tiers: when a request's prompt (input + cache reads + cache writes)
   * exceeds `aboveInputTokens`, the tier's prices apply to the whole request.
   */
  tiers?: readonly (Omit<ModelPrice, 'tiers'> & { aboveInputTokens: number })[];
}

/**
 * A plugin's price list: model id (exact) or pattern (`*` matches any run of
 * characters, e.g. `big-model-4*`) to prices. Exact ids win over patterns; among
 * patterns the longest wins.
 */
export type PriceTable = Readonly<Record<string, ModelPrice>>;
