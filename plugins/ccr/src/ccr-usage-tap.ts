/**
 * The CCR adapter reads an answer's usage itself, so that it is priced by the model the
 * router served (see `pricedModel`), not by the `ccr,…` id the client named, which no
 * price table lists. The client's bytes pass unchanged; error answers are returned as
 * they are (the core classifies them).
 */
import {
  transformSseFrames,
  upstreamResponse,
  type StreamUsageTap,
  type UpstreamResponse,
  type Usage,
} from '@switchyard/plugin-api';
import { anthropicStreamUsageTap, unaryUsageTap } from './anthropic-usage.js';
import { pricedModel } from './ccr-model.js';

/** `usage` carrying the model to price by (see `pricedModel`) for a request that named `requested`. */
export function pricedUsage(usage: Usage | null, requested: string): Usage | null {
  return usage ? { ...usage, model: pricedModel(requested, usage.model) } : null;
}

/** `tap` whose usage carries the model to price by. */
export function pricedBy(tap: StreamUsageTap, requested: string): StreamUsageTap {
  return { push: (chunk) => tap.push(chunk), end: () => pricedUsage(tap.end(), requested) };
}

function isEventStream(response: UpstreamResponse): boolean {
  const type = response.headers['content-type'];
  return String(Array.isArray(type) ? type[0] : (type ?? '')).includes('text/event-stream');
}

/** Passes a unary body through chunk by chunk, reading its usage on the way. */
function tappedUnary(response: UpstreamResponse, tap: StreamUsageTap): UpstreamResponse {
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

/**
 * A successful answer with its usage read by the adapter and priced by the routed model;
 * other answers unchanged. `requested` is the model the client named (with the prefix).
 */
export function withCcrUsage(response: UpstreamResponse, requested: string | undefined): UpstreamResponse {
  if (response.status < 200 || response.status >= 300 || requested === undefined) return response;
  if (isEventStream(response)) {
    return transformSseFrames(response, { usageTap: pricedBy(anthropicStreamUsageTap(), requested) });
  }
  return tappedUnary(response, pricedBy(unaryUsageTap(), requested));
}
